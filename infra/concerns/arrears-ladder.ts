import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ContextAttribute,
  type Schedule,
  ScheduleGroup,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../constructs/acknowledge.ts';
import type { DataTable } from '../constructs/data-table.ts';
import { KeybillFunction, METRICS_NAMESPACE } from '../constructs/keybill-function.ts';
import type { NamedSecret } from '../constructs/named-secret.ts';
import { ChunkQueue, type DeadLetterQueue, grantSend } from '../constructs/queues.ts';
import type { RecurringSchedules } from '../constructs/recurring-schedules.ts';
import { MAX_CONCURRENCY, REMINDER_SCHEDULE_GROUP, timeoutSecondsOf } from '../wiring-values.ts';

export { REMINDER_SCHEDULE_GROUP };

export interface ArrearsLadderProps {
  readonly table: DataTable;
  /** Warnings and reminders go out through the notices path. */
  readonly noticeQueue: IQueue;
  /** The daily scan goes on this calendar, in its time zone. */
  readonly calendar: RecurringSchedules;
  /** Warnings name their recipients by these keys. */
  readonly recipientKey: NamedSecret;
}

/**
 * The arrears ladder: a daily scan (09:00 China Standard Time) lists the accounts in arrears and queues
 * them in chunks; arrears-chunk takes each account's step on the ladder (warnings, then a disconnection
 * plan). The final reminder of each plan is a one-time schedule in its own group, created at run time,
 * which invokes arrears-scan.
 */
export class ArrearsLadder extends Construct {
  readonly arrearsScan: KeybillFunction;
  /** Takes each account's step of the daily scan, chunk by chunk, from chunkQueue. */
  readonly arrearsChunk: KeybillFunction;
  readonly chunkQueue: Queue;
  readonly chunkDeadLetters: DeadLetterQueue;
  readonly dailyScan: Schedule;
  /** Fires when the official working-day calendar covers fewer than 60 more days (or the scan stops reporting). */
  readonly calendarCoverageAlarm: Alarm;
  readonly reminderGroup: ScheduleGroup;
  /** The role one-time reminder schedules run as; arrears-scan passes it when it creates them. */
  readonly reminderRole: Role;
  private readonly table: DataTable;
  private readonly noticeQueue: IQueue;
  private readonly timeZoneName: string;
  private readonly recipientKey: NamedSecret;

  constructor(scope: Construct, id: string, props: ArrearsLadderProps) {
    super(scope, id);
    this.table = props.table;
    this.noticeQueue = props.noticeQueue;
    this.recipientKey = props.recipientKey;
    this.timeZoneName = props.calendar.timeZone.timezoneName;

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
            'aws:SourceAccount': Stack.of(this).account,
            'aws:SourceArn': this.reminderGroup.scheduleGroupArn,
          },
        },
      }),
    });

    this.arrearsScan = new KeybillFunction(this, 'ArrearsScan', {
      handlerName: 'arrears-scan',
      description: 'Daily arrears scan (fanned out to arrears-chunk) and the final reminder of each plan',
      timeout: Duration.seconds(timeoutSecondsOf('arrears-scan')),
      asyncInvoke: {},
    });
    this.grantArrearsSteps(this.arrearsScan);

    this.arrearsChunk = new KeybillFunction(this, 'ArrearsChunk', {
      handlerName: 'arrears-chunk',
      description: 'Takes the daily arrears step of one chunk of accounts',
      timeout: Duration.seconds(timeoutSecondsOf('arrears-chunk')),
    });
    this.grantArrearsSteps(this.arrearsChunk);
    const chunks = new ChunkQueue(this, 'ArrearsChunks', {
      consumer: this.arrearsChunk,
      maxConcurrency: MAX_CONCURRENCY['arrears-chunk'],
      // A chunk older than a day is superseded by the next daily scan.
      retentionPeriod: Duration.days(1),
      purpose: 'Arrears-chunk queue: a chunk of the daily scan failed 5 receives; its accounts missed a day',
    });
    this.chunkQueue = chunks.queue;
    this.chunkDeadLetters = chunks.deadLetters;
    this.arrearsScan.function.addEnvironment('ARREARS_CHUNK_QUEUE_URL', this.chunkQueue.queueUrl);
    grantSend(this.chunkQueue, this.arrearsScan.function);

    // What a reminder may do: invoke arrears-scan (this exact function, no version or alias) and, when
    // that fails, leave the event in its dead-letter queue.
    this.reminderRole.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.arrearsScan.function.functionArn],
      }),
    );
    this.reminderRole.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.reminderFailures.queueArn] }),
    );
    this.arrearsScan.requireDeadLetterQueue().grantKeyToSenders(this.reminderRole);

    this.dailyScan = props.calendar.add('DailyArrearsScan', {
      name: 'daily-arrears-scan',
      description: 'Arrears scan every day at 09:00 China Standard Time',
      cron: { minute: '0', hour: '9' },
      target: this.arrearsScan,
      maxEventAge: Duration.hours(1),
      input: ScheduleTargetInput.fromObject({
        task: 'daily-arrears-scan',
        scheduledTime: ContextAttribute.scheduledTime,
      }),
    });
    this.calendarCoverageAlarm = this.watchCalendarCoverage();
  }

  /**
   * The official working-day calendar (a snapshot per year, shared/domain/calendar/official/) must be
   * extended before it runs out: a year it does not cover is never planned automatically. The daily scan
   * reports the days it has left; operators are told 60 days (the policy's coverageWarningDays) ahead.
   */
  private watchCalendarCoverage(): Alarm {
    return new Alarm(this, 'CalendarCoverageEnding', {
      alarmDescription:
        'The official working-day calendar covers fewer than 60 more days: add the next year with ' +
        '`npm run calendar-snapshot -- <year>` and deploy (README "Arrears and disconnection warnings").',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'CalendarCoverageDaysLeft',
        dimensionsMap: { service: this.arrearsScan.serviceName },
        statistic: 'Minimum',
        period: Duration.days(1),
      }),
      threshold: 60,
      comparisonOperator: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // A scan that does not run is the function's errors alarm's business.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** Where a reminder that could not invoke arrears-scan is left: the function's own dead-letter queue. */
  private get reminderFailures(): IQueue {
    return this.arrearsScan.requireDeadLetterQueue().queue;
  }

  /**
   * Lets a function take arrears steps (the scan and its chunks, payment ingestion whose payments cancel
   * plans, operators approving, deferring or exempting plans, a notice's delivery event or the customer's
   * confirmed receipt moving a plan): plan notices, and create or delete the
   * one-time reminder schedules that invoke arrears-scan.
   */
  grantArrearsSteps(fn: KeybillFunction): void {
    const stack = Stack.of(this);
    fn.function.addEnvironment('TABLE_NAME', this.table.tableName);
    fn.function.addEnvironment('NOTICE_QUEUE_URL', this.noticeQueue.queueUrl);
    fn.function.addEnvironment('REMINDER_SCHEDULE_GROUP', REMINDER_SCHEDULE_GROUP);
    // Built from the fixed function name: a reference to the function from its own environment is circular.
    fn.function.addEnvironment('REMINDER_TARGET_ARN', this.arrearsScan.arnByName);
    fn.function.addEnvironment('REMINDER_ROLE_ARN', this.reminderRole.roleArn);
    fn.function.addEnvironment('REMINDER_DLQ_ARN', this.reminderFailures.queueArn);
    fn.function.addEnvironment('TIME_ZONE', this.timeZoneName);
    this.table.grantItemAccess(fn);
    grantSend(this.noticeQueue, fn.function);
    this.recipientKey.grantRead(fn);
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
