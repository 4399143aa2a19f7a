import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { buildKeybillApp, type KeybillApp } from '../../infra/keybill-app.ts';

/** The feature flags and defaults of cdk.json, so tests synthesise what `cdk synth` does. */
const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))
  .context as Record<string, unknown>;

export interface SynthesisedKeybill extends KeybillApp {
  readonly template: Template;
}

/** The app with cdk.json's context alone, synthesised once per module instance: every test file reads it. */
let defaultKeybill: SynthesisedKeybill | undefined;

/**
 * The keybill app as `cdk synth` builds it, minus the esbuild bundling (context
 * `aws:cdk:bundling-stacks: []`): assertion tests look at the template, not at the handlers' code.
 */
export function synthKeybill(context: Record<string, unknown> = {}): SynthesisedKeybill {
  if (Object.keys(context).length === 0) {
    defaultKeybill ??= synthesise({});
    return defaultKeybill;
  }
  return synthesise(context);
}

function synthesise(context: Record<string, unknown>): SynthesisedKeybill {
  const built = buildKeybill(context);
  return { ...built, template: Template.fromStack(built.stack) };
}

/** The same app, not synthesised yet (a test may still add to it). */
export function buildKeybill(context: Record<string, unknown> = {}): KeybillApp {
  return buildKeybillApp({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });
}

type Json = Record<string, unknown>;

/** The product's functions, by handler name: each is `functions/<name>/handler.ts`, named `keybill-<name>`. */
export const HANDLERS = [
  'ingest-drop',
  'bill-chunk',
  'plan-notices',
  'send-notice',
  'record-delivery',
  'operator',
  'arrears-scan',
  'arrears-chunk',
  'rank-accounts',
  'answers',
] as const;

/** The logical id of the customer-managed key of the contact data (one per stack). */
export function contactDataKeyId(template: Template): string {
  const ids = Object.keys(template.findResources('AWS::KMS::Key')).filter((id) =>
    id.startsWith('ContactDataKey'),
  );
  if (ids.length !== 1) throw new Error(`expected one contact-data key, found ${ids.length}`);
  return ids[0]!;
}

/** The logical id and resource of the drop bucket (the versioned one; its access-log bucket is not). */
export function dropBucketOf(template: Template): [string, unknown] {
  const [entry] = Object.entries(
    template.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' } },
    }),
  );
  if (entry === undefined) throw new Error('no versioned bucket');
  return entry;
}

/** The CloudFormation logical id and properties of the function `<stack name>-<handler name>`. */
export function functionNamed(template: Template, handlerName: string): { id: string; properties: Json } {
  const found = template.findResources('AWS::Lambda::Function', {
    Properties: { FunctionName: `keybill-${handlerName}` },
  });
  const entries = Object.entries(found);
  if (entries.length !== 1)
    throw new Error(`expected one function keybill-${handlerName}, found ${entries.length}`);
  const [id, resource] = entries[0]!;
  return { id, properties: (resource as { Properties: Json }).Properties };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

/** Every IAM statement attached to the execution role of a function (its default policy and extra policies). */
export function statementsOfFunction(template: Template, handlerName: string): Statement[] {
  const role = functionNamed(template, handlerName).properties.Role as { 'Fn::GetAtt': [string, string] };
  return statementsOfRole(template, role['Fn::GetAtt'][0]);
}

/** Every IAM statement attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .map(
      (p) =>
        (p as { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } }).Properties,
    )
    .filter((p) => p.Roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((p) => p.PolicyDocument.Statement);
}

export const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** The environment variables of the function `<stack name>-<handler name>`. */
export function environmentOf(template: Template, handlerName: string): Record<string, unknown> {
  const environment = functionNamed(template, handlerName).properties.Environment as
    | { Variables: Record<string, unknown> }
    | undefined;
  return environment?.Variables ?? {};
}

/** The logical id of the queue an event source mapping or invoke config sends failures to. */
export function onFailureQueueId(properties: Json): string {
  const destination = (properties as { DestinationConfig?: { OnFailure?: { Destination?: unknown } } })
    .DestinationConfig?.OnFailure?.Destination as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const id = destination?.['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error('no on-failure destination');
  return id;
}
