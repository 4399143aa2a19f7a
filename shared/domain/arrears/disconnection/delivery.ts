import { instantMs, shanghaiInstant } from '../../calendar/index.ts';
import type { ArrearsPolicy } from '../policy.ts';
import { ArrearsRun } from '../run.ts';
import type { ArrearsOutcome, ArrearsSnapshot } from '../state.ts';
import { runForFiredSchedule, settleCleared } from './cancellation.ts';
import type { NoticeDelivery } from './delivery-model.ts';
import {
  awaitsDelivery,
  cancelDeliveryCheck,
  currentRevision,
  type DisconnectionPlan,
  reviseTimes,
  sendNotice,
} from './plan.ts';
import { minimumLeadMs, planDisconnectionTimes, reminderScheduleName } from './timetable.ts';

/*
 * Lead time from delivery (billing-rules.md §8): a disconnection notice "reaches the customer" when a
 * provider's delivery event (or the customer's own confirmation) says so; a bounce never counts. The
 * disconnection must be at least the minimum lead plus the margin after the earliest delivery on any
 * customer channel. A delivery that comes too late for the planned time moves the plan later (a new
 * revision: its notice states the new time and its lead still counts from that delivery), and the final
 * reminder's schedule with it. A notice with no delivery on any channel within the policy window is
 * escalated to the account manager and sent again for a later time (the new notice's delivery counts).
 */

export type DeliveryReport = Omit<NoticeDelivery, 'recordedAt'> & {
  /** The plan and revision the notice belongs to; absent: the account's plan whose notice is out. */
  planId?: string;
  revision?: number;
};

const HOUR_MS = 3_600_000;

function noticedPlan(run: ArrearsRun, planId: string | undefined): DisconnectionPlan | undefined {
  return run.state.plans.find(
    (p) =>
      (planId === undefined ? p.status === 'notified' || p.status === 'reminded' : p.planId === planId) &&
      p.revisions.some((r) => r.noticeSentAt !== undefined),
  );
}

/** Ends the current revision and gives the plan a later one with a new notice sent now. */
function movePlan(
  run: ArrearsRun,
  plan: DisconnectionPlan,
  ms: number,
  reason: 'late-delivery' | 'no-delivery',
  countedFrom?: NoticeDelivery,
) {
  const rev = currentRevision(plan)!;
  cancelDeliveryCheck(run, plan, rev);
  if (rev.reminderSentAt === undefined) {
    run.out.remindersToCancel.push({
      scheduleName: reminderScheduleName(plan.planId, rev.revision),
      planId: plan.planId,
      revision: rev.revision,
      at: rev.reminderAt,
    });
  }
  rev.ended = { at: shanghaiInstant(ms), reason };
  const times = planDisconnectionTimes(
    ms,
    run.policy,
    countedFrom === undefined ? undefined : instantMs(countedFrom.at),
  );
  const moved = reviseTimes(run, plan, ms, times, {
    noticeAt: shanghaiInstant(ms),
    ...(countedFrom === undefined ? {} : { countedFrom }),
  });
  run.event('plan-moved', ms, { planId: plan.planId, detail: `${reason}: from ${rev.disconnectAt}` });
  if (moved) sendNotice(run, plan, ms);
}

