import type { Account } from '../account.ts';
import type { RecipientKeyOf } from '../recipient-key.ts';
import type { PreApproval } from './disconnection/approval.ts';
import type { PlanCancellation } from './disconnection/cancellation.ts';
import type { DisconnectionPlan, Exemption } from './disconnection/plan.ts';
import type { ReminderSchedule } from './disconnection/timetable.ts';
import type { ArrearsWarning, WarningLevel } from './evidence.ts';
import type { AccountLedger, PenaltyWaiver } from './ledger/index.ts';

/*
 * What the arrears domain remembers about one account between runs, what one run reads, and what it
 * returns: the next state, the warnings to send, the one-time reminders to schedule or cancel, the
 * cancellations to confirm and the events to log.
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

/** Everything the ladder remembers about one account between runs (store it as one item). */
export interface AccountArrearsState {
  accountId: string;
  bills: BillProgress[];
  plans: DisconnectionPlan[];
  exemptions: Exemption[];
  /** Approvals given before their plan existed (they name the bills). */
  preApprovals: PreApproval[];
  /** Operators' penalty waivers, each with its reason (the ledger writes the penalty off from `at`). */
  penaltyWaivers: PenaltyWaiver[];
}

export const emptyArrearsState = (accountId: string): AccountArrearsState => ({
  accountId,
  bills: [],
  plans: [],
  exemptions: [],
  preApprovals: [],
  penaltyWaivers: [],
});

/**
 * What one run needs: the account, its ledger (bills and payments), the stored state, and the recipient
 * keys its warnings are named with (keyed by a secret the caller holds).
 */
export interface ArrearsSnapshot {
  account: Account;
  ledger: AccountLedger;
  state: AccountArrearsState;
  recipientKeyOf: RecipientKeyOf;
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
  | 'stale-reminder-ignored'
  | 'delivery-check-passed'
  | 'approval-requested'
  | 'approval-reminded'
  | 'approval-expired'
  | 'pre-approval-recorded'
  | 'calendar-gap'
  | 'delivery-recorded'
  | 'delivery-ignored'
  | 'delivery-escalated'
  | 'plan-moved'
  | 'penalty-outstanding'
  | 'penalty-waived'
  | 'below-minimum';

export interface ArrearsEvent {
  type: ArrearsEventType;
  accountId: string;
  at: string;
  planId?: string;
  billId?: string;
  level?: WarningLevel;
  detail?: string;
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

/** A deep copy of the plain-data state (faster than structuredClone on the scan's hot path). */
export function cloneState(s: AccountArrearsState): AccountArrearsState {
  return {
    accountId: s.accountId,
    bills: s.bills.map((b) => ({ billId: b.billId, reached: b.reached.map((r) => ({ ...r })) })),
    plans: s.plans.map((p) => ({
      ...p,
      billIds: [...p.billIds],
      ...(p.approval === undefined ? {} : { approval: { ...p.approval } }),
      ...(p.approver === undefined ? {} : { approver: { ...p.approver } }),
      ...(p.approvalRequestedAt === undefined ? {} : { approvalRequestedAt: [...p.approvalRequestedAt] }),
      ...(p.history === undefined ? {} : { history: p.history.map((h) => ({ ...h })) }),
      revisions: p.revisions.map((r) => ({
        ...r,
        ...(r.noticeWarningIds === undefined ? {} : { noticeWarningIds: [...r.noticeWarningIds] }),
        ...(r.deliveries === undefined ? {} : { deliveries: r.deliveries.map((d) => ({ ...d })) }),
        ...(r.ended === undefined ? {} : { ended: { ...r.ended } }),
      })),
    })),
    exemptions: s.exemptions.map((e) => ({ ...e })),
    // A state stored before these fields existed has none.
    preApprovals: (s.preApprovals ?? []).map((p) => ({ ...p, billIds: [...p.billIds] })),
    penaltyWaivers: (s.penaltyWaivers ?? []).map((w) => ({
      ...w,
      ...(w.billIds === undefined ? {} : { billIds: [...w.billIds] }),
    })),
  };
}
