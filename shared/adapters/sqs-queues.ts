import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { ArrearsChunkMessage, BillChunkMessage, NoticeMessage } from '#services/ports/queues.ts';
import { sqsClient } from './clients.ts';
import { resendUntilDone } from './resend.ts';

const MAX_ATTEMPTS = 5;
const MAX_BATCH = 10;

/**
 * Sends JSON messages in batches of ten (the SQS maximum), re-sending the entries SQS reports as failed.
 * Throws only when entries still fail after MAX_ATTEMPTS, naming how many.
 */
export async function sendJsonMessages(
  queueUrl: string,
  messages: readonly unknown[],
  what: string,
): Promise<void> {
  for (let i = 0; i < messages.length; i += MAX_BATCH) {
    await resendUntilDone(
      messages.slice(i, i + MAX_BATCH).map((m, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(m) })),
      async (entries) => {
        const out = await sqsClient().send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [...entries] }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        return entries.filter((e) => failed.has(e.Id));
      },
      { maxRounds: MAX_ATTEMPTS, baseDelayMs: 100 },
      (left) => new Error(`SQS refused ${left} ${what} messages after ${MAX_ATTEMPTS} attempts`),
    );
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
