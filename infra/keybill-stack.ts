import { CfnOutput, Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { acknowledge } from './constructs/acknowledge.ts';
import { BillFanOut } from './constructs/bill-fan-out.ts';
import { DataTable } from './constructs/data-table.ts';
import { BUCKET_PREFIXES, DropBucket } from './constructs/drop-bucket.ts';
import { KeybillFunction } from './constructs/keybill-function.ts';
import { NotificationPath } from './constructs/notification-path.ts';
import { OperationsDashboard } from './constructs/operations-dashboard.ts';
import { Schedules } from './constructs/schedules.ts';

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
}

/** Customers and operators live in China Standard Time; every schedule and local date uses it. */
export const TIME_ZONE = TimeZone.ASIA_SHANGHAI;

/**
 * keybill in one environment-agnostic stack (no lookups: it synthesises offline, without credentials).
 */
export class KeybillStack extends Stack {
  readonly data: DataTable;
  readonly drops: DropBucket;
  readonly ingest: KeybillFunction;
  readonly billing: BillFanOut;
  readonly operator: KeybillFunction;
  readonly notifications: NotificationPath;
  readonly schedules: Schedules;
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: KeybillStackProps) {
    super(scope, id, props);

    this.data = new DataTable(this, 'Data');
    this.drops = new DropBucket(this, 'Drops');

    this.notifications = new NotificationPath(this, 'Notifications', {
      table: this.data,
      sesFromAddress: props.sesFromAddress,
      createSesIdentity: props.createSesIdentity,
      smsSenderId: props.smsSenderId,
      quietHours: props.quietHours,
      timeZone: TIME_ZONE.timezoneName,
      senderMaxConcurrency: props.senderMaxConcurrency,
    });

    // ---- Billing: the accounts of a read drop, chunk by chunk, by as many instances as the queue needs.
    this.billing = new BillFanOut(this, 'Billing', { table: this.data, drops: this.drops });

    // ---- Ingest: meter-read and payment drops, via EventBridge "Object Created".
    this.ingest = new KeybillFunction(this, 'IngestDrop', {
      handlerName: 'ingest-drop',
      description: 'Streams a dropped CSV, validates it, stores payments or stages reads for bill-chunk',
      // One full vCPU (1,769 MB) and the 15-minute ceiling: reading and staging run at several million
      // rows per run (README "Scale"); billing is fanned out.
      memorySize: 1769,
      timeout: Duration.minutes(15),
      environment: { TABLE_NAME: this.data.tableName, BILL_CHUNK_QUEUE_URL: this.billing.queue.queueUrl },
      asyncInvoke: {},
    });
    this.data.grantReadWrite(this.ingest.function);
    this.billing.queue.grantSendMessages(this.ingest.function);
    this.drops.grantReadDrops(this.ingest.function);
    this.drops.grantWriteRejects(this.ingest.function);
    this.drops.onObjectCreated(
      'DropCreated',
      [BUCKET_PREFIXES.meterReads, BUCKET_PREFIXES.payments],
      new LambdaFunction(this.ingest.function, {
        deadLetterQueue: this.ingest.deadLetterQueue?.queue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
      'A meter-read or payment drop arrived: ingest it',
    );

    // ---- Operator: invoked from the console with test events; same services as the automatic path.
    this.operator = new KeybillFunction(this, 'Operator', {
      handlerName: 'operator',
      description: 'Operator commands (console test events): run a drop, list runs, show bills and notices',
      // `run-drop` does what ingest-drop does, so it gets the same room.
      memorySize: 1769,
      timeout: Duration.minutes(15),
      // Schedules invoke it asynchronously (release-deferred); failures land in its dead-letter queue.
      asyncInvoke: {},
      environment: {
        TABLE_NAME: this.data.tableName,
        DROP_BUCKET: this.drops.bucketName,
        NOTICE_QUEUE_URL: this.notifications.noticeQueue.queueUrl,
        BILL_CHUNK_QUEUE_URL: this.billing.queue.queueUrl,
      },
    });
    this.data.grantReadWrite(this.operator.function);
    this.billing.queue.grantSendMessages(this.operator.function);
    this.drops.grantReadDrops(this.operator.function);
    this.drops.grantWriteRejects(this.operator.function);
    this.notifications.noticeQueue.grantSendMessages(this.operator.function);

    this.schedules = new Schedules(this, 'Schedules', {
      table: this.data,
      noticeQueue: this.notifications.noticeQueue,
      dropBucket: this.drops,
      timeZone: TIME_ZONE,
    });
    // A payment drop settles arrears at once: cleared arrears cancel warnings and reminder schedules.
    // Operators approve, defer or exempt disconnection plans through the operator function.
    this.schedules.grantArrearsSteps(this.operator, {
      table: this.data,
      noticeQueue: this.notifications.noticeQueue,
      timeZone: TIME_ZONE,
    });
    this.schedules.grantArrearsSteps(this.ingest, {
      table: this.data,
      noticeQueue: this.notifications.noticeQueue,
      timeZone: TIME_ZONE,
    });

    // SMS deferred for quiet hours go back on the queue when the quiet hours end (08:00 by default).
    const quietEnd = props.quietHours.split('-')[1]?.trim() ?? '08:00';
    const [quietEndHour, quietEndMinute] = quietEnd.split(':');
    new Schedule(this, 'ReleaseDeferredSms', {
      scheduleName: `${this.stackName}-release-deferred-sms`,
      description: `Re-queue SMS deferred for quiet hours, daily at ${quietEnd} China Standard Time`,
      schedule: ScheduleExpression.cron({
        minute: String(Number(quietEndMinute)),
        hour: String(Number(quietEndHour)),
        timeZone: TIME_ZONE,
      }),
      target: new LambdaInvoke(this.operator.function, {
        role: this.schedules.schedulerRole,
        deadLetterQueue: this.operator.deadLetterQueue!.queue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        input: ScheduleTargetInput.fromObject({ command: 'release-deferred' }),
      }),
    });
    acknowledge(
      this.schedules.schedulerRole,
      `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.operator.function.node.defaultChild as CfnFunction)}.Arn>:*]`,
      'Added by the Scheduler LambdaInvoke target (grantInvoke covers versions and aliases of the operator function); the wildcard stays within that one function.',
    );

    this.dashboard = new OperationsDashboard(this, 'Operations', {
      functions: this.functions,
      noticeQueue: this.notifications.noticeQueue,
      deadLetterQueues: [
        ...this.notifications.deadLetterQueues,
        this.billing.deadLetters,
        this.schedules.arrearsChunkDeadLetters,
        ...[this.ingest, this.operator, this.schedules.arrearsScan, this.schedules.rankAccounts].flatMap(
          (f) => (f.deadLetterQueue ? [f.deadLetterQueue] : []),
        ),
      ],
    });

    new CfnOutput(this, 'TableName', { value: this.data.tableName });
    new CfnOutput(this, 'DropBucketName', { value: this.drops.bucketName });
    new CfnOutput(this, 'NoticeQueueUrl', { value: this.notifications.noticeQueue.queueUrl });
    new CfnOutput(this, 'OperatorFunctionName', { value: this.operator.functionName });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
  }

  /** Every function of the product. */
  get functions(): KeybillFunction[] {
    return [
      this.ingest,
      this.billing.biller,
      this.notifications.planner,
      this.notifications.sender,
      this.notifications.recorder,
      this.operator,
      this.schedules.arrearsScan,
      this.schedules.arrearsChunk,
      this.schedules.rankAccounts,
    ];
  }
}
