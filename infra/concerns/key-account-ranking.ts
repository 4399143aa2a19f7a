import { Duration } from 'aws-cdk-lib';
import { ContextAttribute, type Schedule, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DataTable } from '../constructs/data-table.ts';
import { BUCKET_PREFIXES, type DropBucket } from '../constructs/drop-bucket.ts';
import { KeybillFunction, ONE_VCPU_MB } from '../constructs/keybill-function.ts';
import { grantSend } from '../constructs/queues.ts';
import type { RecurringSchedules } from '../constructs/recurring-schedules.ts';
import { timeoutSecondsOf } from '../wiring-values.ts';

export interface KeyAccountRankingProps {
  readonly table: DataTable;
  /** The report is written under `reports/` of the drop bucket. */
  readonly reports: DropBucket;
  /** Managers' monthly digests go out through the notices path. */
  readonly noticeQueue: IQueue;
  /** The monthly run goes on this calendar, in its time zone. */
  readonly calendar: RecurringSchedules;
}

/**
 * The monthly key-account ranking: on the 3rd at 06:00, once the month's bills are in, rank-accounts
 * writes the ranking report and queues the managers' digests.
 */
export class KeyAccountRanking extends Construct {
  readonly rankAccounts: KeybillFunction;
  readonly monthlyRanking: Schedule;

  constructor(scope: Construct, id: string, props: KeyAccountRankingProps) {
    super(scope, id);
    // 'Default': CDK leaves this id out of logical IDs, so the function keeps those it was deployed with
    // before this construct wrapped it (see KeybillStack).
    this.rankAccounts = new KeybillFunction(this, 'Default', {
      handlerName: 'rank-accounts',
      description: 'Monthly key-account ranking report',
      timeout: Duration.seconds(timeoutSecondsOf('rank-accounts')),
      memorySize: ONE_VCPU_MB,
      asyncInvoke: {},
      environment: {
        TABLE_NAME: props.table.tableName,
        REPORT_BUCKET: props.reports.bucketName,
        REPORT_PREFIX: BUCKET_PREFIXES.reports,
        NOTICE_QUEUE_URL: props.noticeQueue.queueUrl,
        TIME_ZONE: props.calendar.timeZone.timezoneName,
      },
    });
    props.table.grantItemAccess(this.rankAccounts);
    props.reports.grantWriteReports(this.rankAccounts.function);
    grantSend(props.noticeQueue, this.rankAccounts.function);

    this.monthlyRanking = props.calendar.add('MonthlyRanking', {
      name: 'monthly-ranking',
      description: 'Key-account ranking on the 3rd of every month at 06:00 China Standard Time',
      cron: { minute: '0', hour: '6', day: '3' },
      target: this.rankAccounts,
      maxEventAge: Duration.hours(6),
      input: ScheduleTargetInput.fromObject({
        task: 'monthly-ranking',
        scheduledTime: ContextAttribute.scheduledTime,
      }),
    });
  }
}
