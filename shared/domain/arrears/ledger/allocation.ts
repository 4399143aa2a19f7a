import { shanghaiDateOfMs, shanghaiInstant } from '../../calendar/index.ts';
import { Dec, dec } from '../../money.ts';
import type { PaymentRow } from '../../payment.ts';
import { accruedPenalty } from '../../penalty/index.ts';
import { balanceSteps } from './balances.ts';
import type {
  LedgerBill,
  LedgerEntry,
  LedgerEntryKind,
  LedgerFinding,
  PenaltyTerms,
  PenaltyWaiver,
} from './model.ts';

/*
 * Allocating one account's payments to its bills, one event at a time in the order they happened (see
 * build.ts for the rules). Every allocation becomes an entry stamped with the instant of the event.
 */

interface Holding {
  /** Bills the payment currently settles, in allocation order. */
  bills: { billId: string; amount: Dec }[];
  /** Penalties the payment currently settles, in allocation order. */
  penalties: { billId: string; amount: Dec }[];
  credit: Dec;
  reversal: boolean;
}

export class Allocation {
  readonly entries: LedgerEntry[] = [];
  /** The instant of the event being applied. */
  now = 0;
  private readonly open: Map<string, Dec>;
  private readonly issued: Set<string>;
  private readonly holdings = new Map<string, Holding>();
  /** Payments with unused credit, first in first out. */
  private readonly creditQueue: string[] = [];
  /** Penalty paid and waived per bill so far. */
  private readonly penaltySettled = new Map<string, Dec>();
  /**
   * The accrued penalty of a bill whose charges are paid: it no longer grows, so it is computed once
   * (until the bill's next entry), which keeps a long history of paid bills cheap to allocate over.
   */
  private readonly finalPenalty = new Map<string, string>();

  constructor(
    private readonly accountId: string,
    private readonly bills: readonly LedgerBill[],
    private readonly findings: LedgerFinding[],
    private readonly penalty?: PenaltyTerms,
  ) {
    this.open = new Map<string, Dec>(bills.map((b) => [b.billId, dec(b.amount)]));
    this.issued = new Set(bills.filter((b) => b.issuedOn === undefined).map((b) => b.billId));
  }

  private record(kind: LedgerEntryKind, paymentId: string, amount: Dec, extra: Partial<LedgerEntry> = {}) {
    if (extra.billId !== undefined) this.finalPenalty.delete(extra.billId);
    this.entries.push({
      kind,
      paymentId,
      amount: amount.toFixed(2),
      at: shanghaiInstant(this.now),
      atMs: this.now,
      on: shanghaiDateOfMs(this.now),
      ...extra,
    });
  }

  /** The penalty of a bill still open now: accrued through today less what was paid or waived. */
  private penaltyOpen(billId: string): Dec {
    if (this.penalty === undefined) return dec(0);
    const bill = this.bills.find((b) => b.billId === billId)!;
    const today = shanghaiDateOfMs(this.now);
    if (today <= bill.dueDate) return dec(0);
    const view = {
      accountId: this.accountId,
      bills: [...this.bills],
      entries: this.entries,
      payments: [],
      findings: [],
    };
    const accrued = accruedPenalty({
      dueDate: bill.dueDate,
      through: today,
      steps: balanceSteps(view, billId),
      rates: this.penalty.rates,
    }).total;
    return Dec.max(dec(0), dec(accrued).minus(this.penaltySettled.get(billId) ?? dec(0)));
  }

  private settlePenalty(paymentId: string, billId: string, remaining: Dec): Dec {
    const take = Dec.min(this.penaltyOpen(billId), remaining);
    if (take.lte(0)) return remaining;
    this.penaltySettled.set(billId, (this.penaltySettled.get(billId) ?? dec(0)).plus(take));
    this.holdings.get(paymentId)!.penalties.push({ billId, amount: take });
    this.record('penalty-paid', paymentId, take, { billId });
    return remaining.minus(take);
  }

  /** A payment on one bill: its charges and its penalty, in the terms' order. */
  private settleBill(paymentId: string, billId: string, remaining: Dec): Dec {
    if (this.penalty?.order === 'penalty-first') {
      return this.settle(paymentId, billId, this.settlePenalty(paymentId, billId, remaining), 'settle');
    }
    const left = this.settle(paymentId, billId, remaining, 'settle');
    return this.penalty === undefined ? left : this.settlePenalty(paymentId, billId, left);
  }

  private settle(paymentId: string, billId: string, remaining: Dec, kind: 'settle' | 'credit-applied'): Dec {
    const owed = this.open.get(billId)!;
    const take = Dec.min(owed, remaining);
    if (take.lte(0)) return remaining;
    this.open.set(billId, owed.minus(take));
    const holding = this.holdings.get(paymentId)!;
    holding.bills.push({ billId, amount: take });
    this.record(kind, paymentId, take, { billId });
    return remaining.minus(take);
  }

  private openIssuedBills(): LedgerBill[] {
    return this.bills.filter(
      (b) =>
        this.issued.has(b.billId) && (this.open.get(b.billId)!.gt(0) || this.penaltyOpen(b.billId).gt(0)),
    );
  }

  /** Credit goes to open bills, oldest bill first, oldest credit first. */
  private applyCredit() {
    if (this.creditQueue.length === 0) return;
    for (const bill of this.openIssuedBills()) {
      while (this.open.get(bill.billId)!.gt(0) && this.creditQueue.length > 0) {
        const paymentId = this.creditQueue[0]!;
        const holding = this.holdings.get(paymentId)!;
        const before = holding.credit;
        const left = this.settle(paymentId, bill.billId, before, 'credit-applied');
        holding.credit = left;
        if (left.lte(0)) this.creditQueue.shift();
      }
    }
  }

