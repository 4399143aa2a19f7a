import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.ts';

/** Every queue of the product: SQS-managed encryption at rest and a policy that refuses plain HTTP. */
export function secureQueue(scope: Construct, id: string, props: QueueProps = {}): Queue {
  return new Queue(scope, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });
}

export interface DeadLetterQueueProps {
  /** What ends up here, for the alarm description an operator reads at 3 a.m. */
  readonly purpose: string;
  /** @default 14 days, the SQS maximum: long enough to notice, fix and redrive after a holiday. */
  readonly retentionPeriod?: Duration;
}

/**
 * A dead-letter queue with an alarm that fires on the first message: nothing should ever land here, so
 * one message is already an incident.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = secureQueue(this, 'Queue', { retentionPeriod: props.retentionPeriod ?? Duration.days(14) });
    acknowledge(
      this.queue,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter queue (the end of a redrive chain); giving it another DLQ would only move the problem.',
    );
    this.alarm = new Alarm(this, 'NotEmpty', {
      alarmDescription: `${props.purpose}: at least one message is waiting in the dead-letter queue.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
