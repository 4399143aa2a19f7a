import { describe, expect, it } from 'vitest';
import { CloudFormationSchemas, EXCEPTIONS, STRICTER } from './cloudformation-schema.ts';
import { functionNamed, synthKeybill } from './synth.ts';

type TemplateJson = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

const schemas = new CloudFormationSchemas();
const { template } = synthKeybill();

/** A deep copy of the synthesized template with one resource's properties changed. */
function withChange(logicalId: string, change: (properties: Record<string, unknown>) => void): TemplateJson {
  const copy = structuredClone(template.toJSON()) as TemplateJson;
  change(copy.Resources[logicalId]!.Properties);
  return copy;
}

const sendNotice = functionNamed(template, 'send-notice').id;
const firstOfType = (type: string): string => {
  const id = Object.keys(template.findResources(type))[0];
  if (id === undefined) throw new Error(`the template has no ${type}`);
  return id;
};

describe('the synthesized template against CloudFormation registry schemas', () => {
  it('has every resource valid for its type: known properties, right types, required ones present', () => {
    expect(schemas.problemsOf(template.toJSON())).toEqual([]);
  });

  it('names an unknown property with the resource that carries it', () => {
    const problems = schemas.problemsOf(withChange(sendNotice, (p) => (p.MemorySizeMb = 512)));
    expect(problems).toEqual([
      `${sendNotice} (AWS::Lambda::Function) Properties: unknown property MemorySizeMb`,
    ]);
  });

  it('refuses a mistyped value (a timeout as text)', () => {
    const problems = schemas.problemsOf(withChange(sendNotice, (p) => (p.Timeout = 'thirty')));
    expect(problems).toEqual([`${sendNotice} (AWS::Lambda::Function) Properties.Timeout: must be integer`]);
  });

  it('refuses a resource without a required property', () => {
    const queue = firstOfType('AWS::Lambda::EventSourceMapping');
    const problems = schemas.problemsOf(withChange(queue, (p) => delete p.FunctionName));
    expect(problems).toEqual([
      `${queue} (AWS::Lambda::EventSourceMapping) Properties: must have required property 'FunctionName'`,
    ]);
  });

  it('refuses a value outside the registry enum (tracing mode)', () => {
    const problems = schemas.problemsOf(
      withChange(sendNotice, (p) => (p.TracingConfig = { Mode: 'Always' })),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^\S+ \(AWS::Lambda::Function\) Properties.TracingConfig.Mode: must be equal to one of the allowed values: Active, PassThrough/,
      ),
    ]);
  });

  it.each([
    ['Runtime', 'nodejs24'],
    ['Architectures', ['aarch64']],
  ])('refuses a Lambda %s the service does not know (%j)', (property, value) => {
    const problems = schemas.problemsOf(withChange(sendNotice, (p) => (p[property] = value)));
    expect(problems.join('\n')).toContain(`${sendNotice} (AWS::Lambda::Function) Properties.${property}`);
  });

  it('refuses a schedule time zone that is not an IANA zone', () => {
    const schedule = firstOfType('AWS::Scheduler::Schedule');
    const problems = schemas.problemsOf(
      withChange(schedule, (p) => (p.ScheduleExpressionTimezone = 'China Standard Time')),
    );
    expect(problems.join('\n')).toContain(
      `${schedule} (AWS::Scheduler::Schedule) Properties.ScheduleExpressionTimezone: must be equal to one of the allowed values`,
    );
  });

  it('refuses a resource type the registry does not have', () => {
    const copy = structuredClone(template.toJSON()) as TemplateJson;
    copy.Resources.Invented = { Type: 'AWS::Lambda::Functions', Properties: {} };
    expect(schemas.problemsOf(copy)).toEqual([
      'Invented (AWS::Lambda::Functions): not a CloudFormation registry type',
    ]);
  });

  it('accepts intrinsic functions wherever a value may be resolved at deployment', () => {
    const problems = schemas.problemsOf(
      withChange(sendNotice, (p) => (p.Timeout = { 'Fn::GetAtt': ['Some', 'Value'] })),
    );
    expect(problems).toEqual([]);
  });

  it('gives a reason for every exception and every stricter rule', () => {
    for (const reason of [...Object.values(EXCEPTIONS), ...Object.values(STRICTER).map((s) => s.reason)]) {
      expect(reason.length).toBeGreaterThan(20);
    }
  });
});
