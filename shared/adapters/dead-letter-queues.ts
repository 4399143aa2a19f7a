import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { DeadLetterQueueInfo, DeadLetterQueues } from '#services/ports/dead-letters.ts';
import { sqsClient } from './clients.ts';

export interface DeadLetterQueueConfig extends DeadLetterQueueInfo {
  url: string;
}

/**
 * The stack's dead-letter queues on SQS. A sample is received with a visibility timeout of 0, so the
 * messages stay where they are for a redrive; a redrive is a message-move task without a destination,
 * which SQS sends back to each message's source queue.
 */
export function sqsDeadLetterQueues(queues: readonly DeadLetterQueueConfig[]): DeadLetterQueues {
  const urlOf = (name: string): string => {
    const queue = queues.find((q) => q.name === name);
    if (queue === undefined) throw new Error(`no dead-letter queue ${name}`);
    return queue.url;
  };
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
  return {
    list: () => queues.map(({ name, redrivable }) => ({ name, redrivable })),
    // In flight too: a message being sampled or moved is still in the queue.
    count: async (name) => {
      const a = await attributes(name);
      return (
        Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    },
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
      const { TaskHandle } = await sqsClient().send(new StartMessageMoveTaskCommand({ SourceArn: arn }));
      return { taskHandle: TaskHandle ?? '' };
    },
  };
}
