import { DAY_MS, instantMs, shanghaiInstant } from '../../calendar/index.ts';
import type { CancellationReason } from '../messages.ts';
import type { ArrearsRun } from '../run.ts';
import type { AccountArrearsState } from '../state.ts';
import { requestApproval, takePreApproval } from './approval.ts';
import type { NoticeDelivery } from './delivery-model.ts';
import {
  type DisconnectionTimes,
  deliveryCheckSchedule,
  isCalendarGap,
  minimumLeadMs,
  planDisconnectionTimes,
  reminderScheduleName,
} from './timetable.ts';

/*
 * The disconnection plan of one account (billing-rules.md §8, 供电营业规则 Art. 67), as a state machine.
 *
 * Per account, at most one disconnection plan is active. It is created when a bill is more than 30 days
 * overdue, its demand went out at least `minDaysFromDemandToDisconnectionNotice` days before and the
 * arrears reach the policy minimum; it waits in `awaiting-approval` until the responsible manager
 * approves it (every plan, by default; ./approval.ts); its notice goes out 3–7 days before a
 * disconnection in working hours on a working day of the official calendar, at least the minimum lead
 * plus margin after the notice's delivery (./delivery.ts), and a one-time final reminder exactly 30
 * minutes before it. Clearing the plan's bills (charges and penalty), or an operator's deferral or
 * exemption, cancels what is still pending and confirms it in writing.
 *
 * States (ACTIVE_PLAN_STATUSES can still send something):
 *   awaiting-approval → (approved) notice-pending → (notice sent) notified → (final reminder) reminded
 *     → (disconnection time) disconnect-due → (arrears cleared) restored
 *   notice-pending → (no day the official calendar covers) awaiting-calendar → (covered) notice-pending
 *   notified → (late or no delivery) notified, in the plan's next revision (a new notice)
 *   notified → (disconnection time without the final reminder or a delivery) lapsed
 *   any active status → (arrears cleared, exempted) cancelled
 *   notice-pending, notified, reminded → (deferred) notice-pending, in the plan's next revision
 */

export type PlanStatus =
  | 'awaiting-approval'
  | 'awaiting-calendar'
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
  'awaiting-calendar',
  'notice-pending',
  'notified',
  'reminded',
];

export type RevisionEndReason = CancellationReason | 'lapsed' | 'late-delivery' | 'no-delivery';

/** One set of times of a plan; a deferral or a move after delivery ends a revision and starts the next. */
export interface PlanRevision {
  revision: number;
  noticeAt: string;
  disconnectAt: string;
  reminderAt: string;
  noticeSentAt?: string;
  reminderSentAt?: string;
  /** Ids of the notice warnings, so that queued copies can be dropped on cancellation. */
  noticeWarningIds?: string[];
  /** Every delivery outcome recorded for this revision's notice, per channel. */
  deliveries?: NoticeDelivery[];
  /** The delivery the lead counts from (the earliest delivered one; inherited by a move after it). */
  countedFrom?: NoticeDelivery;
  /** When the missing delivery was escalated to the account manager. */
  escalatedAt?: string;
  /**
   * The operator who confirmed that this revision's day, beyond the official calendar's coverage, is a
   * working day: the day was not checked against the official calendar (billing-rules.md §8).
   */
  workingDayConfirmedBy?: string;
  ended?: { at: string; reason: RevisionEndReason };
}

/** One change of a plan's status, for its evidence. */
export interface PlanStateChange {
  at: string;
  status: PlanStatus;
  detail?: string;
}

export interface DisconnectionPlan {
  planId: string;
  accountId: string;
  billIds: string[];
  createdAt: string;
  status: PlanStatus;
  approvalRequired: boolean;
  /** Who was asked to approve, and when (the first request and each reminder). */
  approver?: { name: string; email: string };
  approvalRequestedAt?: string[];
  approval?: { by: string; at: string; note?: string; preApproved?: boolean };
  /** Important customer: the notice and its confirmations also go to the authority. */
  authorityNotified: boolean;
  /** Empty while awaiting approval. */
  revisions: PlanRevision[];
  history?: PlanStateChange[];
  endedAt?: string;
  endReason?: 'paid' | 'exempted' | 'lapsed' | 'restored';
  disconnectDueAt?: string;
  /** Restoration: when the arrears were cleared and the time by which supply returns. */
  clearedAt?: string;
  restoreBy?: string;
}

