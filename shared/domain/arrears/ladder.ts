import type { Account } from '../account.ts';
import {
  addDays,
  DAY_MS,
  daysBetween,
  instantMs,
  shanghaiDateOfMs,
  shanghaiInstant,
} from '../calendar/index.ts';
import { type Dec, dec } from '../money.ts';
import { type ArrearsWarning, buildWarnings, type WarningLevel } from './evidence.ts';
import type { ArrearsOperatorCommand } from './inputs.ts';
import { type AccountLedger, billPenalty, type LedgerBill, openBalanceAt } from './ledger.ts';
import type { ArrearsMessageKind, ArrearsMessageModel, CancellationReason } from './messages.ts';
import type { ArrearsPolicy } from './policy.ts';
import { disconnectionTimesOn, planDisconnectionTimes, scanMsOn } from './schedule.ts';

/*
 * The escalation ladder and disconnection plans of one account, as pure state transitions.
 *
 * Per bill, levels follow reminder → overdue-notice → payment-demand (催告) → disconnection-notice, each
 * no earlier than its day counted from the DUE DATE, at most one level a day, never skipping one (the
 * courtesy reminder lapses when the bill is already past due; nothing else can be left out). A bill that
 * is cleared stops; re-opened by a reversal it resumes at the level it had reached.
 *
 * Per account, at most one disconnection plan is active. It is created when a bill is more than 30 days
 * overdue and its demand went out at least `minDaysFromDemandToDisconnectionNotice` days before; it waits
 * in `awaiting-approval` for an important customer (or every customer, by policy) until a manager approves
 * it; its notice goes out 3–7 days before a disconnection in working hours, and a one-time final reminder
 * exactly 30 minutes before it. Clearing the plan's bills, or an operator's deferral or exemption, cancels
 * what is still pending and confirms it in writing.
 *
 * Nothing here reads a clock: every entry point takes the instant or day it runs for.
 */

export interface LevelReached {
  level: WarningLevel;
  /** Asia/Shanghai day and instant the level's warning went out. */
  on: string;
  at: string;
  planId?: string;
}

export interface BillProgress {
  billId: string;
  reached: LevelReached[];
}

export interface Exemption {
  billId: string;
  planId: string;
  by: string;
  reason: string;
  at: string;
  /** Last exempt day; absent: for good. */
  until?: string;
}

export type PlanStatus =
  | 'awaiting-approval'
  | 'notice-pending'
  | 'notified'
  | 'reminded'
  | 'disconnect-due'
  | 'cancelled'
  | 'lapsed'
  | 'restored';

/** Statuses in which the plan can still produce a notice or reminder. */
export const ACTIVE_PLAN_STATUSES: readonly PlanStatus[] = [
  'awaiting-approval',
  'notice-pending',
  'notified',
  'reminded',
];

export type RevisionEndReason = CancellationReason | 'lapsed';

/** One set of times of a plan; a deferral ends a revision and starts the next. */
export interface PlanRevision {
  revision: number;
  noticeAt: string;
  disconnectAt: string;
  reminderAt: string;
  noticeSentAt?: string;
  reminderSentAt?: string;
  /** Ids of the notice warnings, so that queued copies can be dropped on cancellation. */
  noticeWarningIds?: string[];
  ended?: { at: string; reason: RevisionEndReason };
}

export interface DisconnectionPlan {
  planId: string;
  accountId: string;
  billIds: string[];
  createdAt: string;
  status: PlanStatus;
  approvalRequired: boolean;
  approval?: { by: string; at: string; note?: string };
  /** Important customer: the notice and its confirmations also go to the authority. */
  authorityNotified: boolean;
  /** Empty while awaiting approval. */
  revisions: PlanRevision[];
  endedAt?: string;
  endReason?: 'paid' | 'exempted' | 'lapsed' | 'restored';
  disconnectDueAt?: string;
}

/** Everything the ladder remembers about one account between runs (store it as one item). */
export interface AccountArrearsState {
  accountId: string;
  bills: BillProgress[];
  plans: DisconnectionPlan[];
  exemptions: Exemption[];
}

export const emptyArrearsState = (accountId: string): AccountArrearsState => ({
  accountId,
  bills: [],
  plans: [],
  exemptions: [],
});

/** What one run needs: the account, its ledger (bills and payments) and the stored state. */
export interface ArrearsSnapshot {
  account: Account;
  ledger: AccountLedger;
  state: AccountArrearsState;
}

