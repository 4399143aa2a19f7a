import { Duration, Names } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IDestination, IEventSource, IEventSourceDlq } from 'aws-cdk-lib/aws-lambda';
import { type IQueue, Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import {
  BATCH_SIZES,
  MAX_RECEIVE_COUNT,
  VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT,
} from '../wiring-values.ts';
import { acknowledge } from './acknowledge.ts';
import { ContactDataKey } from './data-key.ts';
import type { KeybillFunction } from './keybill-function.ts';

/**
 * Every queue of the product: encrypted at rest with the contact-data key (messages name accounts and
 * notices) and a policy that refuses plain HTTP. Senders and consumers get the key's actions with their
 * queue grants.
 */
export function secureQueue(scope: Construct, id: string, props: QueueProps = {}): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: ContactDataKey.of(scope).key,
    enforceSSL: true,
    ...props,
  });
}

/** Queues whose backlog operators watch, with the name the dashboard shows them under. */
const watchedBacklogs = new WeakMap<IConstruct, string>();

/**
 * Puts a queue's backlog (depth, age of the oldest message) on the operations dashboard: the queues
 * customers wait on, where a growing backlog means late notices.
 */
export function watchBacklog(queue: Queue, title: string): void {
  watchedBacklogs.set(queue, title);
}

/** The dashboard title of a watched queue; undefined for any other construct. */
export function watchedBacklogTitle(construct: IConstruct): string | undefined {
  return watchedBacklogs.get(construct);
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

  /**
   * The key actions a role needs to leave a message here, for roles that are given `sqs:SendMessage` by
   * a construct that does not know the queue is encrypted (Scheduler targets' dead-letter queues).
   */
  grantKeyToSenders(grantee: IGrantable): void {
    this.queue.encryptionMasterKey?.grant(grantee, ...SEND_KEY_ACTIONS);
  }
}

/** What SQS asks KMS for when a sender sends to an encrypted queue. */
const SEND_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * Lets the grantee send to the queue: `sqs:SendMessage` (SendMessageBatch is authorised as it) and the key
 * actions SQS takes on the sender's behalf. Not CDK's grantSendMessages, which adds sqs:GetQueueUrl and
 * sqs:GetQueueAttributes (a sender is given the queue's URL and never looks anything up) and kms:Encrypt
 * (SQS asks KMS for a data key, it encrypts nothing with the key itself).
 */
export function grantSend(queue: IQueue, grantee: IGrantable): void {
  Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
  queue.encryptionMasterKey?.grant(grantee, ...SEND_KEY_ACTIONS);
}

/**
 * What Lambda's poller does on a queue it feeds a function from, as the function's role: the actions of
 * AWS's AWSLambdaSQSQueueExecutionRole, and kms:Decrypt for the encrypted messages. Not CDK's
 * SqsEventSource grant (grantConsumeMessages), which adds sqs:ChangeMessageVisibility and
 * sqs:GetQueueUrl: the handlers report partial failures and never change a message's visibility.
 */
const CONSUME_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

export interface QueueConsumption {
  readonly batchSize: number;
  readonly maxConcurrency: number;
  /** Always reported: a failed message is retried alone, the batch's others are deleted. */
  readonly reportBatchItemFailures: true;
}

/**
 * The queue as a function's event source: the same event source mapping as CDK's SqsEventSource (and
 * the same construct id, so a deployed stack keeps its mapping), granted CONSUME_ACTIONS only.
 */
export function consumeQueue(queue: IQueue, props: QueueConsumption): IEventSource {
  return {
    bind: (target) => {
      target.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`, {
        ...props,
        eventSourceArn: queue.queueArn,
      });
      Grant.addToPrincipal({ grantee: target, actions: CONSUME_ACTIONS, resourceArns: [queue.queueArn] });
      queue.encryptionMasterKey?.grant(target, 'kms:Decrypt');
    },
  };
}

/** An asynchronous invocation's on-failure destination: Lambda sends the failed event as the function's role. */
export function failureDestination(queue: IQueue): IDestination {
  return {
    bind: (_scope, fn) => {
      grantSend(queue, fn);
      return { destination: queue.queueArn };
    },
  };
}

/** A stream event source's on-failure queue: Lambda sends the failed batch's description as the function's role. */
export function streamFailureDestination(queue: IQueue): IEventSourceDlq {
  return {
    bind: (_mapping, handler) => {
      grantSend(queue, handler);
      return { destination: queue.queueArn };
    },
  };
}

export interface ChunkQueueProps {
  /** The function that works the chunks off, one per invocation. */
  readonly consumer: KeybillFunction;
  /** At most this many chunks at once: bounds the load on the table and what follows downstream. */
  readonly maxConcurrency: number;
  /** How long a chunk may wait before it is worthless. */
  readonly retentionPeriod: Duration;
  /** What a dead-lettered chunk means, for the alarm. */
  readonly purpose: string;
}

/**
 * A queue of work chunks (a fan-out) feeding one function, one chunk per invocation with partial
 * failures reported; a chunk that fails five receives goes to an alarmed dead-letter queue.
 */
export class ChunkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ChunkQueueProps) {
    super(scope, id);
    const timeout = props.consumer.function.timeout ?? Duration.seconds(30);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', { purpose: props.purpose });
    this.queue = secureQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT),
      retentionPeriod: props.retentionPeriod,
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    props.consumer.function.addEventSource(
      consumeQueue(this.queue, {
        batchSize: BATCH_SIZES.chunk,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}