/** An operator's exemption of a plan's bills from disconnection. */
export interface Exemption {
  billId: string;
  planId: string;
  by: string;
  reason: string;
  at: string;
  /** Last exempt day; absent: for good. */
  until?: string;
}

export const activePlan = (state: AccountArrearsState): DisconnectionPlan | undefined =>
  state.plans.find((p) => ACTIVE_PLAN_STATUSES.includes(p.status));

export const currentRevision = (plan: DisconnectionPlan): PlanRevision | undefined => plan.revisions.at(-1);

/** Moves a plan to a status and records the change in its history. */
export function setStatus(plan: DisconnectionPlan, status: PlanStatus, ms: number, detail?: string) {
  plan.status = status;
  plan.history ??= [];
  plan.history.push({
    at: shanghaiInstant(ms),
    status,
    ...(detail === undefined ? {} : { detail }),
  });
}

/**
 * Bills the ladder found eligible for a disconnection notice: they join a plan nobody has been told of
 * yet, wait for a standing plan to end, or start a new plan (awaiting approval when the policy says so).
 */
export function planDisconnection(
  run: ArrearsRun,
  eligible: string[],
  active: DisconnectionPlan | undefined,
  ms: number,
) {
  if (active !== undefined) {
    // Bills join a plan nobody has been told of yet; otherwise they wait for the plan to end.
    if (['awaiting-approval', 'awaiting-calendar', 'notice-pending'].includes(active.status)) {
      active.billIds.push(...eligible.filter((id) => !active.billIds.includes(id)));
    }
    return;
  }
  const approvalRequired = run.policy.disconnection.approvalRequiredFor === 'all' || run.account.important;
  const plan: DisconnectionPlan = {
    planId: `${run.account.accountId}#DP${run.state.plans.length + 1}`,
    accountId: run.account.accountId,
    billIds: eligible,
    createdAt: shanghaiInstant(ms),
    status: 'notice-pending',
    approvalRequired,
    authorityNotified: run.account.important,
    revisions: [],
    history: [],
  };
  run.state.plans.push(plan);
  run.event('plan-created', ms, { planId: plan.planId, detail: eligible.join(' ') });
  if (!approvalRequired) {
    schedulePlan(run, plan, ms);
    return;
  }
  const pre = takePreApproval(run, plan, ms);
  if (pre !== undefined) {
    plan.approval = {
      by: pre.by,
      at: pre.at,
      preApproved: true,
      ...(pre.note === undefined ? {} : { note: pre.note }),
    };
    run.event('plan-approved', ms, { planId: plan.planId, detail: `${pre.by} (in advance)` });
    schedulePlan(run, plan, ms);
    return;
  }
  setStatus(plan, 'awaiting-approval', ms);
  run.event('approval-required', ms, { planId: plan.planId });
  requestApproval(run, plan, ms, 'approval-request');
}

/** Puts a new revision with `times` on the plan, or parks it when the calendar does not cover the day. */
export function reviseTimes(
  run: ArrearsRun,
  plan: DisconnectionPlan,
  ms: number,
  times: DisconnectionTimes | ReturnType<typeof planDisconnectionTimes>,
  extra: Partial<PlanRevision> = {},
): boolean {
  if (isCalendarGap(times)) {
    if (plan.status !== 'awaiting-calendar') {
      setStatus(plan, 'awaiting-calendar', ms, `the official calendar does not cover ${times.date}`);
      run.event('calendar-gap', ms, { planId: plan.planId, detail: times.date });
    }
    return false;
  }
  plan.revisions.push({ revision: plan.revisions.length + 1, ...times, ...extra });
  setStatus(plan, 'notice-pending', ms);
  return true;
}

