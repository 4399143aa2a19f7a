import { instantMs, shanghaiInstant } from '../../calendar/index.ts';
import type { ArrearsPolicy } from '../policy.ts';
import { ArrearsRun } from '../run.ts';
import type { ArrearsOutcome, ArrearsSnapshot } from '../state.ts';
import { runForFiredSchedule, settleCleared } from './cancellation.ts';
import { currentRevision, setStatus } from './plan.ts';

/*
 * The last steps before a disconnection (供电营业规则 Art. 67): 30 minutes before it the customer is told
 * again of the time (a one-time schedule per plan revision), and only then may supply be cut at the
 * notified time. A plan whose time passes without the final reminder lapses and is planned again.
 */

/** Disconnection times that have passed: after the final reminder supply may be cut, else the plan lapses. */
export function passDisconnectionTimes(run: ArrearsRun, ms: number) {
  for (const plan of run.state.plans) {
    if (plan.status !== 'notified' && plan.status !== 'reminded') continue;
    const rev = currentRevision(plan)!;
    if (instantMs(rev.disconnectAt) > ms) continue;
    // Supply may be cut only after the final reminder, and only if the notice reached the customer.
    if (plan.status === 'reminded' && rev.countedFrom !== undefined) {
      setStatus(plan, 'disconnect-due', ms);
      plan.disconnectDueAt = rev.disconnectAt;
      run.event('disconnect-due', ms, { planId: plan.planId, detail: rev.disconnectAt });
    } else {
      // Without the final reminder supply may not be cut (Art. 67): the plan lapses, the next scan re-plans.
      const why = plan.status === 'reminded' ? 'notice not delivered' : 'final reminder not sent';
      setStatus(plan, 'lapsed', ms, why);
      plan.endedAt = shanghaiInstant(ms);
      plan.endReason = 'lapsed';
      rev.ended = { at: shanghaiInstant(ms), reason: 'lapsed' };
      run.event('plan-lapsed', ms, { planId: plan.planId, detail: why });
    }
  }
}

/** The one-time schedule of a plan revision fired (30 minutes before the disconnection). */
export function fireFinalReminder(
  snapshot: ArrearsSnapshot,
  target: { planId: string; revision: number },
  at: string,
  policy: ArrearsPolicy,
): ArrearsOutcome {
  const { run, ms, plan } = runForFiredSchedule(snapshot, target.planId, at, policy);
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
  setStatus(plan, 'reminded', ms);
  run.event('final-reminder-sent', ms, { planId: plan.planId });
  return run.outcome();
}

/** The disconnection time of a plan passed: with the final reminder sent supply may be cut; else it lapses. */
export function reachDisconnectionTime(
  snapshot: ArrearsSnapshot,
  at: string,
  policy: ArrearsPolicy,
): ArrearsOutcome {
  const run = new ArrearsRun(snapshot, policy);
  const ms = instantMs(at);
  settleCleared(run, ms);
  passDisconnectionTimes(run, ms);
  return run.outcome();
}
