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

/**
 * The latest version, up to `upTo`, of one period that reached the customer: a version never held, or
 * one an operator released. A held version is not owed yet and a superseded one was replaced unseen, so
 * neither counts as billed. Undefined when every version up to `upTo` was kept back (or `upTo` < 1).
 * Versions of a period are numbered 1, 2, … without gaps (each new one is the latest + 1).
 */
export function latestVersionSentToCustomer(
  upTo: number,
  holdsOfPeriod: readonly Pick<BillHold, 'version' | 'status'>[],
): number | undefined {
  if (!Number.isSafeInteger(upTo)) throw new RangeError(`a bill version is a whole number, not ${upTo}`);
  const keptBack = new Set(holdsOfPeriod.filter((h) => h.status !== 'RELEASED').map((h) => h.version));
  // At most one step per kept-back version: the first version without a hold that kept it back is it.
  for (let version = upTo; version >= 1; version--) if (!keptBack.has(version)) return version;
  return undefined;
}
