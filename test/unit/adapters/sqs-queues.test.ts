import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendJsonMessages, sendMessageBatches, withinBatchPayload } from '#adapters/sqs-queues.ts';

/*
 * How every message the product puts on a queue, and every message a redrive by hand sends back, reaches
 * SQS: batches within its limits, what SQS failed on its side sent again, what it refused said, not lost.
 */

const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/111122223333/keybill-NoticeQueue';
const NO_WAIT = { maxRounds: 3, baseDelayMs: 0 };
const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ Id: String(i), MessageBody: `{"noticeId":"n-${i}"}` }));
const sentIds = () =>
  sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.map((e) => e.Id));
/** SQS taking every entry of every call. */
const takingAll = () =>
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
    Successful: input.Entries.map(({ Id }) => ({ Id })),
    Failed: [],
  }));

beforeAll(() => {
  vi.stubEnv('AWS_REGION', 'cn-north-1');
});
afterEach(() => sqs.reset());

describe('sending messages to a queue', () => {
  it('sends them in batches of ten, in order, and says all were sent', async () => {
    takingAll();
    const outcome = await sendMessageBatches(QUEUE_URL, entries(23), NO_WAIT);
    expect(sentIds()).toEqual([
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['10', '11', '12', '13', '14', '15', '16', '17', '18', '19'],
      ['20', '21', '22'],
    ]);
    expect(outcome).toEqual({ sent: entries(23).map((e) => e.Id), refused: [] });
  });

  it('sends again, alone, what SQS failed on its side (throttling), until it is taken', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: '0' }, { Id: '2' }] as never,
        Failed: [{ Id: '1', Code: 'ThrottlingException', SenderFault: false, Message: 'slow down' }],
      })
      .resolves({ Successful: [{ Id: '1' }] as never, Failed: [] });
    expect(await sendMessageBatches(QUEUE_URL, entries(3), NO_WAIT)).toEqual({
      sent: ['0', '2', '1'],
      refused: [],
    });
    expect(sentIds()).toEqual([['0', '1', '2'], ['1']]);
  });

  it('sends again an entry SQS answered neither way', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [{ Id: '0' }] as never })
      .resolves({ Successful: [{ Id: '1' }] as never });
    expect((await sendMessageBatches(QUEUE_URL, entries(2), NO_WAIT)).sent).toEqual(['0', '1']);
  });

  it('does not send again what SQS refused as the sender’s fault, and says why', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0' }] as never,
      Failed: [{ Id: '1', Code: 'InvalidParameterValue', SenderFault: true, Message: 'too long' }],
    });
    expect(await sendMessageBatches(QUEUE_URL, entries(2), NO_WAIT)).toEqual({
      sent: ['0'],
      refused: [{ id: '1', reason: 'InvalidParameterValue: too long' }],
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('gives up on an entry still failing after the rounds allowed, saying so', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false, Message: 'try later' }],
    });
    expect(await sendMessageBatches(QUEUE_URL, entries(1), NO_WAIT)).toEqual({
      sent: [],
      refused: [{ id: '0', reason: 'InternalError: try later (still failing after 3 attempts)' }],
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
  });

  it('lets an error of the call itself (no batch answer) reach the caller', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('AccessDenied: not allowed'));
    await expect(sendMessageBatches(QUEUE_URL, entries(1), NO_WAIT)).rejects.toThrow('AccessDenied');
  });

  it('sends the JSON of the product’s messages, and throws naming how many SQS refused and why', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.filter(({ Id }) => Id !== '11').map(({ Id }) => ({ Id })),
      Failed: input.Entries.filter(({ Id }) => Id === '11').map(({ Id }) => ({
        Id,
        Code: 'AccessDenied',
        SenderFault: true,
        Message: 'not allowed',
      })),
    }));
    const messages = Array.from({ length: 12 }, (_, i) => ({ noticeId: `n-${i}`, text: '"引号" & <b>' }));
    await expect(sendJsonMessages(QUEUE_URL, messages, 'notice')).rejects.toThrow(
      'SQS refused 1 notice messages (AccessDenied: not allowed)',
    );
    // The others were sent, whole, in both batches.
    const bodies = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!)));
    expect(bodies).toEqual(messages);
  });

  it('sends nothing for no messages', async () => {
    await sendJsonMessages(QUEUE_URL, [], 'notice');
    expect(sqs.calls()).toHaveLength(0);
  });
});

describe('batches sent back within 256 KiB of payload (SQS limit where it has not raised it to 1 MiB)', () => {
  const KIB = 1024;
  const entry = (kib: number, attribute = '') => ({
    Id: `${kib}`,
    MessageBody: 'x'.repeat(kib * KIB),
    ...(attribute === '' ? {} : { MessageAttributes: { a: { DataType: 'String', StringValue: attribute } } }),
  });
  const sizes = (batches: { MessageBody: string }[][]) =>
    batches.map((b) => b.map((e) => e.MessageBody.length / KIB));

  it.each([
    ['ten small messages', Array.from({ length: 10 }, () => 1), [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]],
    [
      'eleven small messages (ten at most a batch)',
      Array.from({ length: 11 }, () => 1),
      [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1]],
    ],
    ['two of 200 KiB', [200, 200], [[200], [200]]],
    ['exactly 256 KiB together', [128, 128], [[128, 128]]],
    ['a full one, then small ones', [256, 1, 1], [[256], [1, 1]]],
    ['one over the limit (as it came)', [300, 1], [[300], [1]]],
    ['none', [], []],
  ])('%s', (_what, kib, expected) => {
    expect(sizes(withinBatchPayload(kib.map((k) => entry(k))))).toEqual(expected);
  });

  it('counts the attributes too', () => {
    const batches = withinBatchPayload([entry(128), entry(127, 'y'.repeat(2 * KIB))]);
    expect(batches).toHaveLength(2);
  });
});
