import {
  addDays,
  dayNumber,
  instantMs,
  shanghaiDateOfMs,
  shanghaiInstant,
  startOfDayMs,
} from '../calendar/index.ts';
import { Dec, dec } from '../money.ts';
import type { PaymentRow } from '../payment.ts';
import {
  accruedPenalty,
  type BalanceStep,
  type LatePaymentPenalty,
  type PenaltyRates,
} from '../penalty/index.ts';
import { type ArrearsBill, type ArrearsBillInput, ArrearsBillSchema, billIdOf } from './inputs.ts';

/*
 * The arrears ledger of one account: which payment settled which bill, when. Payments are applied in
 * the order they were made (paidAt), a bill becomes payable when issued:
 * - a payment naming a bill settles that bill first; the rest, and an unnamed payment, settles the
 *   oldest open bills (due date, then period); what is left is a credit, applied to bills as they are
 *   issued or re-opened;
 * - a reversal undoes exactly the reversed payment's allocations, last first (unused credit, then the
 *   bills it settled, newest allocation first), and the bills it re-opens take any credit there is;
 * - a payment id seen twice counts once.
 * Every allocation is an entry with its instant, so the open balance of a bill at any instant is the
 * bill amount less the entries up to it, and allocations never depend on later payments.
 */

export type LedgerEntryKind =
  | 'settle'
  | 'to-credit'
  | 'credit-applied'
  | 'reversed-from-bill'
  | 'reversed-from-credit';

export interface LedgerEntry {
  kind: LedgerEntryKind;
  paymentId: string;
  /** The reversal row that caused a `reversed-*` entry. */
  reversalId?: string;
  /** The bill; absent for credit-only entries. */
  billId?: string;
  /** Always positive; the kind says which way it moves. */
  amount: string;
  at: string;
  atMs: number;
  /** Asia/Shanghai calendar day of `at`. */
  on: string;
}

export type LedgerFindingCode =
  | 'duplicate-payment'
  | 'conflicting-duplicate-payment'
  | 'unknown-bill'
  | 'unknown-reversed-payment'
  | 'reversal-of-reversal'
  | 'reversal-exceeds-payment'
  | 'conflicting-bill-version';

export interface LedgerFinding {
  code: LedgerFindingCode;
  accountId: string;
  paymentId?: string;
  billId?: string;
  message: string;
}

export interface LedgerBill {
  billId: string;
  accountId: string;
  period: string;
  version: number;
  /** The bill total of its latest version: the amount due. */
  amount: string;
  dueDate: string;
  issuedOn?: string;
  externalId?: string;
}

export interface AccountLedger {
  accountId: string;
  /** Oldest first (due date, then period). */
  bills: LedgerBill[];
  /** In the order they happened. */
  entries: LedgerEntry[];
  /** The payments the ledger applied, each id once, in the order they were made. */
  payments: PaymentRow[];
  findings: LedgerFinding[];
}

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

interface Holding {
  /** Bills the payment currently settles, in allocation order. */
  bills: { billId: string; amount: Dec }[];
  credit: Dec;
  reversal: boolean;
}

