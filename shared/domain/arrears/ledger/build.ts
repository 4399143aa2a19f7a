import { instantMs, startOfDayMs } from '../../calendar/index.ts';
import { dec } from '../../money.ts';
import type { PaymentRow } from '../../payment.ts';
import { type ArrearsBill, type ArrearsBillInput, ArrearsBillSchema, billIdOf } from '../inputs.ts';
import { Allocation } from './allocation.ts';
import type { AccountLedger, LedgerBill, LedgerFinding, PenaltyTerms, PenaltyWaiver } from './model.ts';

/*
 * The arrears ledger of one account: which payment settled which bill, when. Payments are applied in
 * the order they were made (paidAt), a bill becomes payable when issued:
 * - a payment naming a bill settles that bill first; the rest, and an unnamed payment, settles the
 *   oldest open bills (due date, then period); what is left is a credit, applied to bills as they are
 *   issued or re-opened;
 * - a reversal undoes exactly the reversed payment's allocations, last first (unused credit, then the
 *   bills it settled, newest allocation first), and the bills it re-opens take any credit there is;
 * - a payment id seen twice counts once;
 * - with penalty terms, a payment settles each bill's late-payment penalty too (accrued through the day
 *   it is made), per bill in the terms' order, before the next bill and before credit; a reversal takes
 *   back penalty payments first; a waiver writes off the penalty open at its instant. Credit settles
 *   charges only.
 * Every allocation is an entry with its instant, so the open balance of a bill at any instant is the
 * bill amount less the entries up to it, and allocations never depend on later payments.
 */

const compareBills = (a: LedgerBill, b: LedgerBill): number =>
  a.dueDate < b.dueDate
    ? -1
    : a.dueDate > b.dueDate
      ? 1
      : a.period < b.period
        ? -1
        : a.period > b.period
          ? 1
          : 0;

/** The latest version of each bill; a second row with the same version but another total is a finding. */
function latestBills(
  accountId: string,
  bills: readonly (ArrearsBill | ArrearsBillInput)[],
  findings: LedgerFinding[],
): LedgerBill[] {
  const byId = new Map<string, LedgerBill>();
  for (const input of bills) {
    const bill = ArrearsBillSchema.parse(input);
    if (bill.accountId !== accountId) continue;
    const billId = billIdOf(bill.accountId, bill.period);
    const held = byId.get(billId);
    if (held !== undefined && held.version > bill.version) continue;
    if (held !== undefined && held.version === bill.version) {
      if (!dec(held.amount).eq(bill.total) || held.dueDate !== bill.dueDate) {
        findings.push({
          code: 'conflicting-bill-version',
          accountId,
          billId,
          message: `bill ${billId} version ${bill.version} appears twice with different totals or due dates; the first is used`,
        });
      }
      continue;
    }
    byId.set(billId, {
      billId,
      accountId,
      period: bill.period,
      version: bill.version,
      amount: dec(bill.total).toFixed(2),
      dueDate: bill.dueDate,
      ...(bill.issuedOn === undefined ? {} : { issuedOn: bill.issuedOn }),
      ...(bill.externalId === undefined ? {} : { externalId: bill.externalId }),
    });
  }
  return [...byId.values()].sort(compareBills);
}

function samePayment(a: PaymentRow, b: PaymentRow): boolean {
  return (
    a.accountId === b.accountId &&
    dec(a.amount).eq(b.amount) &&
    instantMs(a.paidAt) === instantMs(b.paidAt) &&
    a.billId === b.billId &&
    a.reverses === b.reverses
  );
}