/** Gives the plan times from `ms` on and sends its notice if that is now. */
export function schedulePlan(run: ArrearsRun, plan: DisconnectionPlan, ms: number) {
  if (!reviseTimes(run, plan, ms, planDisconnectionTimes(ms, run.policy))) return;
  const rev = currentRevision(plan)!;
  if (instantMs(rev.noticeAt) <= ms) sendNotice(run, plan, ms);
  else run.event('notice-scheduled', ms, { planId: plan.planId, detail: rev.noticeAt });
}

export function sendNotice(run: ArrearsRun, plan: DisconnectionPlan, ms: number) {
  const rev = currentRevision(plan)!;
  const { max } = run.policy.disconnection.noticeLeadDays;
  const lead = instantMs(rev.disconnectAt) - ms;
  if (rev.countedFrom === undefined && (lead < minimumLeadMs(run.policy) || lead > max * DAY_MS)) {
    // The notice is late (a missed run) or early: nobody has been told yet, so the times move.
    const times = planDisconnectionTimes(ms, run.policy);
    if (isCalendarGap(times)) {
      plan.revisions.pop();
      reviseTimes(run, plan, ms, times);
      return;
    }
    Object.assign(rev, times);
    if (instantMs(times.noticeAt) > ms) {
      run.event('notice-scheduled', ms, { planId: plan.planId, detail: times.noticeAt });
      return;
    }
  }
  const warnings = run.send(
    run.model('disconnection-notice', plan.billIds, ms, {
      disconnectAt: rev.disconnectAt,
      ...(rev.revision > 1 ? { rescheduled: true } : {}),
    }),
    `${plan.planId}#r${rev.revision}`,
    plan.billIds,
    ms,
    { plan: { planId: plan.planId, revision: rev.revision }, authority: plan.authorityNotified },
  );
  rev.noticeSentAt = shanghaiInstant(ms);
  rev.noticeWarningIds = warnings.map((w) => w.warningId);
  setStatus(plan, 'notified', ms, `disconnection at ${rev.disconnectAt}`);
  run.out.remindersToSchedule.push({
    scheduleName: reminderScheduleName(plan.planId, rev.revision),
    planId: plan.planId,
    revision: rev.revision,
    at: rev.reminderAt,
  });
  // A notice that must still reach the customer is checked at the end of the delivery window.
  if (rev.countedFrom === undefined) {
    run.out.remindersToSchedule.push(
      deliveryCheckSchedule(plan.planId, rev.revision, rev.noticeSentAt, run.policy),
    );
  }
  for (const billId of plan.billIds) {
    if (run.cleared([billId], ms)) continue;
    const last = run.progress(billId).reached.at(-1);
    if (last?.level === 'disconnection-notice' && last.planId === plan.planId) continue;
    run.reach(billId, 'disconnection-notice', ms, plan.planId);
  }
}

/** A revision whose notice is out and still waits for its first delivery (its delivery check pending). */
export const awaitsDelivery = (rev: PlanRevision): boolean =>
  rev.noticeSentAt !== undefined && rev.countedFrom === undefined && rev.escalatedAt === undefined;

/** The revision no longer needs its delivery check (delivered, moved or cancelled): drop its schedule. */
export function cancelDeliveryCheck(run: ArrearsRun, plan: DisconnectionPlan, rev: PlanRevision) {
  if (!awaitsDelivery(rev)) return;
  run.out.remindersToCancel.push(
    deliveryCheckSchedule(plan.planId, rev.revision, rev.noticeSentAt!, run.policy),
  );
}

/** Plans waiting for their notice: times for an approved plan, the notice when its time has come. */
export function sendDueNotices(run: ArrearsRun, ms: number) {
  for (const plan of run.state.plans) {
    if (plan.status === 'awaiting-calendar') {
      if (
        plan.revisions.length === 0 ||
        currentRevision(plan)!.ended !== undefined ||
        currentRevision(plan)!.noticeSentAt !== undefined
      ) {
        schedulePlan(run, plan, ms);
      }
      continue;
    }
    if (plan.status !== 'notice-pending') continue;
    const rev = currentRevision(plan);
    if (rev === undefined) schedulePlan(run, plan, ms);
    else if (instantMs(rev.noticeAt) <= ms) sendNotice(run, plan, ms);
  }
}
