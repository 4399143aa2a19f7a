import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { documentClient } from '#adapters/clients.ts';
import { sqsDeadLetterQueues } from '#adapters/dead-letter-queues.ts';
import { s3DropObjectLookup } from '#adapters/drop-object-lookup.ts';
import { s3DropObjectStore } from '#adapters/drop-objects.ts';
import { dynamoStores } from '#adapters/dynamodb/index.ts';
import { logFields, metrics } from '#adapters/observability.ts';
import { awsMessageProviders } from '#adapters/providers.ts';
import { eventBridgeReminderScheduler } from '#adapters/reminder-scheduler.ts';
import { secretsManagerStore } from '#adapters/secrets.ts';
import { sqsArrearsChunkQueue, sqsBillChunkQueue, sqsNoticeQueue } from '#adapters/sqs-queues.ts';
import { DEFAULT_FOLLOW_UP_HOURS, type FollowUpPolicy } from '#domain/answers/index.ts';
import { parseQuietHours } from '#domain/calendar/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import type { AnswerLinkConfig } from '#services/answers/answer-links.ts';
import { confirmedDeliveriesOnPlans } from '#services/answers/confirmed-delivery.ts';
import type { AnswerDeps } from '#services/answers/record-answer.ts';
import { recordDeliveryOfNotice, settlePayments } from '#services/arrears.ts';
import type { ArrearsDeps } from '#services/arrears-step.ts';
import type { BillChunkDeps } from '#services/bill-account-chunk.ts';
import type { SenderDeps } from '#services/deliver-notice.ts';
import type { OperatorDeps } from '#services/operator-commands.ts';
import { Lookahead, paceFromEnv } from '#services/pacing.ts';
import type { RecipientKeyer, Stores } from '#services/ports/index.ts';
import type { RankingDeps } from '#services/rank-key-accounts.ts';
import { secretRecipientKeyer } from '#services/recipient-keys.ts';
import type { RunDropDeps } from '#services/run-meter-read-drop.ts';
import {
  accountsPerChunkFromEnv,
  arrearsPolicyFromEnv,
  deadLetterQueuesFromEnv,
  feedCalendarFromEnv,
  optionalEnv,
  readWindowFromEnv,
  requiredEnv,
  timeZoneFromEnv,
} from './env.ts';

/*
 * The one place where the services meet their adapters: each function's dependencies, built from the
 * environment the stack gives it (README "Configuration"). Handlers and the CLI call these; nothing else
 * constructs a store, a queue or a provider. Called once per process (a Lambda's cold start).
 */

type Log = (message: string, fields?: Record<string, unknown>) => void;

/** Every store of the table TABLE_NAME, sharing the process's one client (the stores hold no state). */
export const tableStores = (): Stores => dynamoStores(documentClient(), requiredEnv('TABLE_NAME'));

const noticeQueue = () => sqsNoticeQueue(requiredEnv('NOTICE_QUEUE_URL'));

/**
 * Recipient keys under the named secret RECIPIENT_KEY_SECRET_ID (its ARN in AWS; the value is read from
 * Secrets Manager, never from the environment), through the process's one secret store.
 */
export function recipientKeysFromEnv(): RecipientKeyer {
  // Read at first use: a function whose commands never name a recipient needs no secret.
  const keyer = () => secretRecipientKeyer(secretStore(), requiredEnv('RECIPIENT_KEY_SECRET_ID'));
  return { current: () => keyer().current(), previous: () => keyer().previous() };
}
const optionalQueue = <Q>(variable: string, make: (url: string) => Q): Q | undefined => {
  const url = optionalEnv(variable);
  return url === undefined ? undefined : make(url);
};

/** The arrears ladder's dependencies: stores, the notices queue, the reminder schedules, the policy. */
export function arrearsDeps({ log }: { log?: Log } = { log: logFields }): ArrearsDeps & Stores {
  return {
    ...tableStores(),
    queue: noticeQueue(),
    scheduler: eventBridgeReminderScheduler({
      groupName: requiredEnv('REMINDER_SCHEDULE_GROUP'),
      targetArn: requiredEnv('REMINDER_TARGET_ARN'),
      roleArn: requiredEnv('REMINDER_ROLE_ARN'),
      ...(optionalEnv('REMINDER_DLQ_ARN') === undefined
        ? {}
        : { deadLetterArn: requiredEnv('REMINDER_DLQ_ARN') }),
      timeZone: timeZoneFromEnv(),
    }),
    policy: arrearsPolicyFromEnv(),
    recipientKeys: recipientKeysFromEnv(),
    ...(log === undefined ? {} : { log }),
  };
}

/** Where the arrears ladder is configured (REMINDER_SCHEDULE_GROUP): its dependencies, else none. */
const arrearsDepsIfConfigured = (options: { log?: Log }): ArrearsDeps | undefined =>
  optionalEnv('REMINDER_SCHEDULE_GROUP') === undefined ? undefined : arrearsDeps(options);

