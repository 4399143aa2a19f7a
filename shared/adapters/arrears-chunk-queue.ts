import { z } from 'zod';
import { AccountId, IsoDate } from '../domain/primitives.ts';
import { sendJsonMessages } from './sqs-batch.ts';

/** One chunk of the daily arrears scan: the accounts whose next step on the ladder to take today. */
export const ArrearsChunkMessageSchema = z.object({
  today: IsoDate,
  chunk: z.number().int().min(0),
  accountIds: z.array(AccountId).min(1),
});
export type ArrearsChunkMessage = z.infer<typeof ArrearsChunkMessageSchema>;

export interface ArrearsChunkQueue {
  enqueue(messages: readonly ArrearsChunkMessage[]): Promise<void>;
}

export const sqsArrearsChunkQueue = (queueUrl: string): ArrearsChunkQueue => ({
  enqueue: (messages) => sendJsonMessages(queueUrl, messages, 'arrears chunk'),
});
