import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from './clients.ts';

/** What travels on the notices queue: a reference only, the table holds the notice (outbox). */
export interface NoticeMessage {
  accountId: string;
  noticeId: string;
}

export interface NoticeQueue {
  enqueue(messages: readonly NoticeMessage[]): Promise<void>;
}

export const sqsNoticeQueue = (queueUrl: string): NoticeQueue => ({
  async enqueue(messages) {
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages
        .slice(i, i + 10)
        .map((m, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(m) }));
      for (let round = 0; entries.length > 0; round++) {
        if (round >= 5) throw new Error(`SQS refused ${entries.length} notice messages after 5 attempts`);
        if (round > 0) await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** round));
        const out = await sqsClient().send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  },
});
