import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { actionsOf, functionNamed, onFailureQueueId, statementsOfFunction, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('notices queue and sender', () => {
  it('feeds send-notice in batches of 10 with partial batch failures, at most 2 at a time', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionNamed(template, 'send-notice').id },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('hides a message for at least six times the sender timeout and dead-letters it after 5 receives', () => {
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { RedrivePolicy: { maxReceiveCount: 5 } },
    });
    const [queue] = Object.values(queues) as Array<{ Properties: { VisibilityTimeout: number } }>;
    const senderTimeout = functionNamed(template, 'send-notice').properties.Timeout as number;
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * senderTimeout);
  });

  /*
   * The sender's claim lease and the queue's visibility timeout come from the same timeout: a lease shorter
   * than the function timeout would let a re-delivery take over a claim whose sender may still be sending
   * (a duplicate); one at or past the visibility timeout would make the first re-delivery after a crash
   * find the claim live and spend a receive (once it was 300 s against 180 s).
   */
  it('gives send-notice a claim lease that outlasts its timeout and lapses before the message is re-delivered', () => {
    const sender = functionNamed(template, 'send-notice').properties;
    const lease = Number(
      (sender.Environment as { Variables: Record<string, string> }).Variables.NOTICE_CLAIM_LEASE_SECONDS,
    );
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { RedrivePolicy: { maxReceiveCount: 5 } },
    });
    const [queue] = Object.values(queues) as Array<{ Properties: { VisibilityTimeout: number } }>;
    expect(lease).toBeGreaterThanOrEqual(sender.Timeout as number);
    expect(lease).toBeLessThan(queue!.Properties.VisibilityTimeout);
  });

  it('alarms as soon as one notice lands in the dead-letter queue', () => {
    const [dlqId] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
      JSON.stringify(template.toJSON().Resources).includes(
        `"deadLetterTargetArn":{"Fn::GetAtt":["${id}","Arn"]}`,
      ),
    );
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
    });
  });

  it('lets send-notice send email only as the configured identity through the configuration set', () => {
    const ses = statementsOfFunction(template, 'send-notice').filter((s) =>
      actionsOf([s]).includes('ses:SendEmail'),
    );
    expect(ses).toHaveLength(1);
    const resources = JSON.stringify(ses[0]!.Resource);
    expect(resources).toContain(':identity/billing@example.com');
    expect(resources).toContain(':identity/example.com');
    expect(resources).toContain(':configuration-set/');
    expect(ses[0]!.Resource).not.toContain('*');
    expect(ses[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'billing@example.com' } });
  });

  it('lets send-notice check opt-outs and publish SMS (alone, on "*", which phone-number publishes require)', () => {
    const sns = statementsOfFunction(template, 'send-notice').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('sns:')),
    );
    expect(sns).toEqual([
      { Effect: 'Allow', Action: ['sns:CheckIfPhoneNumberIsOptedOut', 'sns:Publish'], Resource: '*' },
    ]);
  });

  it('paces each sender instance to its share of the SES and SNS quotas', () => {
    const variables = (
      functionNamed(template, 'send-notice').properties.Environment as { Variables: Record<string, string> }
    ).Variables;
    // Defaults: SES 14/s and SNS 20/s shared by a maximum concurrency of 2.
    expect(variables.EMAIL_RATE_PER_SECOND).toBe('7');
    expect(variables.SMS_RATE_PER_SECOND).toBe('10');
  });

  it('give send-notice the quiet hours and time zone of the customers', () => {
    expect(functionNamed(template, 'send-notice').properties.Environment).toMatchObject({
      Variables: {
        QUIET_HOURS: '21:00-08:00',
        TIME_ZONE: 'Asia/Shanghai',
        SES_FROM_ADDRESS: 'billing@example.com',
      },
    });
  });

  it('send-notice has no S3 permissions', () => {
    expect(
      actionsOf(statementsOfFunction(template, 'send-notice')).filter((a) => a.startsWith('s3:')),
    ).toEqual([]);
  });
});

describe('notice planner', () => {
  it('receives only INSERTs of BILL, ANSWER and FOLLOWUP items from the table stream', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionNamed(template, 'plan-notices').id },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataTable'), 'StreamArn'] },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { entity: { S: ['BILL', 'ANSWER', 'FOLLOWUP'] } } },
            }),
          },
        ],
      },
    });
  });

  it('bisects failing batches, retries a bounded number of times, then dead-letters to SQS', () => {
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: { FunctionName: { Ref: functionNamed(template, 'plan-notices').id } },
    });
    const [mapping] = Object.values(mappings) as Array<{ Properties: Record<string, unknown> }>;
    expect(mapping?.Properties).toMatchObject({
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
    });
    expect(mapping!.Properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
    expect(mapping!.Properties.MaximumRetryAttempts).toBeLessThanOrEqual(10);
    const dlqId = onFailureQueueId(mapping!.Properties);
    expect(template.toJSON().Resources[dlqId].Type).toBe('AWS::SQS::Queue');
  });
});

describe('SES delivery events', () => {
  it('creates the keybill-previews configuration set publishing send, delivery, bounce, complaint and reject to the default bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'keybill-previews' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: Match.stringLikeRegexp('PreviewConfigurationSet') },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['send', 'delivery', 'bounce', 'complaint', 'reject'],
        EventBridgeDestination: {
          EventBusArn: { 'Fn::Join': ['', Match.arrayWith([':event-bus/default'])] },
        },
      },
    });
  });

  it('does not create an email identity unless asked to', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('routes the configuration set events to record-delivery', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': [
          'Email Sent',
          'Email Delivered',
          'Email Bounced',
          'Email Complaint Received',
          'Email Rejected',
        ],
        detail: { mail: { tags: { 'ses:configuration-set': ['keybill-previews'] } } },
      },
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [functionNamed(template, 'record-delivery').id, 'Arn'] } }),
      ],
    });
  });
});
