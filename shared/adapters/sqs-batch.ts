import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from './clients.ts';

const MAX_ATTEMPTS = 5;

/**
 * Sends JSON messages in batches of ten (the SQS maximum), re-sending the entries SQS reports as failed
 * with backoff and jitter. Throws only when entries still fail after MAX_ATTEMPTS, naming how many.
 */
export async function sendJsonMessages(
  queueUrl: string,
  messages: readonly unknown[],
  what: string,
): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    let entries = messages
      .slice(i, i + 10)
      .map((m, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(m) }));
    for (let round = 0; entries.length > 0; round++) {
      if (round >= MAX_ATTEMPTS)
        throw new Error(`SQS refused ${entries.length} ${what} messages after ${MAX_ATTEMPTS} attempts`);
      if (round > 0) await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** round));
      const out = await sqsClient().send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      const failed = new Set((out.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
    }
  }
}