/** Each payment id once: the first row wins; an identical re-delivery is silent, a different one a finding. */
function uniquePayments(
  accountId: string,
  rows: readonly PaymentRow[],
  findings: LedgerFinding[],
): { p: PaymentRow; index: number; ms: number }[] {
  const seen = new Map<string, PaymentRow>();
  for (const p of rows) {
    if (p.accountId !== accountId) continue;
    const held = seen.get(p.paymentId);
    if (held === undefined) {
      seen.set(p.paymentId, p);
    } else if (!samePayment(held, p)) {
      findings.push({
        code: 'conflicting-duplicate-payment',
        accountId,
        paymentId: p.paymentId,
        message: `payment ${p.paymentId} was delivered again with different content; the first delivery counts`,
      });
    } else {
      findings.push({
        code: 'duplicate-payment',
        accountId,
        paymentId: p.paymentId,
        message: `payment ${p.paymentId} was delivered more than once; it counts once`,
      });
    }
  }
  return [...seen.values()]
    .map((p, index) => ({ p, index, ms: instantMs(p.paidAt) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index);
}

/** Builds one account's ledger from its bills and payments (rows of other accounts are ignored). */
export function buildLedger(input: {
  accountId: string;
  bills: readonly (ArrearsBill | ArrearsBillInput)[];
  payments: readonly PaymentRow[];
  penalty?: PenaltyTerms;
}): AccountLedger {
  const { accountId, penalty } = input;
  const findings: LedgerFinding[] = [];
  const bills = latestBills(accountId, input.bills, findings);
  const payments = uniquePayments(accountId, input.payments, findings);

  type Event = {
    ms: number;
    order: number;
    issue?: LedgerBill;
    payment?: PaymentRow;
    waiver?: PenaltyWaiver;
  };
  const events: Event[] = [
    ...(penalty?.waivers ?? []).map((waiver) => ({ ms: instantMs(waiver.at), order: 2, waiver })),
    ...bills
      .filter((b) => b.issuedOn !== undefined)
      .map((b) => ({ ms: startOfDayMs(b.issuedOn!), order: 0, issue: b })),
    ...payments.map(({ p, ms }) => ({ ms, order: 1, payment: p })),
  ].sort((a, b) => a.ms - b.ms || a.order - b.order);

  const allocation = new Allocation(accountId, bills, findings, penalty);
  for (const event of events) {
    allocation.now = event.ms;
    if (event.issue !== undefined) {
      allocation.issue(event.issue);
      continue;
    }
    if (event.waiver !== undefined) {
      allocation.waive(event.waiver);
      continue;
    }
    const p = event.payment!;
    if (p.reverses === undefined) allocation.pay(p);
    else allocation.reverse(p, p.reverses);
  }

  return {
    accountId,
    bills,
    entries: allocation.entries,
    payments: payments.map((x) => x.p),
    findings,
    ...(penalty === undefined ? {} : { penalty }),
  };
}

/** The same ledger under other penalty terms (a waiver added): rebuilt from its bills and payments. */
export function withPenaltyTerms(ledger: AccountLedger, penalty: PenaltyTerms): AccountLedger {
  return buildLedger({
    accountId: ledger.accountId,
    bills: ledger.bills.map((b) => ({
      accountId: b.accountId,
      period: b.period,
      total: b.amount,
      dueDate: b.dueDate,
      version: b.version,
      ...(b.issuedOn === undefined ? {} : { issuedOn: b.issuedOn }),
      ...(b.externalId === undefined ? {} : { externalId: b.externalId }),
    })),
    payments: ledger.payments,
    penalty,
  });
}

/** Ledgers for every account that has a bill or a payment. */
export function buildLedgers(input: {
  bills: readonly (ArrearsBill | ArrearsBillInput)[];
  payments: readonly PaymentRow[];
}): Map<string, AccountLedger> {
  const ids = new Set([...input.bills.map((b) => b.accountId), ...input.payments.map((p) => p.accountId)]);
  const ledgers = new Map<string, AccountLedger>();
  for (const accountId of [...ids].sort()) {
    ledgers.set(
      accountId,
      buildLedger({
        accountId,
        bills: input.bills.filter((b) => b.accountId === accountId),
        payments: input.payments.filter((p) => p.accountId === accountId),
      }),
    );
  }
  return ledgers;
}
