import { z } from 'zod';
import { AccountId, Period } from '../domain/primitives.ts';
import { sendJsonMessages } from './sqs-batch.ts';

/**
 * One chunk of a meter-read drop's accounts to bill. A reference only: the rows wait in the table
 * (staged reads), so a chunk stays far below the 256 KB message limit however many meters it covers.
 */
export const BillChunkMessageSchema = z.object({
  runId: z.string().min(1),
  /** The run's claim (its startedAt): a chunk of an attempt that was since taken over is ignored. */
  attempt: z.string().min(1),
  chunk: z.number().int().min(0),
  accounts: z.array(z.object({ accountId: AccountId, period: Period })).min(1),
});
export type BillChunkMessage = z.infer<typeof BillChunkMessageSchema>;

export interface BillChunkQueue {
  enqueue(messages: readonly BillChunkMessage[]): Promise<void>;
}

export const sqsBillChunkQueue = (queueUrl: string): BillChunkQueue => ({
  enqueue: (messages) => sendJsonMessages(queueUrl, messages, 'bill chunk'),
});

/** BILL_CHUNK_ACCOUNTS: accounts per chunk message (unset: the service's default). */
export function accountsPerChunkFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 500) {
    throw new Error(`BILL_CHUNK_ACCOUNTS must be an integer from 1 to 500, got "${value}"`);
  }
  return count;
}
