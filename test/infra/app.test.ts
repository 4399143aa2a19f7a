import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildKeybill, functionNamed, synthKeybill } from './synth.ts';

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
