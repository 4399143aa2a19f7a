import type { HoldReason } from './billing/plausibility/index.ts';

/*
 * A bill version held for an operator's review (issue #12 item 3): stored beside the bill version, never
 * in its document, so a bill's content stays what the engine computed. A held version sends nothing
 * until an operator releases it, or a corrected drop stores a newer version (which is checked again) and
 * supersedes it.
 */

export const BILL_HOLD_STATUSES = ['HELD', 'RELEASED', 'SUPERSEDED'] as const;
export type BillHoldStatus = (typeof BILL_HOLD_STATUSES)[number];

/** What decided the hold: stored with the bill version in one write. */
export interface NewBillHold {
  reasons: HoldReason[];
  policyVersion: string;
}

export interface BillHold extends NewBillHold {
  accountId: string;
  period: string;
  version: number;
  status: BillHoldStatus;
  heldAt: string;
  /** The run whose drop made the held version. */
  runId?: string;
  /** Who released it, why, when (status RELEASED). */
  release?: { by: string; reason: string; at: string };
  /** The newer version that replaced it (status SUPERSEDED). */
  supersededBy?: number;
}
