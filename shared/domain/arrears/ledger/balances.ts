import { addDays, dayNumber, shanghaiDateOfMs, startOfDayMs } from '../../calendar/index.ts';
import { type Dec, dec } from '../../money.ts';
import {
  accruedPenalty,
  type BalanceStep,
  type LatePaymentPenalty,
  type PenaltyRates,
} from '../../penalty/index.ts';
import type { AccountLedger, LedgerBill, LedgerEntry } from './model.ts';

/*
 * What a ledger says at a given instant or day: a bill's open balance, the unused credit, the unpaid
 * amount as a step function of days (what the penalty accrues on), the penalty, and the statement.
 */

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

/** What was paid and waived of a bill's penalty up to `atMs`. */
export function penaltySettledAt(ledger: AccountLedger, billId: string, atMs: number) {
  let paid = dec(0);
  let waived = dec(0);
  for (const e of ledger.entries) {
    if (e.atMs > atMs) break;
    if (e.billId !== billId) continue;
    if (e.kind === 'penalty-paid') paid = paid.plus(e.amount);
    else if (e.kind === 'reversed-from-penalty') paid = paid.minus(e.amount);
    else if (e.kind === 'penalty-waived') waived = waived.plus(e.amount);
  }
  return { paid, waived };
}

/**
 * A bill's penalty still open just after `atMs`: accrued through that day less what was paid or waived.
 * A ledger without penalty terms settles no penalty, so its whole accrued penalty is open.
 */
export function penaltyOpenAt(
  ledger: AccountLedger,
  billId: string,
  atMs: number,
  rates: PenaltyRates,
): string {
  const through = shanghaiDateOfMs(atMs);
  const accrued = dec(billPenalty(ledger, billId, through, ledger.penalty?.rates ?? rates).total);
  const { paid, waived } = penaltySettledAt(ledger, billId, atMs);
  const open = accrued.minus(paid).minus(waived);
  return (open.gt(0) ? open : dec(0)).toFixed(2);
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
  /** Penalty accrued through `asOf`. */
  penalty: string;
  penaltyPaid: string;
  penaltyWaived: string;
  /** Penalty still to pay: accrued less paid and waived. */
  penaltyOpen: string;
}

/** Every bill of the account as of the end of a calendar day. */
export function statementOn(ledger: AccountLedger, asOf: string, rates: PenaltyRates): BillStatement[] {
  return ledger.bills.map((b) => {
    const openAmount = openBalanceOn(ledger, b.billId, asOf);
    const endMs = startOfDayMs(addDays(asOf, 1)) - 1;
    const settled = penaltySettledAt(ledger, b.billId, endMs);
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
      penaltyPaid: settled.paid.toFixed(2),
      penaltyWaived: settled.waived.toFixed(2),
      penaltyOpen: penaltyOpenAt(ledger, b.billId, endMs, rates),
    };
  });
}
