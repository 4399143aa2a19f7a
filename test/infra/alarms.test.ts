import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, CfnAlarm, ComparisonOperator, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { validAlarmEmail } from '../../infra/constructs/alarm-topic.ts';
import { KeybillFunction } from '../../infra/constructs/keybill-function.ts';
import { DeadLetterQueue } from '../../infra/constructs/queues.ts';
import { buildKeybill, functionNamed, HANDLERS, synthKeybill } from './synth.ts';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

/** Dead-letter queues, errors per function, failing notices, SES bounce + complaint, late + partial drops and stuck runs, calendar coverage. */
const STACK_ALARMS = 9 + HANDLERS.length + 1 + 2 + 3 + 1 + 1;

function alarmTopicId(template: Template): string {
  const topics = Object.keys(
    template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'keybill alarms' } }),
  );
  expect(topics).toHaveLength(1);
  return topics[0]!;
}

/** The alarms whose ALARM and OK actions do not both include the alarm topic. */
function alarmsNotNotifying(template: Template): string[] {
  const ref = JSON.stringify({ Ref: alarmTopicId(template) });
  const alarms = template.findResources('AWS::CloudWatch::Alarm') as Resources;
  const notifies = (actions: unknown) =>
    Array.isArray(actions) && actions.some((action) => JSON.stringify(action) === ref);
  return Object.entries(alarms)
    .filter(([, a]) => !notifies(a.Properties.AlarmActions) || !notifies(a.Properties.OKActions))
    .map(([id]) => id);
}

describe('alarm topic', () => {
  const { template } = synthKeybill();

  it('is one SNS topic encrypted with a rotated key CloudWatch may use, HTTPS only', () => {
    const topicId = alarmTopicId(template);
    const topic = (template.findResources('AWS::SNS::Topic') as Resources)[topicId]!;
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const key = (template.findResources('AWS::KMS::Key') as Resources)[keyId]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const keyPolicy = JSON.stringify(key.Properties.KeyPolicy);
    expect(keyPolicy).toContain('cloudwatch.amazonaws.com');
    expect(keyPolicy).toContain('kms:GenerateDataKey*');
    const topicPolicies = Object.values(template.findResources('AWS::SNS::TopicPolicy') as Resources).filter(
      (p) => JSON.stringify(p.Properties.Topics) === JSON.stringify([{ Ref: topicId }]),
    );
    expect(topicPolicies).toHaveLength(1);
    const topicPolicy = JSON.stringify(topicPolicies[0]!.Properties.PolicyDocument);
    expect(topicPolicy).toContain('aws:SecureTransport');
    expect(topicPolicy).toContain('cloudwatch.amazonaws.com');
  });

  it('is notified by every alarm of the template, on ALARM and on OK', () => {
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    // Nine dead-letter queues, one errors alarm per function, failing notices, SES bounce and complaint
    // rates, late and partial drops, stuck runs, the calendar's coverage, the month's SMS spend.
    expect(alarms).toHaveLength(STACK_ALARMS);
    expect(alarmsNotNotifying(template)).toEqual([]);
  });

  it('is notified when any function fails an invocation', () => {
    for (const name of HANDLERS) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionNamed(template, name).id } }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: alarmTopicId(template) }],
      });
    }
  });

  it('is notified when send-notice reports a failed notice (metric NoticesFailed of service send-notice)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'keybill',
      MetricName: 'NoticesFailed',
      Dimensions: [{ Name: 'service', Value: 'send-notice' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopicId(template) }],
    });
  });

  it.each([
    ['Bounce', 4, 5],
    ['Complaint', 0.08, 0.1],
  ])(
    'is notified when the SES %s rate of the configuration set nears the level SES reviews an account at',
    (metricName, threshold, review) => {
      expect(threshold).toBeLessThan(review);
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).filter(
        (a) => JSON.stringify(a.Properties.Metrics ?? []).includes(`"MetricName":"${metricName}"`),
      );
      expect(alarms).toHaveLength(1);
      const alarm = alarms[0]!.Properties;
      expect(alarm).toMatchObject({
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: alarmTopicId(template) }],
      });
      const metrics = JSON.stringify(alarm.Metrics);
      expect(metrics).toContain('"Namespace":"AWS/SES"');
      expect(metrics).toContain('{"Name":"ses:configuration-set","Value":"keybill-previews"}');
      expect(metrics).toContain('IF(sends >= 100, 100 * FILL(events, 0) / sends, 0)');
    },
  );

  it("is notified when the month's SMS charges reach 80 % of the account's spend limit, before SNS stops sending", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SNS',
      MetricName: 'SMSMonthToDateSpentUSD',
      Statistic: 'Maximum',
      Threshold: 0.8,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopicId(template) }],
    });
  });

  it('gets the SES counts from a CloudWatch event destination of the configuration set', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['send', 'bounce', 'complaint'],
        CloudWatchDestination: {
          DimensionConfigurations: [
            {
              DimensionName: 'ses:configuration-set',
              DimensionValueSource: 'messageTag',
              DefaultDimensionValue: 'keybill-previews',
            },
          ],
        },
      },
    });
  });

  it.each(['DropsLate', 'DropsPartial', 'RunsStuck'])(
    'is notified when check-drops reports %s',
    (metricName) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'keybill',
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: 'operator' }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: alarmTopicId(template) }],
      });
    },
  );

  it('is notified by alarms added after the observability concern, L2 or raw CloudFormation', () => {
    const keybill = buildKeybill();
    const later = new Construct(keybill.stack, 'LaterConcern');
    new KeybillFunction(later, 'Added', { handlerName: 'record-delivery', description: 'added later' });
    new DeadLetterQueue(later, 'Parked', { purpose: 'added later' });
    const metric = new Metric({ namespace: 'keybill', metricName: 'Anything', period: Duration.minutes(5) });
    new Alarm(later, 'Plain', { metric, threshold: 1, evaluationPeriods: 1 });
    const raw = new CfnAlarm(later, 'Raw', {
      namespace: 'keybill',
      metricName: 'Anything',
      statistic: 'Sum',
      period: 300,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmActions: ['arn:aws:sns:cn-north-1:111122223333:somebody-else'],
    });
    const template = Template.fromStack(keybill.stack);
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(STACK_ALARMS + 4);
    expect(alarmsNotNotifying(template)).toEqual([]);
    const rawActions = (template.findResources('AWS::CloudWatch::Alarm') as Resources)[
      keybill.stack.getLogicalId(raw)
    ]!.Properties.AlarmActions;
    // The action someone else gave it stays.
    expect(rawActions).toEqual([
      'arn:aws:sns:cn-north-1:111122223333:somebody-else',
      { Ref: alarmTopicId(template) },
    ]);
    expect(keybill.nag.validateScope(keybill.app).success).toBe(true);
  });
});

