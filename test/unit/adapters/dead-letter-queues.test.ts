import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqsDeadLetterQueues } from '#adapters/dead-letter-queues.ts';

/*
 * The SQS side of list-dead-letters and redrive, against the SDK's own request shapes. fauxqs has no
 * message-move tasks: the local stack adds a stand-in (local/fauxqs-server.ts), on which
 * test/integration/operations.test.ts lists and redrives a message end to end.
 */

const sqs = mockClient(SQSClient);
const DLQ_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/111122223333/keybill-NoticeDeadLetters';
const DLQ_ARN = 'arn:aws-cn:sqs:cn-north-1:111122223333:keybill-NoticeDeadLetters';
const SOURCE_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/111122223333/keybill-NoticeQueue';
const queues = sqsDeadLetterQueues([
  { name: 'Notifications/NoticeDeadLetters', url: DLQ_URL, redrivable: true, sourceUrl: SOURCE_URL },
  { name: 'Operator/FailedEvents', url: `${DLQ_URL}-2`, redrivable: false },
]);

beforeAll(() => {
  vi.stubEnv('AWS_REGION', 'cn-north-1');
});
afterEach(() => sqs.reset());

describe('dead-letter queues on SQS', () => {
  it('lists each queue by name, and whether SQS can move its messages back', () => {
    expect(queues.list()).toEqual([
      { name: 'Notifications/NoticeDeadLetters', redrivable: true },
      { name: 'Operator/FailedEvents', redrivable: false },
    ]);
  });

  it('counts the messages in the queue, visible or in flight', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: { ApproximateNumberOfMessages: '7', ApproximateNumberOfMessagesNotVisible: '2' },
    });
    expect(await queues.count('Notifications/NoticeDeadLetters')).toBe(9);
    expect(sqs).toHaveReceivedCommandWith(GetQueueAttributesCommand, { QueueUrl: DLQ_URL });
  });

  it('samples messages without taking them off the queue (visibility timeout 0)', async () => {
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        {
          MessageId: 'm-1',
          Body: '{"accountId":"3100010000","noticeId":"2026-10#V1#bill-preview#email#abc"}',
          Attributes: { SentTimestamp: '1793500000000', ApproximateReceiveCount: '5' },
        },
      ],
    });
    expect(await queues.sample('Notifications/NoticeDeadLetters', 3)).toEqual([
      {
        messageId: 'm-1',
        body: '{"accountId":"3100010000","noticeId":"2026-10#V1#bill-preview#email#abc"}',
        sentAt: new Date(1793500000000).toISOString(),
        receiveCount: 5,
      },
    ]);
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: DLQ_URL,
      MaxNumberOfMessages: 3,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
    });
  });

  it('redrives with a message-move task from the queue (by its ARN) and no destination: back to the source', async () => {
    const arn = 'arn:aws:sqs:eu-west-1:111122223333:keybill-NoticeDeadLetters';
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: arn } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    expect(await queues.redrive('Notifications/NoticeDeadLetters')).toEqual({ taskHandle: 'task-1' });
    expect(sqs).toHaveReceivedCommandTimes(StartMessageMoveTaskCommand, 1);
    const input = sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input;
    expect(input).toEqual({ SourceArn: arn });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  describe('in the China regions, which have no message-move tasks', () => {
    const message = (i: number) => ({
      MessageId: `m-${i}`,
      ReceiptHandle: `r-${i}`,
      Body: `{"noticeId":"n-${i}"}`,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'bill-preview' } },
    });
    /** SQS answering with these queue attributes, one batch of two messages, then an empty queue. */
    const twoMessagesThenNone = (attributes: Record<string, string>) => {
      sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN, ...attributes } });
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: [message(1), message(2)] })
        .resolves({ Messages: [] });
      sqs
        .on(SendMessageBatchCommand)
        .resolves({ Successful: [{ Id: '0' }, { Id: '1' }] as never, Failed: [] });
    };

    it('moves the messages itself: received, sent to the source queue as they were, deleted once sent', async () => {
      twoMessagesThenNone({ ApproximateNumberOfMessages: '0' });
      sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] });
      expect(await queues.redrive('Notifications/NoticeDeadLetters')).toEqual({ moved: 2, left: 0 });
      expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
      expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
        QueueUrl: DLQ_URL,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      });
      expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input).toEqual({
        QueueUrl: SOURCE_URL,
        Entries: [
          { Id: '0', MessageBody: '{"noticeId":"n-1"}', MessageAttributes: message(1).MessageAttributes },
          { Id: '1', MessageBody: '{"noticeId":"n-2"}', MessageAttributes: message(2).MessageAttributes },
        ],
      });
      expect(sqs.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input).toEqual({
        QueueUrl: DLQ_URL,
        Entries: [
          { Id: '0', ReceiptHandle: 'r-1' },
          { Id: '1', ReceiptHandle: 'r-2' },
        ],
      });
    });

    it('keeps what the source queue refused, stops, and says how many and why', async () => {
      sqs
        .on(GetQueueAttributesCommand)
        .resolves({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: '1' } });
      sqs.on(ReceiveMessageCommand).resolves({ Messages: [message(1), message(2)] });
      sqs.on(SendMessageBatchCommand).resolves({
        Successful: [{ Id: '0' }] as never,
        Failed: [{ Id: '1', Code: 'AccessDenied', SenderFault: true, Message: 'not allowed' }],
      });
      sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
      expect(await queues.redrive('Notifications/NoticeDeadLetters')).toEqual({
        moved: 1,
        left: 1,
        refused: { count: 1, reason: 'AccessDenied: not allowed' },
      });
      expect(sqs).toHaveReceivedCommandTimes(ReceiveMessageCommand, 1);
      expect(sqs.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input.Entries).toEqual([
        { Id: '0', ReceiptHandle: 'r-1' },
      ]);
    });

    it('sends again an entry SQS failed on its side (throttled), and moves it', async () => {
      twoMessagesThenNone({ ApproximateNumberOfMessages: '0' });
      sqs
        .on(SendMessageBatchCommand)
        .resolvesOnce({
          Successful: [{ Id: '0' }] as never,
          Failed: [{ Id: '1', Code: 'ThrottlingException', SenderFault: false, Message: 'slow down' }],
        })
        .resolves({ Successful: [{ Id: '1' }] as never, Failed: [] });
      sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] });
      expect(await queues.redrive('Notifications/NoticeDeadLetters')).toEqual({ moved: 2, left: 0 });
      expect(sqs.commandCalls(SendMessageBatchCommand)[1]!.args[0].input.Entries).toEqual([
        { Id: '1', MessageBody: '{"noticeId":"n-2"}', MessageAttributes: message(2).MessageAttributes },
      ]);
      expect(sqs.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input.Entries).toHaveLength(2);
    });

    it('counts as moved only what it deleted: one left undeleted comes back and is sent again next time', async () => {
      twoMessagesThenNone({ ApproximateNumberOfMessagesNotVisible: '1' });
      sqs.on(DeleteMessageBatchCommand).resolves({
        Successful: [{ Id: '0' }],
        Failed: [{ Id: '1', Code: 'ReceiptHandleIsInvalid', SenderFault: true }],
      });
      expect(await queues.redrive('Notifications/NoticeDeadLetters')).toEqual({ moved: 1, left: 1 });
    });

    it('stops when its time is up, saying how many are left for the next redrive', async () => {
      const timed = sqsDeadLetterQueues(
        [{ name: 'Notifications/NoticeDeadLetters', url: DLQ_URL, redrivable: true, sourceUrl: SOURCE_URL }],
        { byHand: { seconds: 0, visibilitySeconds: 60 } },
      );
      sqs
        .on(GetQueueAttributesCommand)
        .resolves({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: '40' } });
      expect(await timed.redrive('Notifications/NoticeDeadLetters')).toEqual({ moved: 0, left: 40 });
      expect(sqs).not.toHaveReceivedCommand(ReceiveMessageCommand);
    });

    it('refuses a queue with no source queue configured, before receiving anything', async () => {
      const unsourced = sqsDeadLetterQueues([{ name: 'Chunks/DeadLetters', url: DLQ_URL, redrivable: true }]);
      sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN } });
      await expect(unsourced.redrive('Chunks/DeadLetters')).rejects.toThrow(
        'dead-letter queue Chunks/DeadLetters has no source queue configured',
      );
      expect(sqs).not.toHaveReceivedCommand(ReceiveMessageCommand);
    });
  });

  it('refuses a queue it was not given, before calling SQS', async () => {
    await expect(queues.count('Someone/Else')).rejects.toThrow('no dead-letter queue Someone/Else');
    expect(sqs.calls()).toHaveLength(0);
  });
});
