import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { DeadLetterQueueInfo, DeadLetterQueues, RedriveOutcome } from '#services/ports/dead-letters.ts';
import { sqsClient } from './clients.ts';
import { sendMessageBatches } from './sqs-queues.ts';

export interface DeadLetterQueueConfig extends DeadLetterQueueInfo {
  url: string;
  /** The queue its messages came from (redrivable queues): where a redrive by hand sends them. */
  sourceUrl?: string | undefined;
}

/**
 * The partitions whose SQS has no message-move task: "The SQS dead-letter queue redrive feature is not
 * supported" in the China regions (docs.amazonaws.cn, Getting Started with Amazon Web Services in China,
 * Amazon SQS). There a redrive moves the messages itself.
 */
const NO_MESSAGE_MOVE_TASKS: readonly string[] = ['aws-cn'];
const partitionOf = (arn: string): string => arn.split(':')[1] ?? '';

export interface RedriveByHandLimits {
  /** Stop receiving after this long, the answer saying how many are left (the operator runs it again). */
  seconds: number;
  /** How long a received message stays invisible while it is sent back: far beyond one batch's round trips. */
  visibilitySeconds: number;
}
const BY_HAND: RedriveByHandLimits = { seconds: 60, visibilitySeconds: 60 };

/**
 * The stack's dead-letter queues on SQS. A sample is received with a visibility timeout of 0, so the
 * messages stay where they are for a redrive. A redrive is a message-move task without a destination,
 * which SQS sends back to each message's source queue; in a partition without message-move tasks it is
 * done here, as the task would: receive, send to the source queue, delete what was sent.
 */
export function sqsDeadLetterQueues(
  queues: readonly DeadLetterQueueConfig[],
  options: { movesByHand?: (queueArn: string) => boolean; byHand?: RedriveByHandLimits } = {},
): DeadLetterQueues {
  const movesByHand = options.movesByHand ?? ((arn) => NO_MESSAGE_MOVE_TASKS.includes(partitionOf(arn)));
  const configOf = (name: string): DeadLetterQueueConfig => {
    const queue = queues.find((q) => q.name === name);
    if (queue === undefined) throw new Error(`no dead-letter queue ${name}`);
    return queue;
  };
  const urlOf = (name: string): string => configOf(name).url;
  const attributes = async (name: string) =>
    (
      await sqsClient().send(
        new GetQueueAttributesCommand({
          QueueUrl: urlOf(name),
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'QueueArn',
          ],
        }),
      )
    ).Attributes ?? {};
  const count = async (name: string) => {
    const a = await attributes(name);
    return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
  };
  return {
    list: () => queues.map(({ name, redrivable }) => ({ name, redrivable })),
    // In flight too: a message being sampled or moved is still in the queue.
    count,
    sample: async (name, max) => {
      const { Messages = [] } = await sqsClient().send(
        new ReceiveMessageCommand({
          QueueUrl: urlOf(name),
          MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
          VisibilityTimeout: 0,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        }),
      );
      return Messages.slice(0, max).map((m) => ({
        messageId: m.MessageId ?? '',
        body: m.Body ?? '',
        ...(m.Attributes?.SentTimestamp === undefined
          ? {}
          : { sentAt: new Date(Number(m.Attributes.SentTimestamp)).toISOString() }),
        ...(m.Attributes?.ApproximateReceiveCount === undefined
          ? {}
          : { receiveCount: Number(m.Attributes.ApproximateReceiveCount) }),
      }));
    },
    redrive: async (name) => {
      const arn = (await attributes(name)).QueueArn;
      if (arn === undefined) throw new Error(`SQS gave no ARN for dead-letter queue ${name}`);
      if (movesByHand(arn)) {
        const { url, sourceUrl } = configOf(name);
        if (sourceUrl === undefined)
          throw new Error(`dead-letter queue ${name} has no source queue configured`);
        const outcome = await moveByHand(url, sourceUrl, options.byHand ?? BY_HAND);
        return { ...outcome, left: await count(name) };
      }
      const { TaskHandle } = await sqsClient().send(new StartMessageMoveTaskCommand({ SourceArn: arn }));
      return { taskHandle: TaskHandle ?? '' };
    },
  };
}

/**
 * Batches of up to ten: each received with its attributes, sent to the source queue as it was (throttled
 * entries sent again, sendMessageBatches), and deleted here once SQS took it. A message the source refuses
 * stays here (visible again after the batch's visibility timeout) and the move stops, naming the reason.
 * A crash between the send and the delete leaves a copy in both queues: the consumers are idempotent, so
 * a second delivery changes nothing.
 */
async function moveByHand(
  url: string,
  sourceUrl: string,
  limits: RedriveByHandLimits,
): Promise<Omit<Extract<RedriveOutcome, { moved: number }>, 'left'>> {
  const until = Date.now() + limits.seconds * 1000;
  let moved = 0;
  while (Date.now() < until) {
    const { Messages = [] } = await sqsClient().send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: limits.visibilitySeconds,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    const entries = Messages.map((m, i) => ({
      Id: String(i),
      MessageBody: m.Body ?? '',
      ...(m.MessageAttributes === undefined ? {} : { MessageAttributes: m.MessageAttributes }),
    }));
    const { sent, refused } = await sendMessageBatches(sourceUrl, entries);
    const taken = new Set(sent);
    const toDelete = Messages.flatMap((m, i) =>
      taken.has(String(i)) ? [{ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' }] : [],
    );
    if (toDelete.length > 0) {
      // One not deleted comes back here after the visibility timeout, and the next redrive sends it again.
      const deleted = await sqsClient().send(
        new DeleteMessageBatchCommand({ QueueUrl: url, Entries: toDelete }),
      );
      moved += deleted.Successful?.length ?? 0;
    }
    if (refused.length > 0) return { moved, refused: { count: refused.length, reason: refused[0]!.reason } };
  }
  return { moved };
}
