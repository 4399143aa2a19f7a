import { DAY_MS, instantMs, shanghaiInstant } from '../../calendar/index.ts';
import type { CancellationReason } from '../messages.ts';
import type { ArrearsRun } from '../run.ts';
import type { AccountArrearsState } from '../state.ts';
import { planDisconnectionTimes, reminderScheduleName } from './timetable.ts';

/*
 * The disconnection plan of one account (billing-rules.md §8, 供电营业规则 Art. 67), as a state machine.
 *
 * Per account, at most one disconnection plan is active. It is created when a bill is more than 30 days
 * overdue and its demand went out at least `minDaysFromDemandToDisconnectionNotice` days before; it waits
 * in `awaiting-approval` for an important customer (or every customer, by policy) until a manager approves
 * it; its notice goes out 3–7 days before a disconnection in working hours, and a one-time final reminder
 * exactly 30 minutes before it. Clearing the plan's bills, or an operator's deferral or exemption, cancels
 * what is still pending and confirms it in writing.
 *
 * States (ACTIVE_PLAN_STATUSES can still send something):
 *   awaiting-approval → (approved) notice-pending → (notice sent) notified → (final reminder) reminded
 *     → (disconnection time) disconnect-due → (arrears cleared) restored
 *   notified → (disconnection time without the final reminder) lapsed
 *   any active status → (arrears cleared, exempted) cancelled
 *   notice-pending, notified, reminded → (deferred) notice-pending, in the plan's next revision
 */

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
    if (active.status === 'awaiting-approval' || active.status === 'notice-pending') {
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
    status: approvalRequired ? 'awaiting-approval' : 'notice-pending',
    approvalRequired,
    authorityNotified: run.account.important,
    revisions: [],
  };
  run.state.plans.push(plan);
  run.event('plan-created', ms, { planId: plan.planId, detail: eligible.join(' ') });
  if (approvalRequired) run.event('approval-required', ms, { planId: plan.planId });
  else schedulePlan(run, plan, ms);
}

/** Gives the plan times from `ms` on and sends its notice if that is now. */
export function schedulePlan(run: ArrearsRun, plan: DisconnectionPlan, ms: number) {
  const times = planDisconnectionTimes(ms, run.policy);
  plan.revisions.push({ revision: plan.revisions.length + 1, ...times });
  plan.status = 'notice-pending';
  if (instantMs(times.noticeAt) <= ms) sendNotice(run, plan, ms);
  else run.event('notice-scheduled', ms, { planId: plan.planId, detail: times.noticeAt });
}

export function sendNotice(run: ArrearsRun, plan: DisconnectionPlan, ms: number) {
  const rev = currentRevision(plan)!;
  const { min, max } = run.policy.disconnection.noticeLeadDays;
  const lead = instantMs(rev.disconnectAt) - ms;
  if (lead < min * DAY_MS || lead > max * DAY_MS) {
    // The notice is late (a missed run) or early: nobody has been told yet, so the times move.
    const times = planDisconnectionTimes(ms, run.policy);
    Object.assign(rev, times);
    if (instantMs(times.noticeAt) > ms) {
      run.event('notice-scheduled', ms, { planId: plan.planId, detail: times.noticeAt });
      return;
    }
  }
  const warnings = run.send(
    run.model('disconnection-notice', plan.billIds, ms, { disconnectAt: rev.disconnectAt }),
    `${plan.planId}#r${rev.revision}`,
    plan.billIds,
    ms,
    { plan: { planId: plan.planId, revision: rev.revision }, authority: plan.authorityNotified },
  );
  rev.noticeSentAt = shanghaiInstant(ms);
  rev.noticeWarningIds = warnings.map((w) => w.warningId);
  plan.status = 'notified';
  run.out.remindersToSchedule.push({
    scheduleName: reminderScheduleName(plan.planId, rev.revision),
    planId: plan.planId,
    revision: rev.revision,
    at: rev.reminderAt,
  });
  for (const billId of plan.billIds) {
    if (run.open([billId], ms).lte(0)) continue;
    const last = run.progress(billId).reached.at(-1);
    if (last?.level === 'disconnection-notice' && last.planId === plan.planId) continue;
    run.reach(billId, 'disconnection-notice', ms, plan.planId);
  }
}

/** Plans waiting for their notice: times for an approved plan, the notice when its time has come. */
export function sendDueNotices(run: ArrearsRun, ms: number) {
  for (const plan of run.state.plans) {
    if (plan.status !== 'notice-pending') continue;
    const rev = currentRevision(plan);
    if (rev === undefined) schedulePlan(run, plan, ms);
    else if (instantMs(rev.noticeAt) <= ms) sendNotice(run, plan, ms);
  }
}
