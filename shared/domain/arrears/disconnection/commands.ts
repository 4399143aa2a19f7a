import { calendarCovers, instantMs, officialCoverageEnd, shanghaiInstant } from '../../calendar/index.ts';
import type { ArrearsOperatorCommand } from '../inputs.ts';
import type { ArrearsPolicy } from '../policy.ts';
import { ArrearsRun } from '../run.ts';
import type { ArrearsOutcome, ArrearsSnapshot } from '../state.ts';
import { approvalValidUntil } from './approval.ts';
import { cancelPlan, settleCleared } from './cancellation.ts';
import {
  ACTIVE_PLAN_STATUSES,
  activePlan,
  currentRevision,
  type DisconnectionPlan,
  schedulePlan,
  sendNotice,
  setStatus,
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
      | 'bad-date'
      | 'beyond-calendar'
      | 'bills-differ'
      | 'no-penalty',
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
  const at = shanghaiInstant(ms);
  const note = command.note === undefined ? {} : { note: command.note };
  if (command.planId === undefined && activePlan(run.state) === undefined && command.billIds !== undefined) {
    // Before the plan exists an approval names the bills it covers, and lapses by policy.
    const unknown = command.billIds.filter((id) => run.bill(id) === undefined);
    if (unknown.length > 0) {
      throw new ArrearsCommandError(
        'bills-differ',
        `account ${run.account.accountId} has no bill ${unknown.join(', ')}`,
      );
    }
    const validUntil = approvalValidUntil(ms, run.policy.disconnection.approvalValidDays);
    run.state.preApprovals.push({ billIds: [...command.billIds], by: command.by, at, validUntil, ...note });
    run.event('pre-approval-recorded', ms, { detail: `${command.billIds.join(' ')} until ${validUntil}` });
    return;
  }
  const plan = findPlan(run, command.planId, (p) => p.status === 'awaiting-approval');
  const missing = plan.billIds.filter((id) => command.billIds !== undefined && !command.billIds.includes(id));
  if (missing.length > 0) {
    throw new ArrearsCommandError(
      'bills-differ',
      `plan ${plan.planId} also covers ${missing.join(', ')}, which the approval does not name`,
    );
  }
  plan.approval = { by: command.by, at, ...note };
  run.event('plan-approved', ms, { planId: plan.planId, detail: command.by });
  schedulePlan(run, plan, ms);
}

/** Writes off the open penalty of the named bills (or every bill), with the operator's reason. */
function waivePenalty(run: ArrearsRun, command: Command<'waive-penalty'>, ms: number) {
  const billIds = command.billIds ?? run.ledger.bills.map((b) => b.billId);
  const unknown = billIds.filter((id) => run.bill(id) === undefined);
  if (unknown.length > 0) {
    throw new ArrearsCommandError(
      'bills-differ',
      `account ${run.account.accountId} has no bill ${unknown.join(', ')}`,
    );
  }
  const open = run.penaltyOpen(billIds, ms);
  if (open.lte(0)) {
    throw new ArrearsCommandError(
      'no-penalty',
      `account ${run.account.accountId} has no open penalty to waive`,
    );
  }
  run.state.penaltyWaivers.push({
    waiverId: `W${run.state.penaltyWaivers.length + 1}`,
    at: shanghaiInstant(ms),
    by: command.by,
    reason: command.reason,
    ...(command.billIds === undefined ? {} : { billIds: [...command.billIds] }),
  });
  run.refreshLedger();
  run.event('penalty-waived', ms, { detail: `${open.toFixed(2)} by ${command.by}: ${command.reason}` });
  settleCleared(run, ms);
}

function defer(run: ArrearsRun, command: Command<'defer'>, ms: number) {
  const policy = run.policy;
  const plan = findPlan(run, command.planId, (p) =>
    ['awaiting-calendar', 'notice-pending', 'notified', 'reminded'].includes(p.status),
  );
  // Re-announcing the same (or an earlier) time is not a deferral: it would send the customer a
  // second notice for nothing, or shorten the notice they were given.
  const current = currentRevision(plan);
  if (
    current !== undefined &&
    current.ended === undefined &&
    command.newDate <= current.disconnectAt.slice(0, 10)
  ) {
    throw new ArrearsCommandError(
      'bad-date',
      `${command.newDate} is not after the planned disconnection at ${current.disconnectAt}`,
    );
  }
  const times = disconnectionTimesOn(command.newDate, ms, policy, {
    workingDayConfirmed: command.confirmWorkingDay === true,
  });
  if (times === 'beyond-calendar') {
    throw new ArrearsCommandError('beyond-calendar', beyondCalendarMessage(command.newDate));
  }
  if (typeof times === 'string') {
    throw new ArrearsCommandError(
      'bad-date',
      times === 'too-soon'
        ? `${command.newDate} leaves less than ${policy.disconnection.noticeLeadDays.min} days' notice`
        : `${command.newDate} is not a working day`,
    );
  }
  // Accepted beyond the calendar: on the operator's word, which the plan keeps as such.
  const confirmedBy = calendarCovers(command.newDate, policy.disconnection) ? undefined : command.by;
  const confirmation =
    confirmedBy === undefined
      ? ''
      : `; working day confirmed by ${confirmedBy}, not checked against the official calendar`;
  if (current !== undefined && current.ended === undefined) {
    cancelPlan(run, plan, ms, 'deferred', {
      by: command.by,
      note: command.reason,
      newDisconnectAt: times.disconnectAt,
    });
  }
  plan.revisions.push({
    revision: plan.revisions.length + 1,
    ...times,
    ...(confirmedBy === undefined ? {} : { workingDayConfirmedBy: confirmedBy }),
  });
  setStatus(plan, 'notice-pending', ms, `deferred by ${command.by} to ${times.disconnectAt}${confirmation}`);
  run.event('plan-deferred', ms, { planId: plan.planId, detail: `${times.disconnectAt}${confirmation}` });
  if (instantMs(times.noticeAt) <= ms) sendNotice(run, plan, ms);
  else run.event('notice-scheduled', ms, { planId: plan.planId, detail: times.noticeAt });
}

/** Why a day beyond the official calendar needs the operator's confirmation, and how to give it. */
const beyondCalendarMessage = (date: string): string =>
  `${date} is beyond the official calendar, which covers days up to ${officialCoverageEnd()}: ` +
  `its public holidays and adjusted working days (调休) cannot be checked. Check the published holidays ` +
  `for ${date.slice(0, 4)} and, if ${date} is a working day, give the deferral again with ` +
  `confirmWorkingDay: true (CLI --confirm-working-day)`;

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
    case 'waive-penalty':
      waivePenalty(run, command, ms);
      break;
  }
  return run.outcome();
}