export type ArrearsEventType =
  | 'level-reached'
  | 'plan-created'
  | 'approval-required'
  | 'plan-approved'
  | 'notice-scheduled'
  | 'final-reminder-sent'
  | 'plan-deferred'
  | 'plan-cancelled'
  | 'plan-lapsed'
  | 'disconnect-due'
  | 'supply-to-restore'
  | 'stale-reminder-ignored';

export interface ArrearsEvent {
  type: ArrearsEventType;
  accountId: string;
  at: string;
  planId?: string;
  billId?: string;
  level?: WarningLevel;
  detail?: string;
}

/** A one-time schedule for a final reminder (EventBridge Scheduler in AWS). */
export interface ReminderSchedule {
  scheduleName: string;
  planId: string;
  revision: number;
  at: string;
}

export interface CancelledStep {
  stepId: string;
  step: 'disconnection-notice' | 'final-reminder';
  scheduledAt: string;
}

export interface PlanCancellation {
  planId: string;
  accountId: string;
  /** Null when the plan was cancelled before it had times (awaiting approval). */
  revision: number | null;
  at: string;
  reason: CancellationReason;
  by?: string;
  note?: string;
  disconnectAt?: string;
  /** Steps that had not happened and now never will. */
  cancelledSteps: CancelledStep[];
  /** Notice warnings to drop if a queue still holds them. */
  pendingWarningIds: string[];
  confirmationWarningIds: string[];
}

export interface ArrearsOutcome {
  /** The state to store (conditionally on the one read). */
  state: AccountArrearsState;
  /** Messages to put in the outbox, each idempotent by warningId, to send at sendAt. */
  warnings: ArrearsWarning[];
  remindersToSchedule: ReminderSchedule[];
  remindersToCancel: ReminderSchedule[];
  cancellations: PlanCancellation[];
  events: ArrearsEvent[];
}

export class ArrearsCommandError extends Error {
  override name = 'ArrearsCommandError';
  constructor(
    readonly code:
      | 'no-such-plan'
      | 'plan-not-active'
      | 'not-awaiting-approval'
      | 'not-scheduled'
      | 'bad-date',
    message: string,
  ) {
    super(message);
  }
}

export const stepId = (planId: string, revision: number, step: CancelledStep['step']): string =>
  `${planId}#r${revision}#${step}`;

/** A Scheduler-safe name ([0-9A-Za-z-_.], ≤ 64) for the final reminder of one plan revision. */
export const reminderScheduleName = (planId: string, revision: number): string =>
  `dp-${planId.replace(/[^0-9A-Za-z_.-]/g, '-')}-r${revision}`;

export const activePlan = (state: AccountArrearsState): DisconnectionPlan | undefined =>
  state.plans.find((p) => ACTIVE_PLAN_STATUSES.includes(p.status));

const currentRevision = (plan: DisconnectionPlan): PlanRevision | undefined => plan.revisions.at(-1);

/** A deep copy of the plain-data state (faster than structuredClone on the scan's hot path). */
function cloneState(s: AccountArrearsState): AccountArrearsState {
  return {
    accountId: s.accountId,
    bills: s.bills.map((b) => ({ billId: b.billId, reached: b.reached.map((r) => ({ ...r })) })),
    plans: s.plans.map((p) => ({
      ...p,
      billIds: [...p.billIds],
      ...(p.approval === undefined ? {} : { approval: { ...p.approval } }),
      revisions: p.revisions.map((r) => ({
        ...r,
        ...(r.noticeWarningIds === undefined ? {} : { noticeWarningIds: [...r.noticeWarningIds] }),
        ...(r.ended === undefined ? {} : { ended: { ...r.ended } }),
      })),
    })),
    exemptions: s.exemptions.map((e) => ({ ...e })),
  };
}

/** One run over one account: holds the copy of the state it changes and what it produces. */
class Run {
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

