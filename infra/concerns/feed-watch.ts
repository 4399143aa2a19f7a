import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import { ContextAttribute, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { DEFAULT_FEED_CALENDAR, type FeedCalendar, FeedCalendarSchema } from '#domain/feed-calendar.ts';
import { parseJsonDocument, validDocument } from '#domain/json-document.ts';
import { type KeybillFunction, METRICS_NAMESPACE } from '../constructs/keybill-function.ts';
import type { RecurringSchedules } from '../constructs/recurring-schedules.ts';

export interface FeedWatchProps {
  /** The operator function: it runs `check-drops`, and its metrics carry its service name. */
  readonly operator: KeybillFunction;
  readonly calendar: RecurringSchedules;
  /** Which drops are expected when (context `feedCalendar`, JSON). @default DEFAULT_FEED_CALENDAR */
  readonly feedCalendar?: unknown;
  /** Late and partial drops are mailed here (the alarm e-mail). @default - the alarms alone tell */
  readonly operationsEmail?: string;
}

/** What the check publishes, each alarmed on its first occurrence. */
const WATCHED = [
  ['DropsLate', 'A drop the feed calendar expects has not arrived (check-drops lists it).'],
  [
    'DropsPartial',
    'A meter-read drop arrived without some key accounts: they have no bill (see the run report).',
  ],
  ['RunsStuck', 'A run has been RUNNING or BILLING for over 20 minutes (list-runs --status BILLING).'],
] as const;

/**
 * The feeds checked against the feed calendar: every hour the operator function runs `check-drops`, which
 * publishes DropsLate, DropsPartial and RunsStuck (alarmed) and mails the operations address about a late
 * or partial drop once a day. Hourly rather than daily so that a stuck run is noticed within the hour.
 */
export class FeedWatch extends Construct {
  readonly check: Schedule;
  readonly alarms: Alarm[];
  readonly feedCalendar: FeedCalendar;

  constructor(scope: Construct, id: string, props: FeedWatchProps) {
    super(scope, id);
    this.feedCalendar = checkedFeedCalendar(props.feedCalendar);
    const fn = props.operator.function;
    fn.addEnvironment('FEED_CALENDAR', JSON.stringify(this.feedCalendar));
    if (props.operationsEmail !== undefined && props.operationsEmail !== '') {
      fn.addEnvironment('OPERATIONS_EMAIL', props.operationsEmail);
    }
    this.check = props.calendar.add('CheckDrops', {
      name: 'check-drops',
      description: 'Check the feeds against the feed calendar and runs that stopped moving, hourly',
      cron: { minute: '15' },
      target: props.operator,
      maxEventAge: Duration.minutes(30),
      input: ScheduleTargetInput.fromObject({
        command: 'check-drops',
        scheduledTime: ContextAttribute.scheduledTime,
      }),
    });
    this.alarms = WATCHED.map(
      ([metricName, description]) =>
        new Alarm(this, metricName, {
          alarmDescription: `check-drops: ${description}`,
          metric: new Metric({
            namespace: METRICS_NAMESPACE,
            metricName,
            dimensionsMap: { service: props.operator.serviceName },
            statistic: 'Maximum',
            period: Duration.hours(1),
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          // The check publishes every hour (0 when all is well); its own failures alarm as function errors.
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );
  }
}

function checkedFeedCalendar(value: unknown): FeedCalendar {
  if (value === undefined || value === '') return DEFAULT_FEED_CALENDAR;
  // `-c feedCalendar='{…}'` gives text, cdk.json gives the object itself.
  return typeof value === 'string'
    ? parseJsonDocument(FeedCalendarSchema, value, 'context feedCalendar', 'a feed calendar')
    : validDocument(FeedCalendarSchema, value, 'context feedCalendar', 'a feed calendar');
}
