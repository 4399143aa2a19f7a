import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  actionsOf,
  environmentOf,
  functionNamed,
  onFailureQueueId,
  statementsOfFunction,
  synthKeybill,
} from './synth.ts';

const { template } = synthKeybill();

const HANDLERS = [
  'ingest-drop',
  'bill-chunk',
  'plan-notices',
  'send-notice',
  'record-delivery',
  'operator',
  'arrears-scan',
  'arrears-chunk',
  'rank-accounts',
] as const;

describe('data table', () => {
  it('is keyed by pk/sk with gsi1 and gsi2 projecting all attributes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('streams new and old images, expires items by expiresAt and bills on demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has point-in-time recovery, the AWS-managed KMS key, deletion protection and outlives the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // SSEEnabled without a key id is the aws/dynamodb key; absent altogether would be the AWS-owned key.
        SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('drop bucket', () => {
  const dropBucket = () => {
    const [entry] = Object.entries(
      template.findResources('AWS::S3::Bucket', {
        Properties: { VersioningConfiguration: { Status: 'Enabled' } },
      }),
    );
    if (entry === undefined) throw new Error('no versioned bucket');
    return entry;
  };

  it('blocks all public access on both buckets', () => {
    const blocked = template.findResources('AWS::S3::Bucket', {
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    });
    expect(Object.keys(blocked)).toHaveLength(2);
  });

  it('refuses requests without TLS', () => {
    const [bucketId] = dropBucket();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('sends object events to EventBridge, keeps versions, encrypts and logs access to the log bucket', () => {
    const [, bucket] = dropBucket();
    expect(bucket).toMatchObject({
      Properties: {
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/AccessLogs/) } },
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('expires reject reports after 400 days and keeps drops', () => {
    const [, bucket] = dropBucket();
    const rules = (
      bucket as { Properties: { LifecycleConfiguration: { Rules: Array<Record<string, unknown>> } } }
    ).Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'rejects/', ExpirationInDays: 400 }));
    expect(rules.filter((r) => r.Prefix === 'drops/' && r.ExpirationInDays !== undefined)).toEqual([]);
  });

  it('triggers ingest-drop on Object Created under drops/reads/ and drops/payments/ of this bucket only', () => {
    const [bucketId] = dropBucket();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: bucketId }] },
          object: { key: [{ prefix: 'drops/reads/' }, { prefix: 'drops/payments/' }] },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionNamed(template, 'ingest-drop').id, 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });
});

describe('functions', () => {
  it('are the nine handlers, no more (no custom-resource functions)', () => {
    template.resourceCountIs('AWS::Lambda::Function', HANDLERS.length);
  });

  it.each(HANDLERS)('%s runs Node.js 24 on arm64 with active tracing and Powertools settings', (name) => {
    expect(functionNamed(template, name).properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_METRICS_NAMESPACE: 'keybill' } },
    });
  });

  it.each(HANDLERS)(
    '%s logs to its own log group kept for one month and has no reserved concurrency',
    (name) => {
      const fn = functionNamed(template, name).properties;
      const logGroupId = (fn.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(template.toJSON().Resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
      });
      expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    },
  );

  it.each([
    [
      'ingest-drop',
      [
        'TABLE_NAME',
        'BILL_CHUNK_QUEUE_URL',
        'NOTICE_QUEUE_URL',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_TARGET_ARN',
        'REMINDER_ROLE_ARN',
        'REMINDER_DLQ_ARN',
        'TIME_ZONE',
      ],
    ],
    ['bill-chunk', ['TABLE_NAME']],
    ['plan-notices', ['TABLE_NAME', 'NOTICE_QUEUE_URL']],
    [
      'send-notice',
      [
        'TABLE_NAME',
        'SES_FROM_ADDRESS',
        'SES_CONFIGURATION_SET',
        'SMS_SENDER_ID',
        'QUIET_HOURS',
        'TIME_ZONE',
        'EMAIL_RATE_PER_SECOND',
        'SMS_RATE_PER_SECOND',
      ],
    ],
    ['record-delivery', ['TABLE_NAME']],
    [
      'operator',
      [
        'TABLE_NAME',
        'DROP_BUCKET',
        'NOTICE_QUEUE_URL',
        'BILL_CHUNK_QUEUE_URL',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_TARGET_ARN',
        'REMINDER_ROLE_ARN',
        'REMINDER_DLQ_ARN',
        'TIME_ZONE',
      ],
    ],
    [
      'arrears-scan',
      [
        'TABLE_NAME',
        'ARREARS_CHUNK_QUEUE_URL',
        'NOTICE_QUEUE_URL',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_TARGET_ARN',
        'REMINDER_ROLE_ARN',
        'REMINDER_DLQ_ARN',
        'TIME_ZONE',
      ],
    ],
    ['rank-accounts', ['TABLE_NAME', 'REPORT_BUCKET', 'REPORT_PREFIX', 'TIME_ZONE', 'NOTICE_QUEUE_URL']],
  ])('%s gets the environment its handler reads', (name, keys) => {
    const variables = (
      functionNamed(template, name).properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [...keys, 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'NODE_OPTIONS'].sort(),
    );
  });

  it('paces each sender instance to its share of the SES and SNS quotas', () => {
    const variables = (
      functionNamed(template, 'send-notice').properties.Environment as { Variables: Record<string, string> }
    ).Variables;
    // Defaults: SES 14/s and SNS 20/s shared by a maximum concurrency of 2.
    expect(variables.EMAIL_RATE_PER_SECOND).toBe('7');
    expect(variables.SMS_RATE_PER_SECOND).toBe('10');
  });

  it('re-queues SMS deferred for quiet hours when they end, through the operator function', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Input: JSON.stringify({ command: 'release-deferred' }) }),
    });
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

  it('size ingest-drop for a whole drop: 1,769 MB and 15 minutes; others default to 1,024 MB and 30 s', () => {
    expect(functionNamed(template, 'ingest-drop').properties).toMatchObject({
      MemorySize: 1769,
      Timeout: 900,
    });
    expect(functionNamed(template, 'send-notice').properties).toMatchObject({
      MemorySize: 1024,
      Timeout: 30,
    });
  });

  it.each(['ingest-drop', 'record-delivery', 'arrears-scan', 'rank-accounts'])(
    '%s (invoked asynchronously) sends events that failed every retry to an alarmed dead-letter queue',
    (name) => {
      const { id } = functionNamed(template, name);
      const configs = template.findResources('AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: { Ref: id } },
      });
      const [config] = Object.values(configs) as Array<{ Properties: Record<string, unknown> }>;
      expect(config?.Properties).toMatchObject({ MaximumRetryAttempts: 2 });
      const queueId = onFailureQueueId(config!.Properties);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    },
  );
});

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

  it('encrypts every queue and refuses requests without TLS', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue).toMatchObject({ Properties: { SqsManagedSseEnabled: true } });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
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

  it('lets send-notice publish SMS (sns:Publish alone on "*", which phone-number publishes require)', () => {
    const sns = statementsOfFunction(template, 'send-notice').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('sns:')),
    );
    expect(sns).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }]);
  });
});

