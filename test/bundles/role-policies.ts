import type { AwsCall } from '../../local/runner/aws-call-recorder.ts';
import type { TemplateJson } from '../../local/runner/synthesized-stack.ts';
import type { TemplateValues } from '../../local/runner/template-values.ts';

/*
 * IAM's evaluation of one identity policy set, as far as this check goes: an explicit Deny wins, else an
 * Allow whose Action (or NotAction) and Resource (or NotResource) match, with `*` and `?` wildcards (actions
 * case-insensitive, resources case-sensitive); nothing else is allowed. Conditions are out of scope: a
 * statement with a Condition is taken as if it held (the check proves a grant exists, not that its
 * condition is met at run time). Resource policies, permission boundaries and SCPs are not involved.
 */

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

const actionMatches = (s: Statement, action: string) =>
  s.Action !== undefined
    ? list(s.Action).some((p) => wildcardMatches(p, action, true))
    : !list(s.NotAction).some((p) => wildcardMatches(p, action, true));

const resourceMatches = (s: Statement, resource: string) =>
  s.Resource !== undefined
    ? list(s.Resource).some((p) => wildcardMatches(p, resource))
    : !list(s.NotResource).some((p) => wildcardMatches(p, resource));

export type Decision = 'allowed' | 'explicitly denied' | 'not allowed';

export function decide(statements: readonly Statement[], action: string, resource: string): Decision {
  const applying = statements.filter((s) => actionMatches(s, action) && resourceMatches(s, resource));
  if (applying.some((s) => s.Effect === 'Deny')) return 'explicitly denied';
  return applying.some((s) => s.Effect === 'Allow') ? 'allowed' : 'not allowed';
}

/** Every statement of the role: inline policies, attached AWS::IAM::Policy and stack-managed policies. */
export function statementsOfRole(
  template: TemplateJson,
  values: TemplateValues,
  roleId: string,
): Statement[] {
  const documents: unknown[] = [];
  const role = template.Resources[roleId];
  for (const policy of (role?.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
    documents.push(policy.PolicyDocument);
  }
  const managedArns = ((role?.Properties?.ManagedPolicyArns as unknown[]) ?? []).map((a) =>
    JSON.stringify(a),
  );
  for (const [id, resource] of Object.entries(template.Resources)) {
    const attachedByRole = managedArns.includes(JSON.stringify({ Ref: id }));
    const attachedToRole = ((resource.Properties?.Roles as unknown[] | undefined) ?? []).some(
      (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
    );
    const isPolicy = resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy';
    if (isPolicy && (attachedByRole || attachedToRole)) documents.push(resource.Properties?.PolicyDocument);
  }
  return documents.flatMap((d) => (values.resolve(d) as { Statement: Statement[] }).Statement);
}

export interface Denial {
  functionName: string;
  action: string;
  resource: string;
  decision: Decision;
}

/** The recorded calls the role would refuse, one per action and resource. */
export function denials(calls: readonly AwsCall[], statements: readonly Statement[]): Denial[] {
  const seen = new Set<string>();
  const found: Denial[] = [];
  for (const call of calls) {
    for (const resource of call.resources) {
      const key = `${call.action} ${resource}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const decision = decide(statements, call.action, resource);
      if (decision !== 'allowed')
        found.push({ functionName: call.functionName, action: call.action, resource, decision });
    }
  }
  return found;
}

/** One granted action on one resource pattern, as a role's Allow statements list them. */
export interface GrantLine {
  action: string;
  resource: string;
}

/** Every action × resource pattern the Allow statements (with an Action list) grant. */
export function grantLines(statements: readonly Statement[]): GrantLine[] {
  return statements
    .filter((s) => s.Effect === 'Allow' && s.Action !== undefined)
    .flatMap((s) =>
      list(s.Action).flatMap((action) => list(s.Resource).map((resource) => ({ action, resource }))),
    );
}

/** The grants no recorded call used: least-privilege candidates. */
export function unusedGrants(calls: readonly AwsCall[], statements: readonly Statement[]): GrantLine[] {
  return grantLines(statements).filter(
    ({ action, resource }) =>
      !calls.some(
        (c) =>
          wildcardMatches(action, c.action, true) && c.resources.some((r) => wildcardMatches(resource, r)),
      ),
  );
}
