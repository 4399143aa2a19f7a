import type { DisconnectionPlan, PlanRevision } from './disconnection/index.ts';
import type { ArrearsWarning } from './evidence.ts';
import type { DisconnectionOutcome, ReplayMessage, ReplayResult } from './replay.ts';
import type { AccountArrearsState } from './state.ts';

/* What a replay reports of an account's plans and of each message it sent (see ./replay.ts). */

function revisionOutcome(plan: DisconnectionPlan, rev: PlanRevision, last: boolean): DisconnectionOutcome {
  return (
    rev.ended?.reason ??
    (last && plan.status === 'restored'
      ? 'restored'
      : last && plan.status === 'disconnect-due'
        ? 'disconnect-due'
        : last && plan.status === 'reminded'
          ? 'reminded'
          : last && plan.status === 'notified'
            ? 'notified'
            : 'notice-pending')
  );
}

/** The plans an account ends the window with: those awaiting approval, and every revision's outcome. */
export function reportPlans(state: AccountArrearsState, result: ReplayResult) {
  for (const plan of state.plans) {
    result.plans.push(plan);
    if (plan.status === 'awaiting-approval') {
      result.awaitingApproval.push({
        planId: plan.planId,
        accountId: plan.accountId,
        createdAt: plan.createdAt,
        billIds: plan.billIds,
      });
    }
    plan.revisions.forEach((rev, index) => {
      result.disconnections.push({
        planId: plan.planId,
        accountId: plan.accountId,
        revision: rev.revision,
        noticeAt: rev.noticeAt,
        reminderAt: rev.reminderAt,
        disconnectAt: rev.disconnectAt,
        ...(rev.noticeSentAt === undefined ? {} : { noticeSentAt: rev.noticeSentAt }),
        ...(rev.reminderSentAt === undefined ? {} : { reminderSentAt: rev.reminderSentAt }),
        ...(rev.countedFrom === undefined ? {} : { countedFrom: rev.countedFrom }),
        ...(rev.workingDayConfirmedBy === undefined
          ? {}
          : { workingDayConfirmedBy: rev.workingDayConfirmedBy }),
        outcome: revisionOutcome(plan, rev, index === plan.revisions.length - 1),
      });
    });
  }
}

export function messageOf(w: ArrearsWarning): ReplayMessage {
  return {
    sendAt: w.sendAt,
    accountId: w.accountId,
    kind: w.kind,
    channel: w.channel,
    recipientRole: w.recipient.role,
    ...(w.planId === undefined ? {} : { planId: w.planId, planRevision: w.planRevision }),
    amounts: w.amounts,
    ...(w.disconnectAt === undefined ? {} : { disconnectAt: w.disconnectAt }),
  };
}
