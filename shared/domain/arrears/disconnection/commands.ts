import { instantMs, shanghaiInstant } from '../../calendar/index.ts';
import type { ArrearsOperatorCommand } from '../inputs.ts';
import type { ArrearsPolicy } from '../policy.ts';
import { ArrearsRun } from '../run.ts';
import type { ArrearsOutcome, ArrearsSnapshot } from '../state.ts';
import { cancelPlan, settleCleared } from './cancellation.ts';
import {
  ACTIVE_PLAN_STATUSES,
  activePlan,
  currentRevision,
  type DisconnectionPlan,
  schedulePlan,
  sendNotice,
} from './plan.ts';
import { disconnectionTimesOn } from './timetable.ts';

/*
 * The operator's commands on a disconnection plan (billing-rules.md §8): the responsible manager's
 * approval, a deferral to a later working day (a new notice for the new time), and an exemption of the
 * plan's bills. Each is applied at the instant the operator gave it, after any payment made by then.
 */

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

type Command<K extends ArrearsOperatorCommand['command']> = Extract<ArrearsOperatorCommand, { command: K }>;

function findPlan(
  run: ArrearsRun,
  planId: string | undefined,
  accept: (p: DisconnectionPlan) => boolean,
): DisconnectionPlan {
  const plan =
    planId === undefined ? activePlan(run.state) : run.state.plans.find((p) => p.planId === planId);
  if (plan === undefined) {
    throw new ArrearsCommandError(
      'no-such-plan',
      planId === undefined
        ? `account ${run.account.accountId} has no active disconnection plan`
        : `no disconnection plan ${planId}`,
    );
  }
  if (!accept(plan)) {
    throw new ArrearsCommandError('plan-not-active', `plan ${plan.planId} is ${plan.status}`);
  }
  return plan;
}

function approve(run: ArrearsRun, command: Command<'approve'>, ms: number) {
  const plan = findPlan(run, command.planId, (p) => p.status === 'awaiting-approval');
  const at = shanghaiInstant(ms);
  plan.approval = { by: command.by, at, ...(command.note === undefined ? {} : { note: command.note }) };
  run.event('plan-approved', ms, { planId: plan.planId, detail: command.by });
  schedulePlan(run, plan, ms);
}

function defer(run: ArrearsRun, command: Command<'defer'>, ms: number) {
  const policy = run.policy;
  const plan = findPlan(run, command.planId, (p) =>
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
  cancelPlan(run, plan, ms, 'deferred', {
    by: command.by,
    note: command.reason,
    newDisconnectAt: times.disconnectAt,
  });
  plan.revisions.push({ revision: plan.revisions.length + 1, ...times });
  plan.status = 'notice-pending';
  run.event('plan-deferred', ms, { planId: plan.planId, detail: times.disconnectAt });
  if (instantMs(times.noticeAt) <= ms) sendNotice(run, plan, ms);
  else run.event('notice-scheduled', ms, { planId: plan.planId, detail: times.noticeAt });
}

function exempt(run: ArrearsRun, command: Command<'exempt'>, ms: number) {
  const plan = findPlan(run, command.planId, (p) => ACTIVE_PLAN_STATUSES.includes(p.status));
  const at = shanghaiInstant(ms);
  cancelPlan(run, plan, ms, 'exempted', { by: command.by, note: command.reason });
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
}

/** An operator's approval, deferral or exemption, applied at the command's instant. */
export function applyArrearsCommand(
  snapshot: ArrearsSnapshot,
  command: ArrearsOperatorCommand,
  policy: ArrearsPolicy,
): ArrearsOutcome {
  const run = new ArrearsRun(snapshot, policy);
  const ms = instantMs(command.at);
  settleCleared(run, ms);
  switch (command.command) {
    case 'approve':
      approve(run, command, ms);
      break;
    case 'defer':
      defer(run, command, ms);
      break;
    case 'exempt':
      exempt(run, command, ms);
      break;
  }
  return run.outcome();
}
