import { addWorkingDays, instantMs, msAt, shanghaiDateOfMs, shanghaiInstant } from '../../calendar/index.ts';
import type { CancellationReason } from '../messages.ts';
import type { ArrearsPolicy } from '../policy.ts';
import { ArrearsRun } from '../run.ts';
import type { ArrearsOutcome, ArrearsSnapshot } from '../state.ts';
import {
  ACTIVE_PLAN_STATUSES,
  cancelDeliveryCheck,
  currentRevision,
  type DisconnectionPlan,
  setStatus,
} from './plan.ts';
import { reminderScheduleName } from './timetable.ts';

/*
 * Cancelling a disconnection (billing-rules.md §8, Art. 69): when the arrears are cleared every pending
 * notice or reminder is cancelled and the cancellation confirmed in writing; a disconnected account that
 * pays is confirmed for restoration. An operator's deferral or exemption cancels the same way.
 */

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

export const stepId = (planId: string, revision: number, step: CancelledStep['step']): string =>
  `${planId}#r${revision}#${step}`;

/**
 * When supply returns after the arrears were cleared at `ms`: by the end of working hours of the
 * policy's `restoreWithinWorkingDays`-th working day after that day (2 for non-residential users).
 */
export function restorationDeadline(ms: number, run: ArrearsRun): string {
  const d = run.policy.disconnection;
  const day = addWorkingDays(shanghaiDateOfMs(ms), d.restoreWithinWorkingDays, d);
  return shanghaiInstant(msAt(day, d.workingHours.end));
}

/** Clearing (charges and penalty): cancel what is pending, confirm, restore. */
/**
 * A plan's one-time schedule fired at `at`: the run at that instant, with arrears cleared by then settled
 * first (a cleared plan does nothing more), and the plan the schedule names.
 */
export function runForFiredSchedule(
  snapshot: ArrearsSnapshot,
  planId: string,
  at: string,
  policy: ArrearsPolicy,
) {
  const run = new ArrearsRun(snapshot, policy);
  const ms = instantMs(at);
  settleCleared(run, ms);
  return { run, ms, plan: run.state.plans.find((p) => p.planId === planId) };
}

export function settleCleared(run: ArrearsRun, ms: number) {
  for (const plan of run.state.plans) {
    if (ACTIVE_PLAN_STATUSES.includes(plan.status) && run.cleared(plan.billIds, ms)) {
      cancelPlan(run, plan, ms, 'paid');
    } else if (plan.status === 'disconnect-due' && run.cleared(plan.billIds, ms)) {
      setStatus(plan, 'restored', ms);
      plan.endedAt = shanghaiInstant(ms);
      plan.endReason = 'restored';
      plan.clearedAt = shanghaiInstant(ms);
      plan.restoreBy = restorationDeadline(ms, run);
      const rev = currentRevision(plan)!;
      run.send(
        run.model('supply-restoration', plan.billIds, ms, {
          disconnectAt: rev.disconnectAt,
          restoreBy: plan.restoreBy,
        }),
        `${plan.planId}#r${rev.revision}`,
        plan.billIds,
        ms,
        { plan: { planId: plan.planId, revision: rev.revision }, authority: plan.authorityNotified },
      );
      run.event('supply-to-restore', ms, { planId: plan.planId });
    }
  }
}

export function cancelPlan(
  run: ArrearsRun,
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
        run.out.remindersToCancel.push({
          scheduleName: reminderScheduleName(plan.planId, rev.revision),
          planId: plan.planId,
          revision: rev.revision,
          at: rev.reminderAt,
        });
      }
    }
    cancelDeliveryCheck(run, plan, rev);
    rev.ended = { at, reason };
    // The customer (and the authority) hear of the cancellation if they heard of the plan.
    const notified = rev.noticeSentAt !== undefined;
    const confirmation = run.send(
      run.model('disconnection-cancelled', plan.billIds, ms, {
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
    setStatus(plan, 'cancelled', ms, reason);
    plan.endedAt = at;
    plan.endReason = reason;
  }
  run.out.cancellations.push({
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
  run.event('plan-cancelled', ms, { planId: plan.planId, detail: reason });
}

/**
 * A plan's charges are paid but not its penalty: the plan stands, and the customer is told what remains
 * (once per payment instant).
 */
function confirmPenaltyOutstanding(run: ArrearsRun, ms: number) {
  for (const plan of run.state.plans) {
    if (!ACTIVE_PLAN_STATUSES.includes(plan.status) && plan.status !== 'disconnect-due') continue;
    if (run.open(plan.billIds, ms).gt(0) || run.penaltyOpen(plan.billIds, ms).lte(0)) continue;
    const rev = currentRevision(plan);
    run.send(
      run.model('penalty-outstanding', plan.billIds, ms, {
        ...(rev?.noticeSentAt === undefined ? {} : { disconnectAt: rev.disconnectAt }),
      }),
      `${plan.planId}#paid#${shanghaiInstant(ms)}`,
      plan.billIds,
      ms,
      { plan: { planId: plan.planId, revision: rev?.revision ?? 0 }, authority: false },
    );
    run.event('penalty-outstanding', ms, {
      planId: plan.planId,
      detail: run.penaltyOpen(plan.billIds, ms).toFixed(2),
    });
  }
}

/**
 * After payments were recorded (at `at`): a plan whose bills are all cleared (charges and penalty) is
 * cancelled with its pending notice and reminder, and confirmed; a disconnected account is confirmed for
 * restoration; a payment that leaves only penalty is confirmed with what remains. Nothing escalates here;
 * a partial payment just lowers the amounts the next warning states.
 */
export function recordPayments(snapshot: ArrearsSnapshot, at: string, policy: ArrearsPolicy): ArrearsOutcome {
  const run = new ArrearsRun(snapshot, policy);
  const ms = instantMs(at);
  settleCleared(run, ms);
  confirmPenaltyOutstanding(run, ms);
  return run.outcome();
}