/** The queue an SQS event source mapping feeds the function from. */
function sourceQueueOf(handlerName: string): string {
  const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
    Properties: { FunctionName: { Ref: functionNamed(template, handlerName).id } },
  });
  const [mapping] = Object.values(mappings) as Array<{
    Properties: { EventSourceArn: Record<string, string[]> };
  }>;
  return mapping!.Properties.EventSourceArn['Fn::GetAtt']![0]!;
}

describe.each([
  { consumer: 'bill-chunk', producers: ['ingest-drop', 'operator'], concurrency: 20 },
  { consumer: 'arrears-chunk', producers: ['arrears-scan'], concurrency: 10 },
])('fan-out to $consumer', ({ consumer, producers, concurrency }) => {
  it(`feeds ${consumer} one chunk per invocation with partial failures, at most ${concurrency} at a time`, () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionNamed(template, consumer).id },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: concurrency },
    });
  });

  it('hides a chunk for six times the consumer timeout and dead-letters it, alarmed, after 5 receives', () => {
    const queue = template.toJSON().Resources[sourceQueueOf(consumer)];
    const timeout = functionNamed(template, consumer).properties.Timeout as number;
    expect(queue.Properties.VisibilityTimeout).toBe(6 * timeout);
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    const dlqId = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 0,
    });
  });

  it(`lets only ${producers.join(' and ')} queue chunks, and tells them where`, () => {
    const queueId = sourceQueueOf(consumer);
    const senders = HANDLERS.filter((name) =>
      statementsOfFunction(template, name).some(
        (s) => actionsOf([s]).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(queueId),
      ),
    );
    expect(senders.sort()).toEqual(producers);
    for (const producer of producers) {
      expect(Object.values(environmentOf(template, producer))).toContainEqual({ Ref: queueId });
    }
  });
});