describe('context alarmEmail', () => {
  const emailSubscriptions = (template: Template) =>
    Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } }));

  it('absent: no subscription', () => {
    expect(emailSubscriptions(synthKeybill().template)).toEqual([]);
  });

  it('empty (-c alarmEmail=): no subscription', () => {
    expect(emailSubscriptions(synthKeybill({ alarmEmail: '' }).template)).toEqual([]);
  });

  it('an address: one e-mail subscription to the alarm topic', () => {
    const keybill = synthKeybill({ alarmEmail: 'ops.oncall+keybill@power.example.cn' });
    const subscriptions = emailSubscriptions(keybill.template) as Resources[string][];
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]!.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: 'ops.oncall+keybill@power.example.cn',
      TopicArn: {
        Ref: keybill.stack.getLogicalId(
          keybill.stack.observability.alarmTopic.topic.node.defaultChild as CfnTopic,
        ),
      },
    });
    expect(keybill.nag.validateScope(keybill.app).success).toBe(true);
  });

  it.each([
    ['ops'],
    ['ops@'],
    ['@example.com'],
    ['ops@example'],
    ['ops@@example.com'],
    ['ops @example.com'],
    ['ops@example.com,boss@example.com'],
    ['ops@example.com\nbcc@evil.example'],
    ['<script>@example.com'],
    ['ops@-example.com'],
    [`${'a'.repeat(250)}@example.com`],
  ])('malformed %j: synthesis fails naming alarmEmail', (value) => {
    expect(() => synthKeybill({ alarmEmail: value })).toThrow(/context alarmEmail must be one email address/);
  });

  it('a value that is not a string (cdk.json) fails naming alarmEmail', () => {
    expect(() => synthKeybill({ alarmEmail: 42 })).toThrow(/alarmEmail must be a string/);
  });

  it('an oversized value is cut short in the message', () => {
    expect(() => validAlarmEmail(`${'x'.repeat(5000)}@example.com`)).toThrow(/… \(5012 characters\)"$/);
  });
});
