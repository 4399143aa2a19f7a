import { describe, expect, it } from 'vitest';
import { actionsOf, functionNamed, HANDLERS, statementsOfFunction, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('functions', () => {
  it('are the nine handlers, no more (no custom-resource functions)', () => {
    template.resourceCountIs('AWS::Lambda::Function', HANDLERS.length);
  });

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
        'RECIPIENT_KEY_SECRET_ID',
      ],
    ],
    ['bill-chunk', ['TABLE_NAME']],
    [
      'plan-notices',
      [
        'TABLE_NAME',
        'NOTICE_QUEUE_URL',
        'RECIPIENT_KEY_SECRET_ID',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_TARGET_ARN',
        'REMINDER_ROLE_ARN',
        'REMINDER_DLQ_ARN',
        'TIME_ZONE',
      ],
    ],
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
        'NOTICE_CLAIM_LEASE_SECONDS',
        'LINK_SIGNING_SECRET_ID',
        'ANSWER_BASE_URL',
        'RECIPIENT_KEY_SECRET_ID',
      ],
    ],
    [
      'record-delivery',
      [
        'TABLE_NAME',
        'NOTICE_QUEUE_URL',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_TARGET_ARN',
        'REMINDER_ROLE_ARN',
        'REMINDER_DLQ_ARN',
        'TIME_ZONE',
        'RECIPIENT_KEY_SECRET_ID',
      ],
    ],
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
        'RECIPIENT_KEY_SECRET_ID',
        'FEED_CALENDAR',
        'DEAD_LETTER_QUEUES',
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
        'RECIPIENT_KEY_SECRET_ID',
      ],
    ],
    ['rank-accounts', ['TABLE_NAME', 'REPORT_BUCKET', 'REPORT_PREFIX', 'TIME_ZONE', 'NOTICE_QUEUE_URL']],
    ['answers', ['TABLE_NAME', 'TIME_ZONE', 'LINK_SIGNING_SECRET_ID']],
  ])('%s gets the environment its handler reads', (name, keys) => {
    const variables = (
      functionNamed(template, name).properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [...keys, 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'].sort(),
    );
  });
});

describe('least privilege', () => {
  it.each(HANDLERS)('%s has no wildcard actions and reads the table through named indexes only', (name) => {
    const statements = statementsOfFunction(template, name);
    expect(actionsOf(statements).filter((a) => a.includes('*'))).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain('/index/*');
    expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
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
    // rank-accounts queues the managers' monthly digests; record-delivery a moved plan's new notice.
    expect(senders.sort()).toEqual([
      'arrears-chunk',
      'arrears-scan',
      'ingest-drop',
      'operator',
      'plan-notices',
      'rank-accounts',
      'record-delivery',
    ]);
  });
});

/**
 * The logical IDs the stateful and fixed-name resources were first deployed with. Under a new logical ID
 * CloudFormation replaces a resource: the table, buckets and queues would lose their data, the reminder
 * group its pending reminders (and the reminder role, whose ARN those reminders carry), and a function,
 * schedule or configuration set with a fixed name would fail to create beside its old self.
 */
const DEPLOYED_LOGICAL_IDS: ReadonlyArray<[string, string[]]> = [
  ['AWS::DynamoDB::Table', ['DataTableFDBAD0F2']],
  ['AWS::S3::Bucket', ['DropsAccessLogsA75F0D2C', 'DropsBucketA91BB315']],
  [
    'AWS::SQS::Queue',
    [
      'NotificationsNoticeDeadLettersQueueFC8B71ED',
      'NotificationsNoticeQueue91C5A7E5',
      'NotificationsPlannerFailuresQueue7CE2418B',
      'NotificationsRecordDeliveryFailedEventsQueue6F376DDC',
      'BillingChunksDeadLettersQueue6D120D0C',
      'BillingChunksQueueB9285B1A',
      'IngestDropFailedEventsQueue1119A0D9',
      'OperatorFailedEventsQueue18031A9C',
      'SchedulesArrearsScanFailedEventsQueue56F4C912',
      'SchedulesArrearsChunksDeadLettersQueue53AC321B',
      'SchedulesArrearsChunksQueueE8C3F43C',
      'SchedulesRankAccountsFailedEventsQueue9D329BF0',
    ],
  ],
  ['AWS::Scheduler::ScheduleGroup', ['SchedulesReminderGroup1565E660']],
  ['AWS::IAM::Role', ['SchedulesReminderRole75556B48']],
  [
    'AWS::Scheduler::Schedule',
    [
      'SchedulesDailyArrearsScan765E8A31',
      'SchedulesMonthlyRanking0FB940E6',
      'ReleaseDeferredSms936C03D5',
      'SchedulesCheckDrops0A67B963',
      'SchedulesReconcileUncertain12122096',
      'SchedulesEscalateFollowUpsA8EFAAF7',
    ],
  ],
  [
    'AWS::Lambda::Function',
    [
      'NotificationsSendNoticeFunctionAAC50C8A',
      'NotificationsPlanNoticesFunctionE240AEB2',
      'NotificationsRecordDeliveryFunction75CD8916',
      'BillingBillChunkFunction1922824D',
      'IngestDropFunction9AD4A42A',
      'OperatorFunction40101DC7',
      'SchedulesArrearsScanFunctionB1E7CA81',
      'SchedulesArrearsChunkFunction100F72E3',
      'SchedulesRankAccountsFunctionC5F8B72A',
      'CustomerAnswersFunction5DDF2993',
    ],
  ],
  ['AWS::SES::ConfigurationSet', ['NotificationsPreviewConfigurationSetAD410CAB']],
];

describe('logical IDs', () => {
  it.each(DEPLOYED_LOGICAL_IDS)('keeps every %s under the logical ID it was deployed with', (type, ids) => {
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    for (const id of ids) expect(resources[id]?.Type, id).toBe(type);
    if (type !== 'AWS::IAM::Role')
      expect(Object.keys(template.findResources(type)).sort()).toEqual([...ids].sort());
  });
});