/** The daily scan: the ladder's dependencies and the arrears-chunk queue it fans out to. */
export const arrearsScanDeps = () => ({
  ...arrearsDeps(),
  chunks: sqsArrearsChunkQueue(requiredEnv('ARREARS_CHUNK_QUEUE_URL')),
});

/** ingest-drop: meter-read drops to the bill fan-out; payments, which settle arrears as they arrive. */
export function dropIngestDeps() {
  const arrears = arrearsDepsIfConfigured({ log: logFields });
  const meterReads: RunDropDeps = {
    ...tableStores(),
    objects: s3DropObjectStore,
    chunks: sqsBillChunkQueue(requiredEnv('BILL_CHUNK_QUEUE_URL')),
    accountsPerChunk: accountsPerChunkFromEnv(process.env.BILL_CHUNK_ACCOUNTS),
    readWindow: readWindowFromEnv(process.env.METER_READ_MAX_AGE_MONTHS),
    log: logFields,
  };
  const payments = {
    ...tableStores(),
    objects: s3DropObjectStore,
    // Payments that clear arrears cancel pending warnings and disconnection plans as soon as they arrive.
    ...(arrears === undefined
      ? {}
      : { onPaymentsStored: (accounts: string[], at: string) => settlePayments(accounts, at, arrears) }),
  };
  return { meterReads, payments };
}

export const billChunkDeps = (): BillChunkDeps => ({
  ...tableStores(),
  objects: s3DropObjectStore,
  log: logFields,
});

/**
 * plan-notices: the stores and the notices queue; for the customers' answers it follows through, the
 * arrears ladder, which records a confirmed receipt of a disconnection notice on its plan.
 */
export const planNoticesDeps = () => ({
  ...tableStores(),
  queue: noticeQueue(),
  recipientKeys: recipientKeysFromEnv(),
  deliveryConfirmations: confirmedDeliveriesOnPlans(arrearsDeps()),
});

/** record-delivery: the stores, and the arrears plans that count a disconnection notice's delivery. */
export function deliveryEventDeps() {
  const arrears = arrearsDepsIfConfigured({ log: logFields });
  return {
    ...tableStores(),
    recipientKeys: recipientKeysFromEnv(),
    ...(arrears === undefined
      ? {}
      : {
          onDisconnectionNoticeDelivery: (
            notice: StoredNotice,
            outcome: 'delivered' | 'bounced',
            at: string,
            recordedAt: string,
          ) => recordDeliveryOfNotice(notice, outcome, at, recordedAt, arrears),
        }),
  };
}

/**
 * send-notice: the providers and this instance's pace, the account's SES / SNS quota divided by the
 * queue's maximum concurrency.
 */
export function senderDeps(): SenderDeps {
  const pace = {
    email: paceFromEnv(process.env.EMAIL_RATE_PER_SECOND),
    sms: paceFromEnv(process.env.SMS_RATE_PER_SECOND),
  };
  // A paced instance claims, reads and renders only a couple of notices per paced channel ahead of its
  // pace (one waiting for its token, the next being prepared), in batch order: the first send of a batch
  // does not wait for the whole batch's claims, and few claimed notices wait unsent should the invocation
  // die. Unpaced, the whole batch goes at once.
  const pacedChannels = Object.values(pace).filter((bucket) => bucket !== undefined).length;
  return {
    ...tableStores(),
    providers: awsMessageProviders,
    recipientKeys: recipientKeysFromEnv(),
    config: {
      fromAddress: requiredEnv('SES_FROM_ADDRESS'),
      configurationSet: process.env.SES_CONFIGURATION_SET,
      smsSenderId: process.env.SMS_SENDER_ID,
      smsQuietHours: parseQuietHours(process.env.QUIET_HOURS, timeZoneFromEnv()),
      ...claimLeaseFromEnv(process.env.NOTICE_CLAIM_LEASE_SECONDS),
    },
    pace,
    ...(pacedChannels === 0 ? {} : { lookahead: new Lookahead(2 * pacedChannels) }),
    log: logFields,
    count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
    ...answerLinksFromEnv(),
  };
}

/** The secrets of this process: one store, so its cache serves every use. */
let secrets: ReturnType<typeof secretsManagerStore> | undefined;
const secretStore = () => {
  secrets ??= secretsManagerStore();
  return secrets;
};

/**
 * The answer links of the sender, where the stack configures them: the signing key's secret
 * (LINK_SIGNING_SECRET_ID, a name or ARN, never the key) and the public endpoint (ANSWER_BASE_URL).
 */
function answerLinksFromEnv(): { answerLinks?: AnswerLinkConfig } {
  const signingSecret = optionalEnv('LINK_SIGNING_SECRET_ID');
  const baseUrl = optionalEnv('ANSWER_BASE_URL');
  if (signingSecret === undefined || baseUrl === undefined) return {};
  // Read the key at cold start, so the first send does not wait for it (a failure here is retried then).
  secretStore()
    .values(signingSecret)
    .catch(() => {});
  return {
    answerLinks: {
      secrets: secretStore(),
      signingSecret,
      baseUrl: baseUrl.replace(/\/+$/, ''),
      smsLinks: tableStores().smsLinks,
    },
  };
}

