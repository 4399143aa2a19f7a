import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
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
const queues = sqsDeadLetterQueues([
  { name: 'Notifications/NoticeDeadLetters', url: DLQ_URL, redrivable: true },
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
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: DLQ_ARN } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    expect(await queues.redrive('Notifications/NoticeDeadLetters')).toEqual({ taskHandle: 'task-1' });
    expect(sqs).toHaveReceivedCommandTimes(StartMessageMoveTaskCommand, 1);
    const input = sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input;
    expect(input).toEqual({ SourceArn: DLQ_ARN });
  });

  it('refuses a queue it was not given, before calling SQS', async () => {
    await expect(queues.count('Someone/Else')).rejects.toThrow('no dead-letter queue Someone/Else');
    expect(sqs.calls()).toHaveLength(0);
  });
});
