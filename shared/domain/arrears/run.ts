import type { Account } from '../account.ts';
import { daysBetween, shanghaiDateOfMs, shanghaiInstant } from '../calendar/index.ts';
import { type Dec, dec } from '../money.ts';
import type { RecipientKeyOf } from '../recipient-key.ts';
import { type ArrearsWarning, buildWarnings, type WarningLevel } from './evidence.ts';
import {
  type AccountLedger,
  type LedgerBill,
  openBalanceAt,
  type PenaltyTerms,
  penaltyOpenAt,
  withPenaltyTerms,
} from './ledger/index.ts';
import type { ArrearsMessageKind, ArrearsMessageModel } from './messages.ts';
import type { ArrearsPolicy } from './policy.ts';
import {
  type AccountArrearsState,
  type ArrearsEvent,
  type ArrearsEventType,
  type ArrearsOutcome,
  type ArrearsSnapshot,
  type BillProgress,
  cloneState,
} from './state.ts';

/*
 * One run over one account, shared by the ladder and the disconnection plan: it holds the copy of the
 * state it changes and what it produces, and knows how to word a warning (amounts, penalty, days overdue
 * as of the run's instant) and put it in the outbox. Nothing here reads a clock: every entry point takes
 * the instant or day it runs for.
 */
export class ArrearsRun {
  readonly state: AccountArrearsState;
  readonly out: Omit<ArrearsOutcome, 'state'> = {
    warnings: [],
    remindersToSchedule: [],
    remindersToCancel: [],
    cancellations: [],
    events: [],
  };
  readonly account: Account;
  readonly ledger: AccountLedger;
  private readonly recipientKeyOf: RecipientKeyOf;

  constructor(
    snapshot: ArrearsSnapshot,
    readonly policy: ArrearsPolicy,
  ) {
    this.account = snapshot.account;
    this.recipientKeyOf = snapshot.recipientKeyOf;
    this.state = cloneState(snapshot.state);
    this.ledger = ledgerUnderTerms(snapshot.ledger, this.state.penaltyWaivers, policy);
  }

  /** Re-reads the ledger after a waiver was added to the state. */
  refreshLedger() {
    (this as { ledger: AccountLedger }).ledger = ledgerUnderTerms(
      this.ledger,
      this.state.penaltyWaivers,
      this.policy,
    );
  }

  outcome(): ArrearsOutcome {
    return { state: this.state, ...this.out };
  }

  event(type: ArrearsEventType, ms: number, extra: Partial<ArrearsEvent> = {}) {
    this.out.events.push({ type, accountId: this.account.accountId, at: shanghaiInstant(ms), ...extra });
  }

  bill(billId: string): LedgerBill | undefined {
    return this.ledger.bills.find((b) => b.billId === billId);
  }

  open(billIds: readonly string[], ms: number): Dec {
    return billIds.reduce<Dec>(
      (acc, id) => (this.bill(id) === undefined ? acc : acc.plus(openBalanceAt(this.ledger, id, ms))),
      dec(0),
    );
  }

  /** Late-payment penalty of the bills still to pay just after `ms` (accrued less paid and waived). */
  penaltyOpen(billIds: readonly string[], ms: number): Dec {
    return billIds.reduce<Dec>(
      (acc, id) =>
        this.bill(id) === undefined ? acc : acc.plus(penaltyOpenAt(this.ledger, id, ms, this.policy.penalty)),
      dec(0),
    );
  }

  /** Arrears cleared (billing-rules.md §8): the charges and the penalty on them are paid (or waived). */
  cleared(billIds: readonly string[], ms: number): boolean {
    return this.open(billIds, ms).lte(0) && this.penaltyOpen(billIds, ms).lte(0);
  }

  progress(billId: string): BillProgress {
    let p = this.state.bills.find((b) => b.billId === billId);
    if (p === undefined) {
      p = { billId, reached: [] };
      this.state.bills.push(p);
    }
    return p;
  }

  model(
    kind: ArrearsMessageKind,
    billIds: readonly string[],
    ms: number,
    extra: Partial<ArrearsMessageModel> = {},
  ) {
    const today = shanghaiDateOfMs(ms);
    const bills = billIds.map((id) => this.bill(id)).filter((b): b is LedgerBill => b !== undefined);
    const dueDate = bills.map((b) => b.dueDate).sort()[0] ?? today;
    const penalty = this.penaltyOpen(billIds, ms);
    const m = this.account.accountManager;
    const model: ArrearsMessageModel = {
      kind,
      accountId: this.account.accountId,
      accountName: this.account.name,
      periods: bills.map((b) => b.period),
      dueDate,
      arrears: this.open(billIds, ms).toFixed(2),
      penalty: penalty.toFixed(2),
      asOf: today,
      daysOverdue: Math.max(0, daysBetween(dueDate, today)),
      penaltyRatePerMille: this.policy.penalty.currentYearPerMille,
      paymentInstructions: this.policy.paymentInstructions,
      manager: { name: m.name, phone: m.phone, email: m.email },
      important: this.account.important,
      ...extra,
    };
    return model;
  }

  send(
    model: ArrearsMessageModel,
    scope: string,
    billIds: string[],
    ms: number,
    options: {
      plan?: { planId: string; revision: number };
      customers?: boolean;
      authority?: boolean;
      only?: 'approver' | 'account-manager';
    } = {},
  ): ArrearsWarning[] {
    const warnings = buildWarnings({
      account: this.account,
      model,
      scope,
      billIds,
      sendAt: shanghaiInstant(ms),
      policy: this.policy,
      recipientKeyOf: this.recipientKeyOf,
      ...options,
    });
    this.out.warnings.push(...warnings);
    return warnings;
  }

  reach(billId: string, level: WarningLevel, ms: number, planId?: string) {
    this.progress(billId).reached.push({
      level,
      on: shanghaiDateOfMs(ms),
      at: shanghaiInstant(ms),
      ...(planId === undefined ? {} : { planId }),
    });
    this.event('level-reached', ms, { billId, level, ...(planId === undefined ? {} : { planId }) });
  }
}

const sameWaivers = (terms: PenaltyTerms | undefined, waivers: readonly { waiverId: string }[]): boolean =>
  terms !== undefined &&
  terms.waivers.length === waivers.length &&
  terms.waivers.every((w, i) => w.waiverId === waivers[i]!.waiverId);

/** The ledger with the policy's penalty terms and the state's waivers (rebuilt only when they differ). */
export function ledgerUnderTerms(
  ledger: AccountLedger,
  waivers: AccountArrearsState['penaltyWaivers'],
  policy: ArrearsPolicy,
): AccountLedger {
  const terms = ledger.penalty;
  if (
    terms !== undefined &&
    terms.rates === policy.penalty &&
    terms.order === policy.paymentAllocation &&
    sameWaivers(terms, waivers)
  ) {
    return ledger;
  }
  return withPenaltyTerms(ledger, { rates: policy.penalty, order: policy.paymentAllocation, waivers });
}
