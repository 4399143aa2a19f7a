import { instantMs, shanghaiInstant } from '../../calendar/index.ts';
import type { CancellationReason } from '../messages.ts';
import type { ArrearsPolicy } from '../policy.ts';
import { ArrearsRun } from '../run.ts';
import type { ArrearsOutcome, ArrearsSnapshot } from '../state.ts';
import { ACTIVE_PLAN_STATUSES, currentRevision, type DisconnectionPlan } from './plan.ts';
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

/** Clearing: cancel what is pending, confirm, restore. */
export function settleCleared(run: ArrearsRun, ms: number) {
  for (const plan of run.state.plans) {
    if (ACTIVE_PLAN_STATUSES.includes(plan.status) && run.open(plan.billIds, ms).lte(0)) {
      cancelPlan(run, plan, ms, 'paid');
    } else if (plan.status === 'disconnect-due' && run.open(plan.billIds, ms).lte(0)) {
      plan.status = 'restored';
      plan.endedAt = shanghaiInstant(ms);
      plan.endReason = 'restored';
      const rev = currentRevision(plan)!;
      run.send(
        run.model('supply-restoration', plan.billIds, ms, {
          disconnectAt: rev.disconnectAt,
          restoreWithinDays: run.policy.disconnection.restoreWithinDays,
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
    plan.status = 'cancelled';
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
 * After payments were recorded (at `at`): a plan whose bills are all cleared is cancelled with its
 * pending notice and reminder, and confirmed; a disconnected account is confirmed for restoration.
 * Nothing escalates here; a partial payment just lowers the amounts the next warning states.
 */
export function recordPayments(snapshot: ArrearsSnapshot, at: string, policy: ArrearsPolicy): ArrearsOutcome {
  const run = new ArrearsRun(snapshot, policy);
  settleCleared(run, instantMs(at));
  return run.outcome();
}
