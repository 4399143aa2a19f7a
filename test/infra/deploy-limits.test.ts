import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TemplateJson } from '../../local/runner/synthesized-stack.ts';
import { TemplateValues } from '../../local/runner/template-values.ts';
import { synthKeybill } from './synth.ts';

/*
 * Limits CloudFormation's deployment refuses a stack on, which no synthesis and no local run notices:
 * a function whose environment exceeds Lambda's 4 KB, a role whose inline policies exceed IAM's 10,240
 * characters (CDK adds every grant to one inline policy per role). Measured on the template's values as
 * deployed, with the longest names CloudFormation can give what the template leaves unnamed, in the
 * longest China region, so the figures are upper bounds.
 */

/** Lambda: "the total size of all environment variables doesn't exceed 4 KB" (counted as their JSON). */
const ENVIRONMENT_LIMIT_BYTES = 4096;
/** IAM: the aggregate of a role's inline policies, whitespace not counted. */
const ROLE_POLICY_LIMIT_CHARS = 10_240;
/** CloudFormation: resources in one stack, and a template's size when uploaded through S3 (cdk deploy does). */
const STACK_RESOURCE_LIMIT = 500;
const TEMPLATE_LIMIT_BYTES = 1_000_000;

/**
 * CloudFormation names an unnamed resource `<stack>-<logical id>-<13 random characters>` (cut to the
 * type's limit): here never cut, the longest it can be.
 */
class LongestNames extends TemplateValues {
  override physicalName(logicalId: string): string {
    const name = super.physicalName(logicalId);
    const unnamed = name === logicalId || name === logicalId.toLowerCase();
    return unnamed ? `keybill-${name}-ABCDEFGHIJKLM` : name;
  }
}

const scope = { region: 'cn-northwest-1', account: '123456789012' };

type Resource = TemplateJson['Resources'][string];
const resources = (template: TemplateJson, type: string): [string, Resource][] =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** Each function's environment as deployed, in bytes of its JSON. */
function environmentBytes(template: TemplateJson): Map<string, number> {
  const values = new LongestNames(template, scope);
  return new Map(
    resources(template, 'AWS::Lambda::Function').map(([id, fn]) => {
      const variables = values.resolve(
        (fn.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
      );
      return [id, Buffer.byteLength(JSON.stringify(variables))];
    }),
  );
}

/** Each role's inline policies as deployed, in characters of their whitespace-free JSON, summed. */
function rolePolicyChars(template: TemplateJson): Map<string, number> {
  const values = new LongestNames(template, scope);
  const perRole = new Map<string, number>();
  const add = (role: string, document: unknown) =>
    perRole.set(role, (perRole.get(role) ?? 0) + JSON.stringify(values.resolve(document)).length);
  for (const [, policy] of resources(template, 'AWS::IAM::Policy')) {
    for (const role of (policy.Properties?.Roles as { Ref: string }[] | undefined) ?? []) {
      add(role.Ref, policy.Properties?.PolicyDocument);
    }
  }
  for (const [id, role] of resources(template, 'AWS::IAM::Role')) {
    for (const policy of (role.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
      add(id, policy.PolicyDocument);
    }
  }
  return perRole;
}

const over = (sizes: Map<string, number>, limit: number) =>
  [...sizes].filter(([, size]) => size > limit).map(([id, size]) => `${id}: ${size} > ${limit}`);

// As a deployment for customers synthesizes it: with an arrears policy, whose file name every function gets.
const template = synthKeybill({
  arrearsPolicy: fileURLToPath(new URL('../bundles/arrears-policy.json', import.meta.url)),
}).template.toJSON() as TemplateJson;

describe('the limits a deployment is refused on', () => {
  it("gives every function an environment within Lambda's 4 KB, with the longest names it can deploy with", () => {
    const sizes = environmentBytes(template);
    expect(sizes.size).toBeGreaterThanOrEqual(10);
    expect(over(sizes, ENVIRONMENT_LIMIT_BYTES)).toEqual([]);
  });

  it("keeps every role's inline policies within IAM's 10,240 characters", () => {
    const sizes = rolePolicyChars(template);
    expect(sizes.size).toBeGreaterThanOrEqual(10);
    expect(over(sizes, ROLE_POLICY_LIMIT_CHARS)).toEqual([]);
  });

  it("stays within CloudFormation's 500 resources and 1 MB template", () => {
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(STACK_RESOURCE_LIMIT);
    expect(Buffer.byteLength(JSON.stringify(template))).toBeLessThanOrEqual(TEMPLATE_LIMIT_BYTES);
  });

  it("hides every queue's message at least as long as its consumer may run (Lambda refuses the mapping otherwise)", () => {
    const values = new LongestNames(template, scope);
    const mappings = resources(template, 'AWS::Lambda::EventSourceMapping').filter(([, m]) =>
      String(values.resolve(m.Properties?.EventSourceArn)).includes(':sqs:'),
    );
    expect(mappings.length).toBeGreaterThanOrEqual(3);
    for (const [id, mapping] of mappings) {
      const properties = mapping.Properties as {
        EventSourceArn: { 'Fn::GetAtt': [string] };
        FunctionName: { Ref: string };
      };
      const queueId = properties.EventSourceArn['Fn::GetAtt'][0];
      const functionId = properties.FunctionName.Ref;
      const visibility = Number(template.Resources[queueId]!.Properties?.VisibilityTimeout ?? 30);
      const timeout = Number(template.Resources[functionId]!.Properties?.Timeout ?? 3);
      expect(visibility, `${id}: the queue's visibility timeout`).toBeGreaterThanOrEqual(timeout);
    }
  });

  it('names the function whose environment a new variable pushes past 4 KB', () => {
    const broken = structuredClone(template);
    const [id, operator] = resources(broken, 'AWS::Lambda::Function').find(([logicalId]) =>
      logicalId.startsWith('Operator'),
    )!;
    const environment = operator.Properties!.Environment as { Variables: Record<string, unknown> };
    environment.Variables.OPERATOR_NOTES = 'x'.repeat(ENVIRONMENT_LIMIT_BYTES);
    expect(over(environmentBytes(broken), ENVIRONMENT_LIMIT_BYTES)).toEqual([
      expect.stringMatching(new RegExp(`^${id}: \\d+ > 4096$`)),
    ]);
  });

  it('names the role whose grants push its inline policies past 10,240 characters', () => {
    const broken = structuredClone(template);
    const [, policy] = resources(broken, 'AWS::IAM::Policy')[0]!;
    const document = policy.Properties!.PolicyDocument as { Statement: unknown[] };
    for (let i = 0; i < 200; i++) {
      document.Statement.push({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `arn:aws-cn:s3:::b${i}/*`,
      });
    }
    const [role] = policy.Properties!.Roles as { Ref: string }[];
    expect(over(rolePolicyChars(broken), ROLE_POLICY_LIMIT_CHARS)).toEqual([
      expect.stringMatching(new RegExp(`^${role!.Ref}: \\d+ > 10240$`)),
    ]);
  });
});