/** Builds one account's ledger from its bills and payments (rows of other accounts are ignored). */
export function buildLedger(input: {
  accountId: string;
  bills: readonly (ArrearsBill | ArrearsBillInput)[];
  payments: readonly PaymentRow[];
}): AccountLedger {
  const { accountId } = input;
  const findings: LedgerFinding[] = [];
  const bills = latestBills(accountId, input.bills, findings);
  const open = new Map<string, Dec>(bills.map((b) => [b.billId, dec(b.amount)]));
  const issued = new Set(bills.filter((b) => b.issuedOn === undefined).map((b) => b.billId));
  const entries: LedgerEntry[] = [];
  const holdings = new Map<string, Holding>();
  /** Payments with unused credit, first in first out. */
  const creditQueue: string[] = [];

  // Each payment id once: the first row wins; an identical re-delivery is silent, a different one a finding.
  const seen = new Map<string, PaymentRow>();
  for (const p of input.payments) {
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
  const payments = [...seen.values()]
    .map((p, index) => ({ p, index, ms: instantMs(p.paidAt) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index);

  type Event = { ms: number; order: number; issue?: LedgerBill; payment?: PaymentRow };
  const events: Event[] = [
    ...bills
      .filter((b) => b.issuedOn !== undefined)
      .map((b) => ({ ms: startOfDayMs(b.issuedOn!), order: 0, issue: b })),
    ...payments.map(({ p, ms }) => ({ ms, order: 1, payment: p })),
  ].sort((a, b) => a.ms - b.ms || a.order - b.order);

  let now = 0;
  const record = (
    kind: LedgerEntryKind,
    paymentId: string,
    amount: Dec,
    extra: Partial<LedgerEntry> = {},
  ) => {
    entries.push({
      kind,
      paymentId,
      amount: amount.toFixed(2),
      at: shanghaiInstant(now),
      atMs: now,
      on: shanghaiDateOfMs(now),
      ...extra,
    });
  };
  const settle = (
    paymentId: string,
    billId: string,
    remaining: Dec,
    kind: 'settle' | 'credit-applied',
  ): Dec => {
    const owed = open.get(billId)!;
    const take = Dec.min(owed, remaining);
    if (take.lte(0)) return remaining;
    open.set(billId, owed.minus(take));
    const holding = holdings.get(paymentId)!;
    holding.bills.push({ billId, amount: take });
    record(kind, paymentId, take, { billId });
    return remaining.minus(take);
  };
  const openIssuedBills = () => bills.filter((b) => issued.has(b.billId) && open.get(b.billId)!.gt(0));
  /** Credit goes to open bills, oldest bill first, oldest credit first. */
  const applyCredit = () => {
    for (const bill of openIssuedBills()) {
      while (open.get(bill.billId)!.gt(0) && creditQueue.length > 0) {
        const paymentId = creditQueue[0]!;
        const holding = holdings.get(paymentId)!;
        const before = holding.credit;
        const left = settle(paymentId, bill.billId, before, 'credit-applied');
        holding.credit = left;
        if (left.lte(0)) creditQueue.shift();
      }
    }
  };

  for (const event of events) {
    now = event.ms;
    if (event.issue !== undefined) {
      issued.add(event.issue.billId);
      applyCredit();
      continue;
    }
    const p = event.payment!;
    if (p.reverses === undefined) {
      holdings.set(p.paymentId, { bills: [], credit: dec(0), reversal: false });
      let remaining = dec(p.amount);
      if (p.billId !== undefined) {
        const named = bills.find((b) => b.billId === p.billId || b.externalId === p.billId);
        if (named === undefined) {
          findings.push({
            code: 'unknown-bill',
            accountId,
            paymentId: p.paymentId,
            billId: p.billId,
            message: `payment ${p.paymentId} names bill ${p.billId}, which is not one of the account's bills; it settles the oldest open bills`,
          });
        } else {
          remaining = settle(p.paymentId, named.billId, remaining, 'settle');
        }
      }
      for (const bill of openIssuedBills()) {
        if (remaining.lte(0)) break;
        remaining = settle(p.paymentId, bill.billId, remaining, 'settle');
      }
      if (remaining.gt(0)) {
        holdings.get(p.paymentId)!.credit = remaining;
        creditQueue.push(p.paymentId);
        record('to-credit', p.paymentId, remaining);
      }
      continue;
    }
    // A reversal.
    holdings.set(p.paymentId, { bills: [], credit: dec(0), reversal: true });
    const original = holdings.get(p.reverses);
    if (original === undefined) {
      findings.push({
        code: 'unknown-reversed-payment',
        accountId,
        paymentId: p.paymentId,
        message: `reversal ${p.paymentId} reverses ${p.reverses}, which is not an earlier payment of the account; ignored`,
      });
      continue;
    }
    if (original.reversal) {
      findings.push({
        code: 'reversal-of-reversal',
        accountId,
        paymentId: p.paymentId,
        message: `reversal ${p.paymentId} reverses ${p.reverses}, itself a reversal; ignored`,
      });
      continue;
    }
    let toReverse = dec(p.amount).abs();
    const held = original.bills.reduce((acc, h) => acc.plus(h.amount), original.credit);
    if (toReverse.gt(held)) {
      findings.push({
        code: 'reversal-exceeds-payment',
        accountId,
        paymentId: p.paymentId,
        message: `reversal ${p.paymentId} of ${dec(p.amount).abs().toFixed(2)} exceeds the ${held.toFixed(2)} that ${p.reverses} still settles; only that is reversed`,
      });
      toReverse = held;
    }
    const fromCredit = Dec.min(original.credit, toReverse);
    if (fromCredit.gt(0)) {
      original.credit = original.credit.minus(fromCredit);
      if (original.credit.lte(0)) creditQueue.splice(creditQueue.indexOf(p.reverses), 1);
      toReverse = toReverse.minus(fromCredit);
      record('reversed-from-credit', p.reverses, fromCredit, { reversalId: p.paymentId });
    }
    while (toReverse.gt(0) && original.bills.length > 0) {
      const last = original.bills.at(-1)!;
      const take = Dec.min(last.amount, toReverse);
      last.amount = last.amount.minus(take);
      if (last.amount.lte(0)) original.bills.pop();
      open.set(last.billId, open.get(last.billId)!.plus(take));
      toReverse = toReverse.minus(take);
      record('reversed-from-bill', p.reverses, take, { reversalId: p.paymentId, billId: last.billId });
    }
    applyCredit();
  }

  return { accountId, bills, entries, payments: payments.map((x) => x.p), findings };
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

const billDelta = (e: LedgerEntry): Dec =>
  e.kind === 'settle' || e.kind === 'credit-applied'
    ? dec(e.amount).negated()
    : e.kind === 'reversed-from-bill'
      ? dec(e.amount)
      : dec(0);

export function ledgerBill(ledger: AccountLedger, billId: string): LedgerBill {
  const bill = ledger.bills.find((b) => b.billId === billId);
  if (bill === undefined) throw new RangeError(`account ${ledger.accountId} has no bill ${billId}`);
  return bill;
}

/** A bill's open balance just after `atMs` (entries at that instant included). */
export function openBalanceAt(ledger: AccountLedger, billId: string, atMs: number): string {
  let balance = dec(ledgerBill(ledger, billId).amount);
  for (const e of ledger.entries) {
    if (e.atMs > atMs) break;
    if (e.billId === billId) balance = balance.plus(billDelta(e));
  }
  return balance.toFixed(2);
}

/** A bill's open balance at the end of a calendar day. */
export const openBalanceOn = (ledger: AccountLedger, billId: string, date: string): string =>
  openBalanceAt(ledger, billId, startOfDayMs(addDays(date, 1)) - 1);

/** Unused credit just after `atMs`. */
export function creditAt(ledger: AccountLedger, atMs: number): string {
  let credit = dec(0);
  for (const e of ledger.entries) {
    if (e.atMs > atMs) break;
    if (e.kind === 'to-credit') credit = credit.plus(e.amount);
    else if (e.kind === 'credit-applied' || e.kind === 'reversed-from-credit')
      credit = credit.minus(e.amount);
  }
  return credit.toFixed(2);
}

/** The unpaid amount of a bill as a step function of calendar days (for the penalty). */
export function balanceSteps(ledger: AccountLedger, billId: string): BalanceStep[] {
  const bill = ledgerBill(ledger, billId);
  let balance = dec(bill.amount);
  const steps: BalanceStep[] = [{ effectiveFrom: bill.dueDate, balance: balance.toFixed(2) }];
  for (const e of ledger.entries) {
    if (e.billId !== billId) continue;
    balance = balance.plus(billDelta(e));
    // The balance at the end of day `on` is what accrues from the next day on.
    const effectiveFrom = addDays(e.on, 1);
    const last = steps.at(-1)!;
    if (dayNumber(last.effectiveFrom) >= dayNumber(effectiveFrom)) last.balance = balance.toFixed(2);
    else steps.push({ effectiveFrom, balance: balance.toFixed(2) });
  }
  return steps;
}

/** Late-payment penalty of a bill accrued up to and including `through`. */
export function billPenalty(
  ledger: AccountLedger,
  billId: string,
  through: string,
  rates: PenaltyRates,
  residential = false,
): LatePaymentPenalty {
  const bill = ledgerBill(ledger, billId);
  return accruedPenalty({
    dueDate: bill.dueDate,
    through,
    steps: balanceSteps(ledger, billId),
    rates,
    residential,
  });
}

export interface BillStatement {
  billId: string;
  period: string;
  version: number;
  dueDate: string;
  amount: string;
  paid: string;
  open: string;
  /** Days past the due date on `asOf` (0 when not yet due). */
  daysOverdue: number;
  penalty: string;
}

/** Every bill of the account as of the end of a calendar day. */
export function statementOn(ledger: AccountLedger, asOf: string, rates: PenaltyRates): BillStatement[] {
  return ledger.bills.map((b) => {
    const openAmount = openBalanceOn(ledger, b.billId, asOf);
    return {
      billId: b.billId,
      period: b.period,
      version: b.version,
      dueDate: b.dueDate,
      amount: b.amount,
      paid: dec(b.amount).minus(openAmount).toFixed(2),
      open: openAmount,
      daysOverdue: Math.max(0, dayNumber(asOf) - dayNumber(b.dueDate)),
      penalty: billPenalty(ledger, b.billId, asOf, rates).total,
    };
  });
}