/** Records one delivery outcome of a plan's notice at `recordedAt`; moves the plan when it came late. */
export function recordNoticeDelivery(
  snapshot: ArrearsSnapshot,
  report: DeliveryReport,
  recordedAt: string,
  policy: ArrearsPolicy,
): ArrearsOutcome {
  const run = new ArrearsRun(snapshot, policy);
  const ms = instantMs(recordedAt);
  settleCleared(run, ms);
  const plan = noticedPlan(run, report.planId);
  const rev =
    plan === undefined
      ? undefined
      : report.revision === undefined
        ? plan.revisions.findLast((r) => r.noticeSentAt !== undefined)
        : plan.revisions.find((r) => r.revision === report.revision);
  if (plan === undefined || rev === undefined) {
    run.event('delivery-ignored', ms, { detail: `${report.channel} ${report.outcome}: no notice out` });
    return run.outcome();
  }
  const delivery: NoticeDelivery = {
    channel: report.channel,
    at: report.at,
    outcome: report.outcome,
    source: report.source,
    recordedAt: shanghaiInstant(ms),
  };
  rev.deliveries ??= [];
  const known = rev.deliveries.some(
    (d) => d.channel === delivery.channel && d.outcome === delivery.outcome && d.at === delivery.at,
  );
  if (known) return run.outcome();
  rev.deliveries.push(delivery);
  run.event('delivery-recorded', ms, {
    planId: plan.planId,
    detail: `r${rev.revision} ${delivery.channel} ${delivery.outcome} at ${delivery.at} (${delivery.source})`,
  });
  const counts =
    delivery.outcome === 'delivered' &&
    (rev.countedFrom === undefined || instantMs(delivery.at) < instantMs(rev.countedFrom.at));
  if (!counts) return run.outcome();
  cancelDeliveryCheck(run, plan, rev);
  rev.countedFrom = delivery;
  const current = rev === currentRevision(plan) && (plan.status === 'notified' || plan.status === 'reminded');
  if (current && instantMs(delivery.at) + minimumLeadMs(policy) > instantMs(rev.disconnectAt)) {
    movePlan(run, plan, ms, 'late-delivery', delivery);
  }
  return run.outcome();
}

/** Whether the current revision's notice has gone the whole delivery window without a delivery. */
function undeliveredTooLong(run: ArrearsRun, plan: DisconnectionPlan, ms: number): boolean {
  const rev = currentRevision(plan);
  if (plan.status !== 'notified' || rev === undefined || !awaitsDelivery(rev)) return false;
  const windowMs = run.policy.disconnection.deliveryWindowHours * HOUR_MS;
  return ms - instantMs(rev.noticeSentAt!) >= windowMs;
}

/** Tells the account manager that the notice was delivered on no channel, and sends it again for later. */
function escalate(run: ArrearsRun, plan: DisconnectionPlan, ms: number) {
  const rev = currentRevision(plan)!;
  // Escalated: the move below leaves a pending check alone; it fires into a later revision and does nothing.
  rev.escalatedAt = shanghaiInstant(ms);
  const bounced = (rev.deliveries ?? []).filter((d) => d.outcome === 'bounced').map((d) => d.channel);
  run.send(
    run.model('delivery-escalation', plan.billIds, ms, {
      disconnectAt: rev.disconnectAt,
      noticeSentAt: rev.noticeSentAt,
      bouncedChannels: [...new Set(bounced)],
      deliveryWindowHours: run.policy.disconnection.deliveryWindowHours,
    }),
    `${plan.planId}#r${rev.revision}`,
    plan.billIds,
    ms,
    { plan: { planId: plan.planId, revision: rev.revision }, only: 'account-manager' },
  );
  run.event('delivery-escalated', ms, { planId: plan.planId, detail: `r${rev.revision}` });
  movePlan(run, plan, ms, 'no-delivery');
}

/**
 * The daily scan's sweep: notices with no delivery on any channel within the window, escalated and sent
 * again for later. The revision's delivery check normally got there first, at the end of the window.
 */
export function escalateUndelivered(run: ArrearsRun, ms: number) {
  for (const plan of run.state.plans) {
    if (undeliveredTooLong(run, plan, ms)) escalate(run, plan, ms);
  }
}

/**
 * The one-time schedule at the end of a revision's delivery window fired: with no delivery on any
 * channel the notice is escalated and the plan moved; a delivery, a later revision or a plan that moved
 * on (cancelled, reminded, escalated by the scan) makes it do nothing, so it may fire any number of times.
 */
export function checkNoticeDelivery(
  snapshot: ArrearsSnapshot,
  target: { planId: string; revision: number },
  at: string,
  policy: ArrearsPolicy,
): ArrearsOutcome {
  const { run, ms, plan } = runForFiredSchedule(snapshot, target.planId, at, policy);
  if (
    plan === undefined ||
    currentRevision(plan)?.revision !== target.revision ||
    !undeliveredTooLong(run, plan, ms)
  ) {
    run.event('delivery-check-passed', ms, { planId: target.planId, detail: `r${target.revision}` });
    return run.outcome();
  }
  escalate(run, plan, ms);
  return run.outcome();
}

/** The reminder and disconnection need a counted delivery; without one the status is what it was. */
export const hasCountedDelivery = (plan: DisconnectionPlan): boolean =>
  currentRevision(plan)?.countedFrom !== undefined;
