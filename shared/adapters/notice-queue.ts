import { sendJsonMessages } from './sqs-batch.ts';

/** What travels on the notices queue: a reference only, the table holds the notice (outbox). */
export interface NoticeMessage {
  accountId: string;
  noticeId: string;
}

export interface NoticeQueue {
  enqueue(messages: readonly NoticeMessage[]): Promise<void>;
}

export const sqsNoticeQueue = (queueUrl: string): NoticeQueue => ({
  enqueue: (messages) => sendJsonMessages(queueUrl, messages, 'notice'),
});
