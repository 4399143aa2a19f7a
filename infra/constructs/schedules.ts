import { Duration, RemovalPolicy, Stack, type TimeZone } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.ts';
import type { DataTable } from './data-table.ts';
import type { DropBucket } from './drop-bucket.ts';
import { BUCKET_PREFIXES } from './drop-bucket.ts';
import { KeybillFunction } from './keybill-function.ts';
import { ChunkQueue, type DeadLetterQueue } from './queues.ts';

export const REMINDER_SCHEDULE_GROUP = 'keybill-disconnection-reminders';

export interface SchedulesProps {
  readonly table: DataTable;
  readonly noticeQueue: IQueue;
  readonly dropBucket: DropBucket;
  /** The time zone every schedule fires in (the customers' and operators' wall clock). */
  readonly timeZone: TimeZone;
}

/**
 * Jobs on the calendar, all on EventBridge Scheduler in the customers' time zone: the daily arrears scan
 * (which also plans one-time disconnection reminders in their own schedule group) and the monthly
 * key-account ranking.
 */
export class Schedules extends Construct {
  readonly arrearsScan: KeybillFunction;
  /** Takes each account's step of the daily scan, chunk by chunk, from arrearsChunks. */
  readonly arrearsChunk: KeybillFunction;
  readonly arrearsChunks: Queue;
  readonly arrearsChunkDeadLetters: DeadLetterQueue;
  readonly rankAccounts: KeybillFunction;
  readonly dailyArrearsScan: Schedule;
  readonly monthlyRanking: Schedule;
  readonly reminderGroup: ScheduleGroup;
  private readonly arrearsFailures: IQueue;
  /** The role one-time reminder schedules run as; arrears-scan passes it when it creates them. */
  readonly reminderRole: Role;
  /** The role the recurring schedules run as. */
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const tz = props.timeZone.timezoneName;

