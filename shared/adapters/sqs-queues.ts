import { type MessageAttributeValue, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { ArrearsChunkMessage, BillChunkMessage, NoticeMessage } from '#services/ports/queues.ts';
import { sqsClient } from './clients.ts';
import { type ResendPolicy, resendUntilDone } from './resend.ts';

/** One message of a SendMessageBatch: its id is unique among the entries of one call. */
export interface SqsEntry {
  Id: string;
  MessageBody: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

/** What a send did: the ids SQS took, and those it refused with its reason. */
export interface SqsSendOutcome {
  sent: string[];
  refused: { id: string; reason: string }[];
}

const MAX_BATCH = 10;
const SEND_POLICY: ResendPolicy = { maxRounds: 5, baseDelayMs: 100 };

/**
 * Sends entries to a queue in batches within SQS's limits (withinBatchPayload), re-sending with backoff
 * the entries SQS failed on its side (`SenderFault: false`: throttling, an internal error). An entry SQS
 * refuses as the sender's fault (too large, malformed, not allowed) is not sent again; one still failing
 * after the policy's rounds is given up. Both are answered as refused with SQS's reason, never thrown, so
 * the caller decides: a producer fails, a redrive keeps the message where it is.
 */
export async function sendMessageBatches(
  queueUrl: string,
  entries: readonly SqsEntry[],
  policy: ResendPolicy = SEND_POLICY,
): Promise<SqsSendOutcome> {
  const outcome: SqsSendOutcome = { sent: [], refused: [] };
  for (const batch of withinBatchPayload(entries)) {
    let failing = new Map<string, string>();
    const giveUp = new Error('given up');
    try {
      await resendUntilDone(
        batch,
        async (pending) => {
          const answer = await sqsClient().send(
            new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [...pending] }),
          );
          const ids = new Set(pending.map((e) => e.Id));
          const taken = new Set((answer.Successful ?? []).map((s) => s.Id));
          outcome.sent.push(...pending.filter((e) => taken.has(e.Id)).map((e) => e.Id));
          failing = new Map();
          for (const failed of (answer.Failed ?? []).filter((f) => ids.has(f.Id ?? ''))) {
            const reason = `${failed.Code ?? 'failed'}: ${failed.Message ?? ''}`.trim();
            if (failed.SenderFault === true) outcome.refused.push({ id: failed.Id ?? '', reason });
            else failing.set(failed.Id ?? '', reason);
          }
          // An entry in neither list was not taken: sent again, as a failure on SQS's side would be.
          const answered = new Set([...taken, ...(answer.Failed ?? []).map((f) => f.Id)]);
          for (const e of pending) if (!answered.has(e.Id)) failing.set(e.Id, 'no answer from SQS');
          return pending.filter((e) => failing.has(e.Id));
        },
        policy,
        () => giveUp,
      );
    } catch (error) {
      if (error !== giveUp) throw error;
      for (const [id, reason] of failing) {
        outcome.refused.push({ id, reason: `${reason} (still failing after ${policy.maxRounds} attempts)` });
      }
    }
  }
  return outcome;
}

/**
 * A batch's payload (the sum of its messages' sizes) kept within 256 KiB: SQS's limit before it was raised
 * to 1 MiB in 2025, which not every region (China's included) is known to have; small messages lose nothing.
 */
const BATCH_PAYLOAD_BYTES = 256 * 1024;

/**
 * Entries in batches of at most ten whose bodies and attributes stay within a batch's payload limit (ten
 * messages that were each sent alone may be too much together); one larger than the limit travels alone.
 */
export function withinBatchPayload<
  E extends { MessageBody: string; MessageAttributes?: Record<string, MessageAttributeValue> },
>(entries: readonly E[]): E[][] {
  const sizeOf = (e: E) =>
    Buffer.byteLength(e.MessageBody) +
    Object.entries(e.MessageAttributes ?? {}).reduce(
      (sum, [name, v]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(v.DataType ?? '') +
        Buffer.byteLength(v.StringValue ?? '') +
        (v.BinaryValue?.byteLength ?? 0),
      0,
    );
  const batches: E[][] = [];
  let current: E[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = sizeOf(entry);
    if (current.length === MAX_BATCH || (current.length > 0 && bytes + size > BATCH_PAYLOAD_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Sends JSON messages (sendMessageBatches). Throws when SQS refused any, naming how many and why; the
 * others are sent, and their consumers are idempotent, so the caller's retry sends all again safely.
 */
export async function sendJsonMessages(
  queueUrl: string,
  messages: readonly unknown[],
  what: string,
): Promise<void> {
  const { refused } = await sendMessageBatches(
    queueUrl,
    messages.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) })),
  );
  if (refused.length > 0) {
    throw new Error(`SQS refused ${refused.length} ${what} messages (${refused[0]!.reason})`);
  }
}

/** A queue of JSON messages of one kind. */
const sqsJsonQueue = <M>(queueUrl: string, what: string) => ({
  enqueue: (messages: readonly M[]) => sendJsonMessages(queueUrl, messages, what),
});

export const sqsNoticeQueue = (queueUrl: string) => sqsJsonQueue<NoticeMessage>(queueUrl, 'notice');
export const sqsBillChunkQueue = (queueUrl: string) => sqsJsonQueue<BillChunkMessage>(queueUrl, 'bill chunk');
export const sqsArrearsChunkQueue = (queueUrl: string) =>
  sqsJsonQueue<ArrearsChunkMessage>(queueUrl, 'arrears chunk');