  /** A bill is issued: from now on it takes unnamed payments and credit. */
  issue(bill: LedgerBill) {
    this.issued.add(bill.billId);
    this.applyCredit();
  }

  /** A payment: the bill it names first, then the oldest open bills, the rest to credit. */
  pay(p: PaymentRow) {
    this.holdings.set(p.paymentId, { bills: [], penalties: [], credit: dec(0), reversal: false });
    let remaining = dec(p.amount);
    if (p.billId !== undefined) {
      const named = this.bills.find((b) => b.billId === p.billId || b.externalId === p.billId);
      if (named === undefined) {
        this.findings.push({
          code: 'unknown-bill',
          accountId: this.accountId,
          paymentId: p.paymentId,
          billId: p.billId,
          message: `payment ${p.paymentId} names bill ${p.billId}, which is not one of the account's bills; it settles the oldest open bills`,
        });
      } else {
        remaining = this.settleBill(p.paymentId, named.billId, remaining);
      }
    }
    for (const bill of this.openIssuedBills()) {
      if (remaining.lte(0)) break;
      remaining = this.settleBill(p.paymentId, bill.billId, remaining);
    }
    if (remaining.gt(0)) {
      this.holdings.get(p.paymentId)!.credit = remaining;
      this.creditQueue.push(p.paymentId);
      this.record('to-credit', p.paymentId, remaining);
    }
  }

  /** The payment a reversal undoes, if it can be undone; a finding otherwise. */
  private reversible(p: PaymentRow, reverses: string): Holding | undefined {
    const original = this.holdings.get(reverses);
    if (original === undefined) {
      this.findings.push({
        code: 'unknown-reversed-payment',
        accountId: this.accountId,
        paymentId: p.paymentId,
        message: `reversal ${p.paymentId} reverses ${reverses}, which is not an earlier payment of the account; ignored`,
      });
      return undefined;
    }
    if (original.reversal) {
      this.findings.push({
        code: 'reversal-of-reversal',
        accountId: this.accountId,
        paymentId: p.paymentId,
        message: `reversal ${p.paymentId} reverses ${reverses}, itself a reversal; ignored`,
      });
      return undefined;
    }
    return original;
  }

  /** A waiver: the open penalty of its bills (every bill when it names none) is written off now. */
  waive(waiver: PenaltyWaiver) {
    if (this.penalty === undefined) return;
    for (const bill of this.bills) {
      if (waiver.billIds !== undefined && !waiver.billIds.includes(bill.billId)) continue;
      const open = this.penaltyOpen(bill.billId);
      if (open.lte(0)) continue;
      this.penaltySettled.set(bill.billId, (this.penaltySettled.get(bill.billId) ?? dec(0)).plus(open));
      this.record('penalty-waived', waiver.waiverId, open, {
        billId: bill.billId,
        waiverId: waiver.waiverId,
      });
    }
  }

  /** A reversal: undoes the reversed payment's allocations, last first, then lets credit settle again. */
  reverse(p: PaymentRow, reverses: string) {
    this.holdings.set(p.paymentId, { bills: [], penalties: [], credit: dec(0), reversal: true });
    const original = this.reversible(p, reverses);
    if (original === undefined) return;
    let toReverse = dec(p.amount).abs();
    const held = [...original.bills, ...original.penalties].reduce(
      (acc, h) => acc.plus(h.amount),
      original.credit,
    );
    if (toReverse.gt(held)) {
      this.findings.push({
        code: 'reversal-exceeds-payment',
        accountId: this.accountId,
        paymentId: p.paymentId,
        message: `reversal ${p.paymentId} of ${dec(p.amount).abs().toFixed(2)} exceeds the ${held.toFixed(2)} that ${reverses} still settles; only that is reversed`,
      });
      toReverse = held;
    }
    const fromCredit = Dec.min(original.credit, toReverse);
    if (fromCredit.gt(0)) {
      original.credit = original.credit.minus(fromCredit);
      if (original.credit.lte(0)) this.creditQueue.splice(this.creditQueue.indexOf(reverses), 1);
      toReverse = toReverse.minus(fromCredit);
      this.record('reversed-from-credit', reverses, fromCredit, { reversalId: p.paymentId });
    }
    while (toReverse.gt(0) && original.penalties.length > 0) {
      const last = original.penalties.at(-1)!;
      const take = Dec.min(last.amount, toReverse);
      last.amount = last.amount.minus(take);
      if (last.amount.lte(0)) original.penalties.pop();
      this.penaltySettled.set(last.billId, this.penaltySettled.get(last.billId)!.minus(take));
      toReverse = toReverse.minus(take);
      this.record('reversed-from-penalty', reverses, take, { reversalId: p.paymentId, billId: last.billId });
    }
    while (toReverse.gt(0) && original.bills.length > 0) {
      const last = original.bills.at(-1)!;
      const take = Dec.min(last.amount, toReverse);
      last.amount = last.amount.minus(take);
      if (last.amount.lte(0)) original.bills.pop();
      this.open.set(last.billId, this.open.get(last.billId)!.plus(take));
      toReverse = toReverse.minus(take);
      this.record('reversed-from-bill', reverses, take, { reversalId: p.paymentId, billId: last.billId });
    }
    this.applyCredit();
  }
}