    this.reminderGroup = new ScheduleGroup(this, 'ReminderGroup', {
      scheduleGroupName: REMINDER_SCHEDULE_GROUP,
      // A reminder is worthless without the function it invokes: it goes with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.reminderRole = new Role(this, 'ReminderRole', {
      description: `Runs the one-time schedules of ${REMINDER_SCHEDULE_GROUP}`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': this.reminderGroup.scheduleGroupArn,
          },
        },
      }),
    });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'Runs the recurring keybill schedules',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });

    // ---- Arrears scan: daily at 09:00 (fanned out to arrears-chunk), and the target of every
    // disconnection reminder.
    this.arrearsScan = new KeybillFunction(this, 'ArrearsScan', {
      handlerName: 'arrears-scan',
      description: 'Daily arrears scan (fanned out to arrears-chunk) and the final reminder of each plan',
      // Listing ~100,000 accounts and queueing their chunks takes seconds; the margin is for throttling.
      timeout: Duration.minutes(5),
      asyncInvoke: {},
    });
    const arrearsFailures = this.arrearsScan.deadLetterQueue!.queue;
    this.arrearsFailures = this.arrearsScan.deadLetterQueue!.queue;
    this.grantArrearsSteps(this.arrearsScan, props);

    this.arrearsChunk = new KeybillFunction(this, 'ArrearsChunk', {
      handlerName: 'arrears-chunk',
      description: 'Takes the daily arrears step of one chunk of accounts',
      // ~100 accounts of a few round trips each; the margin covers a throttled table's retries.
      timeout: Duration.minutes(5),
    });
    this.grantArrearsSteps(this.arrearsChunk, props);
    const arrearsChunks = new ChunkQueue(this, 'ArrearsChunks', {
      consumer: this.arrearsChunk,
      maxConcurrency: 10,
      // A chunk older than a day is superseded by the next daily scan.
      retentionPeriod: Duration.days(1),
      purpose: 'Arrears-chunk queue: a chunk of the daily scan failed 5 receives; its accounts missed a day',
    });
    this.arrearsChunks = arrearsChunks.queue;
    this.arrearsChunkDeadLetters = arrearsChunks.deadLetters;
    this.arrearsScan.function.addEnvironment('ARREARS_CHUNK_QUEUE_URL', this.arrearsChunks.queueUrl);
    this.arrearsChunks.grantSendMessages(this.arrearsScan.function);
    // What a reminder may do: invoke arrears-scan (this exact function, no version or alias) and, when
    // that fails, leave the event in its dead-letter queue.
    this.reminderRole.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.arrearsScan.function.functionArn],
      }),
    );
    this.reminderRole.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [arrearsFailures.queueArn] }),
    );

    this.dailyArrearsScan = new Schedule(this, 'DailyArrearsScan', {
      scheduleName: `${stack.stackName}-daily-arrears-scan`,
      description: 'Arrears scan every day at 09:00 China Standard Time',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '9', timeZone: props.timeZone }),
      target: new LambdaInvoke(this.arrearsScan.function, {
        role: this.schedulerRole,
        deadLetterQueue: arrearsFailures,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        input: ScheduleTargetInput.fromObject({
          task: 'daily-arrears-scan',
          scheduledTime: ContextAttribute.scheduledTime,
        }),
      }),
    });

    // ---- Key-account ranking: monthly, on the 3rd at 06:00, once the month's bills are in.
    this.rankAccounts = new KeybillFunction(this, 'RankAccounts', {
      handlerName: 'rank-accounts',
      description: 'Monthly key-account ranking report',
      timeout: Duration.minutes(10),
      memorySize: 1769,
      asyncInvoke: {},
      environment: {
        TABLE_NAME: props.table.tableName,
        REPORT_BUCKET: props.dropBucket.bucketName,
        REPORT_PREFIX: BUCKET_PREFIXES.reports,
        NOTICE_QUEUE_URL: props.noticeQueue.queueUrl,
        TIME_ZONE: tz,
      },
    });
    props.table.grantReadWrite(this.rankAccounts.function);
    props.dropBucket.grantWriteReports(this.rankAccounts.function);
    // Managers' monthly digests go out through the notification path.
    props.noticeQueue.grantSendMessages(this.rankAccounts.function);

    this.monthlyRanking = new Schedule(this, 'MonthlyRanking', {
      scheduleName: `${stack.stackName}-monthly-ranking`,
      description: 'Key-account ranking on the 3rd of every month at 06:00 China Standard Time',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '6', day: '3', timeZone: props.timeZone }),
      target: new LambdaInvoke(this.rankAccounts.function, {
        role: this.schedulerRole,
        deadLetterQueue: this.rankAccounts.deadLetterQueue!.queue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        input: ScheduleTargetInput.fromObject({
          task: 'monthly-ranking',
          scheduledTime: ContextAttribute.scheduledTime,
        }),
      }),
    });

    // LambdaInvoke grants the scheduler role lambda:InvokeFunction on the function and on `<arn>:*`
    // (its versions and aliases); the schedules invoke the unqualified function only.
    for (const job of [this.arrearsScan, this.rankAccounts]) {
      const functionId = stack.getLogicalId(job.function.node.defaultChild as CfnFunction);
      acknowledge(
        this.schedulerRole,
        `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        `Added by the Scheduler LambdaInvoke target (grantInvoke covers versions and aliases of ${job.serviceName}); ` +
          'the wildcard stays within that one function.',
      );
    }
  }

  /**
   * Lets a function take arrears steps (the scan, and payment ingestion whose payments cancel plans):
   * plan notices, and create or delete the one-time reminder schedules that invoke arrears-scan.
   */
  grantArrearsSteps(
    fn: KeybillFunction,
    props: Pick<SchedulesProps, 'table' | 'noticeQueue' | 'timeZone'>,
  ): void {
    const stack = Stack.of(this);
    fn.function.addEnvironment('TABLE_NAME', props.table.tableName);
    fn.function.addEnvironment('NOTICE_QUEUE_URL', props.noticeQueue.queueUrl);
    fn.function.addEnvironment('REMINDER_SCHEDULE_GROUP', REMINDER_SCHEDULE_GROUP);
    // Built from the fixed function name: a reference to the function from its own environment is circular.
    fn.function.addEnvironment('REMINDER_TARGET_ARN', this.arrearsScan.arnByName);
    fn.function.addEnvironment('REMINDER_ROLE_ARN', this.reminderRole.roleArn);
    fn.function.addEnvironment('REMINDER_DLQ_ARN', this.arrearsFailures.queueArn);
    fn.function.addEnvironment('TIME_ZONE', props.timeZone.timezoneName);
    props.table.grantReadWrite(fn.function);
    props.noticeQueue.grantSendMessages(fn.function);
    const reminderSchedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${REMINDER_SCHEDULE_GROUP}/*`,
    });
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [reminderSchedules],
      }),
    );
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/' +
        `${REMINDER_SCHEDULE_GROUP}/*]`,
      'One-time reminder schedules are named per disconnection plan at run time; the wildcard is confined ' +
        `to the ${REMINDER_SCHEDULE_GROUP} group and to creating and deleting schedules.`,
    );
    fn.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.reminderRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
}