describe('bill-chunk', () => {
  it('reads and writes reject reports only, and sends no messages to customers', () => {
    const statements = statementsOfFunction(template, 'bill-chunk');
    const s3 = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:')));
    expect(actionsOf(s3).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    for (const statement of s3) expect(JSON.stringify(statement.Resource)).toMatch(/\/rejects\/\*"/);
    expect(actionsOf(statements).filter((a) => a.startsWith('ses:') || a.startsWith('sns:'))).toEqual([]);
  });
});

describe('arrears-chunk', () => {
  it('gets what an arrears step needs: the table, the notices queue and the reminder schedules', () => {
    expect(Object.keys(environmentOf(template, 'arrears-chunk'))).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'NOTICE_QUEUE_URL',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_TARGET_ARN',
      ]),
    );
  });
});

describe('notice planner', () => {
  it('receives only INSERTs of BILL items from the table stream', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionNamed(template, 'plan-notices').id },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataTable'), 'StreamArn'] },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { entity: { S: ['BILL'] } } },
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

describe('schedules', () => {
  it.each([
    ['arrears-scan', 'cron(0 9 * * ? *)'],
    ['rank-accounts', 'cron(0 6 3 * ? *)'],
  ])('runs %s on %s in Asia/Shanghai, with a dead-letter queue', (name, expression) => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [functionNamed(template, name).id, 'Arn'] },
        RoleArn: Match.anyValue(),
        DeadLetterConfig: { Arn: Match.anyValue() },
      },
    });
  });

  it('creates the reminder schedule group', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: 'keybill-disconnection-reminders',
    });
  });

  it('lets arrears-scan create and delete schedules in that group only, and pass the reminder role to Scheduler only', () => {
    const statements = statementsOfFunction(template, 'arrears-scan');
    const scheduler = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('scheduler:')));
    expect(scheduler).toHaveLength(1);
    expect(actionsOf(scheduler).sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
    expect(JSON.stringify(scheduler[0]!.Resource)).toContain(':schedule/keybill-disconnection-reminders/*');

    const passRole = statements.filter((s) => actionsOf([s]).includes('iam:PassRole'));
    const reminderRoleArn = environmentOf(template, 'arrears-scan').REMINDER_ROLE_ARN;
    expect(passRole).toEqual([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: reminderRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('points reminders at arrears-scan itself, by an ARN built from its name', () => {
    const env = environmentOf(template, 'arrears-scan');
    expect(env.REMINDER_SCHEDULE_GROUP).toBe('keybill-disconnection-reminders');
    expect(JSON.stringify(env.REMINDER_TARGET_ARN)).toContain(':function:keybill-arrears-scan');
  });
});

describe('least privilege', () => {
  it.each(HANDLERS)('%s has no wildcard actions and reads the table through named indexes only', (name) => {
    const statements = statementsOfFunction(template, name);
    expect(actionsOf(statements).filter((a) => a.includes('*'))).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain('/index/*');
    expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
  });

  it('send-notice has no S3 permissions', () => {
    expect(
      actionsOf(statementsOfFunction(template, 'send-notice')).filter((a) => a.startsWith('s3:')),
    ).toEqual([]);
  });

  it('ingest-drop has no SES or SNS permissions', () => {
    const actions = actionsOf(statementsOfFunction(template, 'ingest-drop'));
    expect(actions.filter((a) => a.startsWith('ses:') || a.startsWith('sns:'))).toEqual([]);
  });

  it('ingest-drop reads drops/ and writes rejects/ only', () => {
    const s3 = statementsOfFunction(template, 'ingest-drop').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('s3:')),
    );
    expect(s3.map((s) => [s.Action, JSON.stringify(s.Resource).match(/\/(\w+)\/\*/)?.[1]])).toEqual([
      ['s3:GetObject', 'drops'],
      ['s3:PutObject', 'rejects'],
    ]);
  });

  it('only the functions that send notices may write to the notices queue', () => {
    const senders = HANDLERS.filter((name) =>
      actionsOf(statementsOfFunction(template, name)).includes('sqs:SendMessage'),
    ).filter((name) =>
      statementsOfFunction(template, name).some(
        (s) =>
          actionsOf([s]).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes('NoticeQueue'),
      ),
    );
    // ingest-drop queues arrears confirmations when a payment clears a plan.
    // rank-accounts queues the managers' monthly digests.
    expect(senders.sort()).toEqual([
      'arrears-chunk',
      'arrears-scan',
      'ingest-drop',
      'operator',
      'plan-notices',
      'rank-accounts',
    ]);
  });
});

describe('operations dashboard', () => {
  it('shows the business metrics of namespace keybill and every function', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]);
    for (const metric of ['BillsComputed', 'RowsRejected', 'NoticesSent', 'NoticesFailed']) {
      expect(body).toContain(`MetricName=\\\\\\"${metric}\\\\\\"`);
    }
    for (const name of HANDLERS) expect(body).toContain(functionNamed(template, name).id);
    expect(body).toContain('ApproximateAgeOfOldestMessage');
  });
});
