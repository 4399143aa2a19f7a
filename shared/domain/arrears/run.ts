import type { Account } from '../account.ts';
import { daysBetween, shanghaiDateOfMs, shanghaiInstant } from '../calendar/index.ts';
import { type Dec, dec } from '../money.ts';
import type { RecipientKeyOf } from '../recipient-key.ts';
import { type ArrearsWarning, buildWarnings, type WarningLevel } from './evidence.ts';
import { type AccountLedger, billPenalty, type LedgerBill, openBalanceAt } from './ledger/index.ts';
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
    this.ledger = snapshot.ledger;
    this.recipientKeyOf = snapshot.recipientKeyOf;
    this.state = cloneState(snapshot.state);
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
    const penalty = bills.reduce<Dec>(
      (acc, b) => acc.plus(billPenalty(this.ledger, b.billId, today, this.policy.penalty).total),
      dec(0),
    );
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
    options: { plan?: { planId: string; revision: number }; customers?: boolean; authority?: boolean } = {},
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
