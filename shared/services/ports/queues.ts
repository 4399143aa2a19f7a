import { z } from 'zod';
import { AccountId, IsoDate, Period } from '#domain/primitives.ts';

/** What travels on the notices queue: a reference only, the table holds the notice (outbox). */
export interface NoticeMessage {
  accountId: string;
  noticeId: string;
}

export const NoticeMessageSchema = z.object({ accountId: z.string().min(1), noticeId: z.string().min(1) });

export interface NoticeQueue {
  enqueue(messages: readonly NoticeMessage[]): Promise<void>;
}

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
