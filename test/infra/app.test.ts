import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { ArrearsPolicyDocument } from '../../infra/constructs/arrears-policy-document.ts';
import { buildKeybill, functionNamed, HANDLERS, synthKeybill } from './synth.ts';

const keybill = synthKeybill();

function acknowledgments(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding, error or warning', () => {
    const report = keybill.nag.validateScope(keybill.app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`)).toEqual(
      [],
    );
    expect(report.success).toBe(true);
  });

  it('leaves no error annotation on the stack', () => {
    expect(
      Annotations.fromStack(keybill.stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ).toEqual([]);
    expect(Annotations.fromStack(keybill.stack).findError('*', Match.anyValue())).toEqual([]);
  });

  it('acknowledges findings one by one, each with a reason', () => {
    const acks = acknowledgments(keybill.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/AwsSolutions-(IAM5\[.+\]|SQS3|S1|SMG4|APIG4)$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    }
  });

  it('does catch a finding nobody acknowledged (the check is not vacuous)', () => {
    const other = buildKeybill();
    new Queue(other.stack, 'PlainQueue');
    const rules = other.nag.validateScope(other.app).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });
});

describe('context settings', () => {
  it('creates the SES domain identity with the configuration set when createSesIdentity is "true"', () => {
    const { template } = synthKeybill({
      createSesIdentity: 'true',
      sesFromAddress: 'bills@power.example.cn',
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'power.example.cn',
      ConfigurationSetAttributes: {
        ConfigurationSetName: { Ref: Match.stringLikeRegexp('PreviewConfigurationSet') },
      },
    });
    expect(functionNamed(template, 'send-notice').properties.Environment).toMatchObject({
      Variables: { SES_FROM_ADDRESS: 'bills@power.example.cn' },
    });
  });

  it('paces the sender with senderMaxConcurrency given on the command line', () => {
    const { template } = synthKeybill({ senderMaxConcurrency: '5' });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionNamed(template, 'send-notice').id },
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it.each([['1'], ['1001'], ['two']])('refuses senderMaxConcurrency %s', (value) => {
    expect(() => synthKeybill({ senderMaxConcurrency: value })).toThrow(/senderMaxConcurrency/);
  });

  it('alarms at 80 % of the SMS spend limit given on the command line', () => {
    const { template } = synthKeybill({ smsMonthlySpendLimitUsd: '500' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SMSMonthToDateSpentUSD',
      Threshold: 400,
    });
  });

  it.each([['0'], ['-5'], ['lots'], ['1e12']])('refuses smsMonthlySpendLimitUsd %s', (value) => {
    expect(() => synthKeybill({ smsMonthlySpendLimitUsd: value })).toThrow(/smsMonthlySpendLimitUsd/);
  });

  it('refuses a From address that is not an email address', () => {
    expect(() => synthKeybill({ sesFromAddress: 'billing' })).toThrow(/sesFromAddress/);
  });
});

describe("the deployment's arrears policy (context arrearsPolicy)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'keybill-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const policyFile = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const FIXTURE = fileURLToPath(new URL('../bundles/arrears-policy.json', import.meta.url));
  const environmentOf = (template: Template) =>
    Object.values(template.findResources('AWS::Lambda::Function'))
      .filter((r) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME !== undefined)
      .map((r) => r.Properties.Environment.Variables as Record<string, unknown>);

  it('is given to every function as the file beside its code, once validated', () => {
    const { template, stack } = synthKeybill({ arrearsPolicy: FIXTURE });
    const environments = environmentOf(template);
    expect(environments).toHaveLength(HANDLERS.length);
    for (const variables of environments) expect(variables.ARREARS_POLICY_FILE).toBe('arrears-policy.json');
    expect(ArrearsPolicyDocument.of(stack)?.policy.policyId).toBe('bundles-test-2026');
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('No arrears policy')),
    ).toEqual([]);
  });

  it('warns, without one, that the functions use the illustrative default', () => {
    const { template, stack } = synthKeybill();
    for (const variables of environmentOf(template)) expect(variables.ARREARS_POLICY_FILE).toBeUndefined();
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholder bank account')),
    ).toHaveLength(1);
  });

  it.each([
    [
      'a field out of range',
      JSON.stringify({ ...JSON.parse(readFileSync(FIXTURE, 'utf8')), ladder: { reminderDaysBeforeDue: 40 } }),
      /not an arrears policy: ladder\.reminderDaysBeforeDue: Too big/,
    ],
    [
      'a missing field',
      JSON.stringify({ policyId: 'p', effectiveFrom: '2026-01-01' }),
      /not an arrears policy: authorityEmail: .*approvers: .*paymentInstructions:/,
    ],
    ['no JSON', '{"policyId": ', /is not JSON/],
    ['hostile JSON', '{"__proto__": {"polluted": true}, "policyId": "<script>"}', /not an arrears policy/],
    ['an oversized document', `{"policyId": "${'x'.repeat(70_000)}"}`, /more than 65536/],
  ])('fails synthesis on %s, naming the file and the field', (_what, text, message) => {
    const path = policyFile('policy.json', text);
    expect(() => synthKeybill({ arrearsPolicy: path })).toThrow(message);
    expect(() => synthKeybill({ arrearsPolicy: path })).toThrow(`context arrearsPolicy ${path}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('fails synthesis on a file that cannot be read, naming it', () => {
    expect(() => synthKeybill({ arrearsPolicy: join(dir, 'missing.json') })).toThrow(
      /context arrearsPolicy: .*missing\.json cannot be read/,
    );
  });
});

describe('the feed calendar (context feedCalendar)', () => {
  it.each([
    ['text that is no JSON', '{"version":', /^context feedCalendar is not JSON/],
    ['text with a wrong field', '{"version": 7}', /^context feedCalendar is not a feed calendar: version: /],
    [
      'an object with a wrong field (cdk.json)',
      { version: 7 },
      /^context feedCalendar is not a feed calendar: version: /,
    ],
    ['an oversized text', `"${'x'.repeat(70_000)}"`, /more than 65536/],
  ])('fails synthesis on %s, naming the context key and the field', (_what, value, message) => {
    expect(() => synthKeybill({ feedCalendar: value })).toThrow(message);
  });
});