/**
 * How long a manager has for a follow-up: FOLLOW_UP_DUE_HOURS working hours (default 4) on the arrears
 * policy's working calendar.
 */
export function followUpPolicyFromEnv(): FollowUpPolicy {
  const value = optionalEnv('FOLLOW_UP_DUE_HOURS');
  const hours = value === undefined ? DEFAULT_FOLLOW_UP_HOURS : Number(value);
  if (!/^\d{1,3}$/.test(value ?? '4') || hours < 1 || hours > 200)
    throw new Error(
      `FOLLOW_UP_DUE_HOURS must be a whole number of hours from 1 to 200, got "${String(value).slice(0, 40)}"`,
    );
  return { dueWithinWorkingHours: hours, calendar: arrearsPolicyFromEnv().disconnection };
}

/** The public answers function: reads notices, accounts, payments and links; writes answers and follow-ups. */
export function answerDeps(): AnswerDeps {
  const stores = tableStores();
  return {
    secrets: secretStore(),
    signingSecret: requiredEnv('LINK_SIGNING_SECRET_ID'),
    notices: stores.notices,
    smsLinks: stores.smsLinks,
    accounts: stores.accounts,
    answers: stores.answers,
    followUps: stores.followUps,
    payments: stores.payments,
    followUpPolicy: followUpPolicyFromEnv(),
    now: () => new Date(),
  };
}

/**
 * NOTICE_CLAIM_LEASE_SECONDS: how long a sender's claim on a notice holds; the stack derives it from the
 * sender's timeout, as it does the queue's visibility timeout (deliver-notice.ts DEFAULT_CLAIM_LEASE_MS
 * says why). Unset: the service's default.
 */
export function claimLeaseFromEnv(value: string | undefined): { claimLeaseMs?: number } {
  if (value === undefined || value === '') return {};
  const seconds = Number(value);
  if (!/^\d{1,5}$/.test(value) || seconds < 1 || seconds > 43_200) {
    throw new Error(
      `NOTICE_CLAIM_LEASE_SECONDS must be a whole number of seconds from 1 to 43200, got "${value.slice(0, 40)}"`,
    );
  }
  return { claimLeaseMs: seconds * 1000 };
}

/** rank-accounts: the stores, the report bucket, and (where configured) the managers' digests' queue. */
export const rankingDeps = (): RankingDeps & { reportBucket: string; reportPrefix: string } => ({
  ...tableStores(),
  objects: s3DropObjectStore,
  ...(optionalEnv('NOTICE_QUEUE_URL') === undefined ? {} : { queue: noticeQueue() }),
  reportBucket: requiredEnv('REPORT_BUCKET'),
  reportPrefix: process.env.REPORT_PREFIX ?? 'reports/',
});

/**
 * The operator's commands, from the console or the CLI: each command's optional parts (the drop bucket,
 * queues, the arrears ladder) are present where the environment configures them, and a command that
 * needs a missing one says which variable it needs. run-drop reads only DROP_BUCKET, as ingest-drop
 * reads only the bucket whose events reach it.
 */
export function operatorDeps({ log }: { log?: Log } = { log: logFields }): OperatorDeps {
  const arrears = arrearsDepsIfConfigured({ ...(log === undefined ? {} : { log }) });
  return {
    ...tableStores(),
    objects: s3DropObjectStore,
    dropObjects: s3DropObjectLookup,
    dropBucket: optionalEnv('DROP_BUCKET'),
    queue: optionalQueue('NOTICE_QUEUE_URL', sqsNoticeQueue),
    chunks: optionalQueue('BILL_CHUNK_QUEUE_URL', sqsBillChunkQueue),
    readWindow: readWindowFromEnv(process.env.METER_READ_MAX_AGE_MONTHS),
    arrears,
    recipientKeys: recipientKeysFromEnv(),
    ...(optionalEnv('RECIPIENT_KEY_SECRET_ID') === undefined
      ? {}
      : { recipientKeyMigration: { ...tableStores(), recipientKeys: recipientKeysFromEnv() } }),
    deadLetters: optionalQueue('DEAD_LETTER_QUEUES', () => sqsDeadLetterQueues(deadLetterQueuesFromEnv()!)),
    dropCheck: {
      feedCalendar: feedCalendarFromEnv(),
      operationsEmail: optionalEnv('OPERATIONS_EMAIL'),
      count: (metric, value) => metrics.addMetric(metric, MetricUnit.Count, value),
    },
    // A payment drop run by hand settles arrears as one delivered by S3 does.
    ...(arrears === undefined
      ? {}
      : { onPaymentsStored: (accounts: string[], at: string) => settlePayments(accounts, at, arrears) }),
    escalationEmail: optionalEnv('FOLLOW_UP_ESCALATION_EMAIL'),
    ...(log === undefined ? {} : { log }),
  };
}
