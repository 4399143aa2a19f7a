import { createHash } from 'node:crypto';
import type { BillDocument } from './bill.ts';

/**
 * A bill as stored: versions are kept, never overwritten, so a corrected drop supersedes and the
 * notices can say "corrected".
 */
export interface StoredBill {
  accountId: string;
  period: string;
  version: number;
  contentHash: string;
  document: BillDocument;
  runId?: string;
  createdAt: string;
}

export type SaveBillResult =
  | { outcome: 'created'; version: number }
  | { outcome: 'unchanged'; version: number; runId?: string };

/** A stable hash of a bill's content: a re-delivered drop recomputes the same bill and changes nothing. */
export const billContentHash = (bill: BillDocument): string =>
  createHash('sha256').update(JSON.stringify(bill)).digest('hex');
