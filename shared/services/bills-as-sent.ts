import type { BillHold } from '#domain/bill-hold.ts';
import { latestVersionSentToCustomer } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { BillHoldStore, BillStore } from './ports/index.ts';

/**
 * The bills as the customer was sent them, from the latest version of each period (getBillHistory): a
 * period whose latest version was kept back (held, or superseded while held) counts the latest version
 * the customer was sent instead, and is left out when there is none. What a customer owes and what an
 * account is ranked by is what it was billed, not what waits for an operator.
 *
 * `holdsOf` gives the holds of a bill's period; a period without holds costs no read.
 */
export async function billsAsSent(
  latest: readonly StoredBill[],
  holdsOf: (bill: StoredBill) => readonly BillHold[] | Promise<readonly BillHold[]>,
  bills: Pick<BillStore, 'getBill'>,
): Promise<StoredBill[]> {
  const sent: StoredBill[] = [];
  for (const bill of latest) {
    const version = latestVersionSentToCustomer(bill.version, await holdsOf(bill));
    if (version === bill.version) sent.push(bill);
    else if (version !== undefined) {
      const earlier = await bills.getBill(bill.accountId, bill.period, version);
      if (earlier !== undefined) sent.push(earlier);
    }
  }
  return sent;
}

/**
 * `holdsOf` for billsAsSent over many accounts: only the latest version of a period can be held (a newer
 * one supersedes the hold), so one query for the HELD versions (of `period`, or of every period) tells
 * which few bills need their holds read.
 */
export async function holdsOfHeldVersions(
  holds: Pick<BillHoldStore, 'listHoldsByStatus' | 'listHolds'>,
  period?: string,
): Promise<(bill: StoredBill) => readonly BillHold[] | Promise<readonly BillHold[]>> {
  const heldKey = (b: Pick<BillHold, 'accountId' | 'period' | 'version'>) =>
    `${b.accountId}#${b.period}#${b.version}`;
  const held = new Set((await holds.listHoldsByStatus('HELD', period)).map(heldKey));
  return (bill) => (held.has(heldKey(bill)) ? holds.listHolds(bill.accountId, bill.period) : []);
}

export interface BillHistoryAsSent {
  /** getBillHistory's answer: the latest version of each earlier period, held or not, newest first. */
  latest: StoredBill[];
  /** The same periods as the customer was sent them (billsAsSent): fewer when a period had none sent. */
  sent: StoredBill[];
}

/**
 * One account's bills of up to `limit` periods before `beforePeriod`, as stored and as sent. The account's
 * holds are read beside the history (one query more, no wait more); an earlier version is read only for
 * a period whose latest version was kept back.
 */
export async function billHistoryAsSent(
  accountId: string,
  beforePeriod: string,
  limit: number,
  deps: { bills: Pick<BillStore, 'getBillHistory' | 'getBill'>; holds: Pick<BillHoldStore, 'listHolds'> },
): Promise<BillHistoryAsSent> {
  const [latest, holds] = await Promise.all([
    deps.bills.getBillHistory(accountId, beforePeriod, limit),
    deps.holds.listHolds(accountId),
  ]);
  const sent = await billsAsSent(latest, (b) => holds.filter((h) => h.period === b.period), deps.bills);
  return { latest, sent };
}