  constructor(
    snapshot: ArrearsSnapshot,
    readonly policy: ArrearsPolicy,
  ) {
    this.account = snapshot.account;
    this.ledger = snapshot.ledger;
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

  isExempt(billId: string, today: string): boolean {
    return this.state.exemptions.some(
      (e) => e.billId === billId && (e.until === undefined || today <= e.until),
    );
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

  // ---- Clearing: cancel what is pending, confirm, restore.

  settleCleared(ms: number) {
    for (const plan of this.state.plans) {
      if (ACTIVE_PLAN_STATUSES.includes(plan.status) && this.open(plan.billIds, ms).lte(0)) {
        this.cancelPlan(plan, ms, 'paid');
      } else if (plan.status === 'disconnect-due' && this.open(plan.billIds, ms).lte(0)) {
        plan.status = 'restored';
        plan.endedAt = shanghaiInstant(ms);
        plan.endReason = 'restored';
        const rev = currentRevision(plan)!;
        this.send(
          this.model('supply-restoration', plan.billIds, ms, {
            disconnectAt: rev.disconnectAt,
            restoreWithinDays: this.policy.disconnection.restoreWithinDays,
          }),
          `${plan.planId}#r${rev.revision}`,
          plan.billIds,
          ms,
          { plan: { planId: plan.planId, revision: rev.revision }, authority: plan.authorityNotified },
        );
        this.event('supply-to-restore', ms, { planId: plan.planId });
      }
    }
  }

  cancelPlan(
    plan: DisconnectionPlan,
    ms: number,
    reason: CancellationReason,
    opts: { by?: string; note?: string; newDisconnectAt?: string } = {},
  ) {
    const at = shanghaiInstant(ms);
    const rev = currentRevision(plan);
    const cancelledSteps: CancelledStep[] = [];
    let confirmationWarningIds: string[] = [];
    if (rev !== undefined) {
      if (rev.noticeSentAt === undefined) {
        cancelledSteps.push({
          stepId: stepId(plan.planId, rev.revision, 'disconnection-notice'),
          step: 'disconnection-notice',
          scheduledAt: rev.noticeAt,
        });
      }
      if (rev.reminderSentAt === undefined) {
        cancelledSteps.push({
          stepId: stepId(plan.planId, rev.revision, 'final-reminder'),
          step: 'final-reminder',
          scheduledAt: rev.reminderAt,
        });
        if (rev.noticeSentAt !== undefined) {
          this.out.remindersToCancel.push({
            scheduleName: reminderScheduleName(plan.planId, rev.revision),
            planId: plan.planId,
            revision: rev.revision,
            at: rev.reminderAt,
          });
        }
      }
      rev.ended = { at, reason };
      // The customer (and the authority) hear of the cancellation if they heard of the plan.
      const notified = rev.noticeSentAt !== undefined;
      const confirmation = this.send(
        this.model('disconnection-cancelled', plan.billIds, ms, {
          disconnectAt: rev.disconnectAt,
          cancellation: {
            reason,
            ...(opts.newDisconnectAt === undefined ? {} : { newDisconnectAt: opts.newDisconnectAt }),
            ...(opts.note === undefined ? {} : { note: opts.note }),
          },
        }),
        `${plan.planId}#r${rev.revision}`,
        plan.billIds,
        ms,
        {
          plan: { planId: plan.planId, revision: rev.revision },
          customers: notified,
          authority: notified && plan.authorityNotified,
        },
      );
      confirmationWarningIds = confirmation.map((w) => w.warningId);
    }
    if (reason !== 'deferred') {
      plan.status = 'cancelled';
      plan.endedAt = at;
      plan.endReason = reason;
    }
    this.out.cancellations.push({
      planId: plan.planId,
      accountId: plan.accountId,
      revision: rev?.revision ?? null,
      at,
      reason,
      ...(opts.by === undefined ? {} : { by: opts.by }),
      ...(opts.note === undefined ? {} : { note: opts.note }),
      ...(rev === undefined ? {} : { disconnectAt: rev.disconnectAt }),
      cancelledSteps,
      pendingWarningIds: rev?.noticeWarningIds ?? [],
      confirmationWarningIds,
    });
    this.event('plan-cancelled', ms, { planId: plan.planId, detail: reason });
  }

  // ---- Plan times and notices.

  /** Gives the plan times from `ms` on and sends its notice if that is now. */
  schedule(plan: DisconnectionPlan, ms: number) {
    const times = planDisconnectionTimes(ms, this.policy);
    plan.revisions.push({ revision: plan.revisions.length + 1, ...times });
    plan.status = 'notice-pending';
    if (instantMs(times.noticeAt) <= ms) this.sendNotice(plan, ms);
    else this.event('notice-scheduled', ms, { planId: plan.planId, detail: times.noticeAt });
  }

  sendNotice(plan: DisconnectionPlan, ms: number) {
    const rev = currentRevision(plan)!;
    const { min, max } = this.policy.disconnection.noticeLeadDays;
    const lead = instantMs(rev.disconnectAt) - ms;
    if (lead < min * DAY_MS || lead > max * DAY_MS) {
      // The notice is late (a missed run) or early: nobody has been told yet, so the times move.
      const times = planDisconnectionTimes(ms, this.policy);
      Object.assign(rev, times);
      if (instantMs(times.noticeAt) > ms) {
        this.event('notice-scheduled', ms, { planId: plan.planId, detail: times.noticeAt });
        return;
      }
    }
    const warnings = this.send(
      this.model('disconnection-notice', plan.billIds, ms, { disconnectAt: rev.disconnectAt }),
      `${plan.planId}#r${rev.revision}`,
      plan.billIds,
      ms,
      { plan: { planId: plan.planId, revision: rev.revision }, authority: plan.authorityNotified },
    );
    rev.noticeSentAt = shanghaiInstant(ms);
    rev.noticeWarningIds = warnings.map((w) => w.warningId);
    plan.status = 'notified';
    this.out.remindersToSchedule.push({
      scheduleName: reminderScheduleName(plan.planId, rev.revision),
      planId: plan.planId,
      revision: rev.revision,
      at: rev.reminderAt,
    });
    for (const billId of plan.billIds) {
      if (this.open([billId], ms).lte(0)) continue;
      const last = this.progress(billId).reached.at(-1);
      if (last?.level === 'disconnection-notice' && last.planId === plan.planId) continue;
      this.reach(billId, 'disconnection-notice', ms, plan.planId);
    }
  }

  passDisconnectionTimes(ms: number) {
    for (const plan of this.state.plans) {
      if (plan.status !== 'notified' && plan.status !== 'reminded') continue;
      const rev = currentRevision(plan)!;
      if (instantMs(rev.disconnectAt) > ms) continue;
      if (plan.status === 'reminded') {
        plan.status = 'disconnect-due';
        plan.disconnectDueAt = rev.disconnectAt;
        this.event('disconnect-due', ms, { planId: plan.planId, detail: rev.disconnectAt });
      } else {
        // Without the final reminder supply may not be cut (Art. 67): the plan lapses, the next scan re-plans.
        plan.status = 'lapsed';
        plan.endedAt = shanghaiInstant(ms);
        plan.endReason = 'lapsed';
        rev.ended = { at: shanghaiInstant(ms), reason: 'lapsed' };
        this.event('plan-lapsed', ms, { planId: plan.planId, detail: 'final reminder not sent' });
      }
    }
  }

  // ---- The daily ladder.

  nextLevel(bill: LedgerBill, progress: BillProgress, today: string): WarningLevel | null {
    const ladder = this.policy.ladder;
    const overdue = daysBetween(bill.dueDate, today);
    const last = progress.reached.at(-1);
    if (last?.on === today) return null;
    switch (last?.level) {
      case undefined:
        if (overdue <= 0) {
          const r = ladder.reminderDaysBeforeDue;
          return r !== null && overdue >= -r ? 'reminder' : null;
        }
        return overdue >= ladder.overdueNoticeDaysAfterDue ? 'overdue-notice' : null;
      case 'reminder':
        return overdue >= ladder.overdueNoticeDaysAfterDue ? 'overdue-notice' : null;
      case 'overdue-notice':
        return overdue >= ladder.paymentDemandDaysAfterDue ? 'payment-demand' : null;
      case 'payment-demand':
      case 'disconnection-notice': {
        const demand = progress.reached.findLast((r) => r.level === 'payment-demand');
        const eligible =
          overdue >= ladder.disconnectionNoticeDaysAfterDue &&
          // The legal floor (条例 Art. 39), whatever a policy says.
          overdue > 30 &&
          demand !== undefined &&
          daysBetween(demand.on, today) >= ladder.minDaysFromDemandToDisconnectionNotice &&
          !this.isExempt(bill.billId, today);
        return eligible ? 'disconnection-notice' : null;
      }
    }
  }

  ladder(today: string, ms: number) {
    const eligible: string[] = [];
    // A disconnected account (disconnect-due) waits for payment: no second plan while one stands.
    const active = this.state.plans.find(
      (p) => ACTIVE_PLAN_STATUSES.includes(p.status) || p.status === 'disconnect-due',
    );
    for (const bill of this.ledger.bills) {
      if (bill.issuedOn !== undefined && bill.issuedOn > today) continue;
      if (this.open([bill.billId], ms).lte(0)) continue;
      const progress = this.progress(bill.billId);
      const next = this.nextLevel(bill, progress, today);
      if (next === null) continue;
      if (next === 'disconnection-notice') {
        if (active?.billIds.includes(bill.billId)) continue;
        eligible.push(bill.billId);
        continue;
      }
      const extra: Partial<ArrearsMessageModel> =
        next === 'payment-demand'
          ? {
              disconnectionNoticeFrom: [
                addDays(bill.dueDate, this.policy.ladder.disconnectionNoticeDaysAfterDue),
                addDays(today, this.policy.ladder.minDaysFromDemandToDisconnectionNotice),
              ].sort()[1]!,
            }
          : {};
      this.send(this.model(next, [bill.billId], ms, extra), bill.billId, [bill.billId], ms);
      this.reach(bill.billId, next, ms);
    }
    if (eligible.length === 0) return;
    if (active !== undefined) {
      // Bills join a plan nobody has been told of yet; otherwise they wait for the plan to end.
      if (active.status === 'awaiting-approval' || active.status === 'notice-pending') {
        active.billIds.push(...eligible.filter((id) => !active.billIds.includes(id)));
      }
      return;
    }
    const approvalRequired =
      this.policy.disconnection.approvalRequiredFor === 'all' || this.account.important;
    const plan: DisconnectionPlan = {
      planId: `${this.account.accountId}#DP${this.state.plans.length + 1}`,
      accountId: this.account.accountId,
      billIds: eligible,
      createdAt: shanghaiInstant(ms),
      status: approvalRequired ? 'awaiting-approval' : 'notice-pending',
      approvalRequired,
      authorityNotified: this.account.important,
      revisions: [],
    };
    this.state.plans.push(plan);
    this.event('plan-created', ms, { planId: plan.planId, detail: eligible.join(' ') });
    if (approvalRequired) this.event('approval-required', ms, { planId: plan.planId });
    else this.schedule(plan, ms);
  }

  sendDueNotices(ms: number) {
    for (const plan of this.state.plans) {
      if (plan.status !== 'notice-pending') continue;
      const rev = currentRevision(plan);
      if (rev === undefined) this.schedule(plan, ms);
      else if (instantMs(rev.noticeAt) <= ms) this.sendNotice(plan, ms);
    }
  }

  findPlan(planId: string | undefined, accept: (p: DisconnectionPlan) => boolean): DisconnectionPlan {
    const plan =
      planId === undefined ? activePlan(this.state) : this.state.plans.find((p) => p.planId === planId);
    if (plan === undefined) {
      throw new ArrearsCommandError(
        'no-such-plan',
        planId === undefined
          ? `account ${this.account.accountId} has no active disconnection plan`
          : `no disconnection plan ${planId}`,
      );
    }
    if (!accept(plan)) {
      throw new ArrearsCommandError('plan-not-active', `plan ${plan.planId} is ${plan.status}`);
    }
    return plan;
  }
}

/** The daily scan for one account, run at the policy's scan time on `today` (an Asia/Shanghai day). */
export function scanAccount(snapshot: ArrearsSnapshot, today: string, policy: ArrearsPolicy): ArrearsOutcome {
  const run = new Run(snapshot, policy);
  const ms = scanMsOn(today, policy);
  run.settleCleared(ms);
  run.passDisconnectionTimes(ms);
  run.sendDueNotices(ms);
  run.ladder(today, ms);
  return run.outcome();
}

/**
 * After payments were recorded (at `at`): a plan whose bills are all cleared is cancelled with its
 * pending notice and reminder, and confirmed; a disconnected account is confirmed for restoration.
 * Nothing escalates here; a partial payment just lowers the amounts the next warning states.
 */
export function recordPayments(snapshot: ArrearsSnapshot, at: string, policy: ArrearsPolicy): ArrearsOutcome {
  const run = new Run(snapshot, policy);
  run.settleCleared(instantMs(at));
  return run.outcome();
}

/** The one-time schedule of a plan revision fired (30 minutes before the disconnection). */
export function fireFinalReminder(
  snapshot: ArrearsSnapshot,
  target: { planId: string; revision: number },
  at: string,
  policy: ArrearsPolicy,
): ArrearsOutcome {
  const run = new Run(snapshot, policy);
  const ms = instantMs(at);
  run.settleCleared(ms);
  const plan = run.state.plans.find((p) => p.planId === target.planId);
  const rev = plan === undefined ? undefined : currentRevision(plan);
  if (
    plan === undefined ||
    rev === undefined ||
    plan.status !== 'notified' ||
    rev.revision !== target.revision ||
    rev.reminderSentAt !== undefined ||
    instantMs(rev.disconnectAt) <= ms
  ) {
    run.event('stale-reminder-ignored', ms, { planId: target.planId, detail: `revision ${target.revision}` });
    return run.outcome();
  }
  run.send(
    run.model('disconnection-reminder', plan.billIds, ms, { disconnectAt: rev.disconnectAt }),
    `${plan.planId}#r${rev.revision}`,
    plan.billIds,
    ms,
    { plan: { planId: plan.planId, revision: rev.revision }, authority: false },
  );
  rev.reminderSentAt = shanghaiInstant(ms);
  plan.status = 'reminded';
  run.event('final-reminder-sent', ms, { planId: plan.planId });
  return run.outcome();
}

/** The disconnection time of a plan passed: with the final reminder sent supply may be cut; else it lapses. */
export function reachDisconnectionTime(
  snapshot: ArrearsSnapshot,
  at: string,
  policy: ArrearsPolicy,
): ArrearsOutcome {
  const run = new Run(snapshot, policy);
  const ms = instantMs(at);
  run.settleCleared(ms);
  run.passDisconnectionTimes(ms);
  return run.outcome();
}

/** An operator's approval, deferral or exemption, applied at the command's instant. */
export function applyArrearsCommand(
  snapshot: ArrearsSnapshot,
  command: ArrearsOperatorCommand,
  policy: ArrearsPolicy,
): ArrearsOutcome {
  const run = new Run(snapshot, policy);
  const ms = instantMs(command.at);
  const at = shanghaiInstant(ms);
  run.settleCleared(ms);
  switch (command.command) {
    case 'approve': {
      const plan = run.findPlan(command.planId, (p) => p.status === 'awaiting-approval');
      plan.approval = { by: command.by, at, ...(command.note === undefined ? {} : { note: command.note }) };
      run.event('plan-approved', ms, { planId: plan.planId, detail: command.by });
      run.schedule(plan, ms);
      break;
    }
    case 'defer': {
      const plan = run.findPlan(command.planId, (p) =>
        ['notice-pending', 'notified', 'reminded'].includes(p.status),
      );
      // Re-announcing the same (or an earlier) time is not a deferral: it would send the customer a
      // second notice for nothing, or shorten the notice they were given.
      const current = currentRevision(plan)!;
      if (command.newDate <= current.disconnectAt.slice(0, 10)) {
        throw new ArrearsCommandError(
          'bad-date',
          `${command.newDate} is not after the planned disconnection at ${current.disconnectAt}`,
        );
      }
      const times = disconnectionTimesOn(command.newDate, ms, policy);
      if (times === 'not-a-working-day' || times === 'too-soon') {
        throw new ArrearsCommandError(
          'bad-date',
          times === 'too-soon'
            ? `${command.newDate} leaves less than ${policy.disconnection.noticeLeadDays.min} days' notice`
            : `${command.newDate} is not a working day`,
        );
      }
      run.cancelPlan(plan, ms, 'deferred', {
        by: command.by,
        note: command.reason,
        newDisconnectAt: times.disconnectAt,
      });
      plan.revisions.push({ revision: plan.revisions.length + 1, ...times });
      plan.status = 'notice-pending';
      run.event('plan-deferred', ms, { planId: plan.planId, detail: times.disconnectAt });
      if (instantMs(times.noticeAt) <= ms) run.sendNotice(plan, ms);
      else run.event('notice-scheduled', ms, { planId: plan.planId, detail: times.noticeAt });
      break;
    }
    case 'exempt': {
      const plan = run.findPlan(command.planId, (p) => ACTIVE_PLAN_STATUSES.includes(p.status));
      run.cancelPlan(plan, ms, 'exempted', { by: command.by, note: command.reason });
      for (const billId of plan.billIds) {
        run.state.exemptions.push({
          billId,
          planId: plan.planId,
          by: command.by,
          reason: command.reason,
          at,
          ...(command.until === undefined ? {} : { until: command.until }),
        });
      }
      break;
    }
  }
  return run.outcome();
}

/**
 * For a sender about to send a queued warning: false when its bills have been cleared since it was
 * planned (a confirmation is always still valid).
 */
export function isWarningStillDue(ledger: AccountLedger, warning: ArrearsWarning, at: string): boolean {
  if (warning.kind === 'disconnection-cancelled' || warning.kind === 'supply-restoration') return true;
  const ms = instantMs(at);
  return warning.billIds.some(
    (id) => ledger.bills.some((b) => b.billId === id) && dec(openBalanceAt(ledger, id, ms)).gt(0),
  );
}
