import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/** AWS's spend limit for SMS of a new account, in USD a month, until a support case raises it. */
export const DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD = 1;

/** The share of the month's limit at which operators are warned, while SMS still go out. */
export const SMS_SPEND_WARNING_SHARE = 0.8;

export interface SmsSpendAlarmProps {
  /** The account's monthly SMS spend limit in USD (SNS text-messaging preferences). */
  readonly monthlySpendLimitUsd: number;
}

/**
 * Warns before SNS stops sending SMS: once the month's SMS charges would pass the account's spend limit,
 * SNS stops publishing SMS within minutes, and a disconnection warning sent by SMS would not reach the
 * customer. SNS reports the month's charges as AWS/SNS SMSMonthToDateSpentUSD (statistic Maximum). The
 * limit is an account setting outside CloudFormation, so the stack is told it (context
 * `smsMonthlySpendLimitUsd`) and alarms at SMS_SPEND_WARNING_SHARE of it.
 */
export class SmsSpendAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: SmsSpendAlarmProps) {
    super(scope, id);
    const limit = props.monthlySpendLimitUsd;
    if (!Number.isFinite(limit) || limit <= 0 || limit > 1_000_000) {
      throw new Error(`smsMonthlySpendLimitUsd must be a positive amount of USD, got ${limit}`);
    }
    const threshold = Math.round(limit * SMS_SPEND_WARNING_SHARE * 100) / 100;
    this.alarm = new Alarm(this, 'NearLimit', {
      alarmDescription:
        `SMS charges this month reached ${threshold} USD of the account's ${limit} USD limit; past it SNS ` +
        'stops sending SMS (disconnection warnings included). Raise the limit with a support case, then set ' +
        'it in the SNS text-messaging preferences and the context smsMonthlySpendLimitUsd.',
      metric: new Metric({
        namespace: 'AWS/SNS',
        metricName: 'SMSMonthToDateSpentUSD',
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
