import { CfnOutput, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ArrearsLadder } from './concerns/arrears-ladder.ts';
import { BillingFanOut } from './concerns/billing-fan-out.ts';
import { DropIngest } from './concerns/drop-ingest.ts';
import { FeedWatch } from './concerns/feed-watch.ts';
import { KeyAccountRanking } from './concerns/key-account-ranking.ts';
import { Notices } from './concerns/notices.ts';
import { deadLetterLabel, findWatched, Observability } from './concerns/observability.ts';
import { manageDeadLetters, OperatorConsole } from './concerns/operator-console.ts';
import { DataTable } from './constructs/data-table.ts';
import { DropBucket } from './constructs/drop-bucket.ts';
import { RecurringSchedules } from './constructs/recurring-schedules.ts';

export interface KeybillStackProps extends StackProps {
  /** From address of the bill previews (context `sesFromAddress`). */
  readonly sesFromAddress: string;
  /** Create the SES domain identity of the From address (context `createSesIdentity`). */
  readonly createSesIdentity: boolean;
  /** SNS SMS sender ID (context `smsSenderId`); empty for none. */
  readonly smsSenderId: string;
  /** Local hours without SMS, e.g. '21:00-08:00' (context `quietHours`). */
  readonly quietHours: string;
  /** Sender concurrency, the pace of SES/SNS sends (context `senderMaxConcurrency`). */
  readonly senderMaxConcurrency: number;
  /** Subscribed by e-mail to the alarm topic (context `alarmEmail`); undefined or empty for none. */
  readonly alarmEmail?: string;
  /** Which drops are expected when (context `feedCalendar`, JSON); undefined for the default calendar. */
  readonly feedCalendar?: unknown;
}

/** Customers and operators live in China Standard Time; every schedule and local date uses it. */
export const TIME_ZONE = TimeZone.ASIA_SHANGHAI;

/**
 * keybill in one environment-agnostic stack (no lookups: it synthesises offline, without credentials):
 * the two data stores, and one construct per business concern, each granting its own functions what
 * they need from the stores and queues it is given.
 *
 * Construct ids keep the logical IDs the resources were first deployed with. A resource whose logical ID
 * changes is replaced: CloudFormation would create `keybill-*` functions and schedules whose names already
 * exist (and fail), and a replaced queue or reminder group loses its messages or pending reminders. So
 * some ids are historical ('Notifications', 'Billing', 'Schedules'), and the id 'Default', which CDK
 * leaves out of logical IDs, marks a level that did not exist when they were deployed: the arrears ladder
 * inside the calendar, and the function a concern now wraps (drop-ingest, key-account-ranking,
 * operator-console). test/infra/keybill-stack.test.ts guards the IDs that must not change.
 */
export class KeybillStack extends Stack {
  readonly data: DataTable;
  readonly drops: DropBucket;
  readonly notices: Notices;
  readonly billing: BillingFanOut;
  readonly calendar: RecurringSchedules;
  readonly arrears: ArrearsLadder;
  readonly ranking: KeyAccountRanking;
  readonly ingest: DropIngest;
  readonly operatorConsole: OperatorConsole;
  readonly feedWatch: FeedWatch;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: KeybillStackProps) {
    super(scope, id, props);
    const table = new DataTable(this, 'Data');
    const drops = new DropBucket(this, 'Drops');
    this.data = table;
    this.drops = drops;

    // From a new bill version to a recorded delivery: plan, send (SES, SNS), record SES events.
    this.notices = new Notices(this, 'Notifications', {
      table,
      sesFromAddress: props.sesFromAddress,
      createSesIdentity: props.createSesIdentity,
      smsSenderId: props.smsSenderId,
      quietHours: props.quietHours,
      timeZone: TIME_ZONE.timezoneName,
      senderMaxConcurrency: props.senderMaxConcurrency,
    });
    const { noticeQueue } = this.notices;

    // The accounts of a meter-read drop, billed chunk by chunk by as many instances as the queue needs.
    this.billing = new BillingFanOut(this, 'Billing', { table, drops });
    const billChunks = this.billing.chunkQueue;

    // The recurring jobs, in China Standard Time. The arrears ladder and the ranking sit inside the
    // calendar because their resources were first deployed there.
    const calendar = new RecurringSchedules(this, 'Schedules', { timeZone: TIME_ZONE });
    this.calendar = calendar;
    const arrears = new ArrearsLadder(calendar, 'Default', { table, noticeQueue, calendar });
    this.arrears = arrears;
    // A disconnection notice's delivery event moves its plan (lead time from delivery).
    arrears.grantArrearsSteps(this.notices.recorder);
    this.ranking = new KeyAccountRanking(calendar, 'RankAccounts', {
      table,
      reports: drops,
      noticeQueue,
      calendar,
    });

    // Meter-read and payment drops; payments settle arrears, so ingestion takes arrears steps too.
    this.ingest = new DropIngest(this, 'IngestDrop', { table, drops, billChunks, arrears });

    // What operators do by hand, and the release of SMS deferred for quiet hours.
    this.operatorConsole = new OperatorConsole(this, 'Operator', {
      table,
      drops,
      billChunks,
      noticeQueue,
      arrears,
      quietHours: props.quietHours,
      calendar,
    });

    // Late and partial drops, stuck runs: checked hourly by the operator function, alarmed, mailed.
    this.feedWatch = new FeedWatch(calendar, 'FeedWatch', {
      operator: this.operatorConsole.operator,
      calendar,
      feedCalendar: props.feedCalendar,
      ...(props.alarmEmail === undefined ? {} : { operationsEmail: props.alarmEmail }),
    });

    // list-dead-letters and redrive reach every dead-letter queue built so far (every concern is built).
    manageDeadLetters(
      this.operatorConsole,
      findWatched(this).deadLetterQueues.map((dlq) => ({ dlq, name: deadLetterLabel(dlq) })),
      this,
    );

    // The dashboard finds every function, watched queue and dead-letter queue of the stack itself.
    // Every alarm of the stack notifies one topic (an aspect finds them, wherever they are created).
    this.observability = new Observability(this, 'Operations', { alarmEmail: props.alarmEmail });

    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'DropBucketName', { value: drops.bucketName });
    new CfnOutput(this, 'NoticeQueueUrl', { value: noticeQueue.queueUrl });
    new CfnOutput(this, 'OperatorFunctionName', { value: this.operatorConsole.operator.functionName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.alarmTopic.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
  }
}
