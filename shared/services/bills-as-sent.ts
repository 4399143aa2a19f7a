import type { BillHold } from '#domain/bill-hold.ts';
import { latestVersionSentToCustomer } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { BillStore } from './ports/index.ts';

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
