import { addDays, DAY_MS, instantMs, shanghaiDateOfMs, shanghaiInstant } from '../../calendar/index.ts';
import { approverFor } from '../policy.ts';
import type { ArrearsRun } from '../run.ts';
import { type DisconnectionPlan, setStatus } from './plan.ts';

/*
 * The responsible manager's approval of a disconnection (供电营业规则 Art. 67; billing-rules.md §8
 * "Approval"): every plan (policy default) waits for it before its notice. The approver (per account
 * manager, else the policy's default) is told by email with the plan's facts when the plan is created
 * and reminded every `approvalReminderHours` while it waits. An approval given before the plan exists
 * names the bills it covers; an approval lapses after `approvalValidDays` if the notice has not gone out.
 */

/** An approval given before its plan existed: it covers a plan of exactly these bills (or fewer). */
export interface PreApproval {
  billIds: string[];
  by: string;
  at: string;
  /** Last day it can be used. */
  validUntil: string;
  note?: string;
  /** The plan that used it. */
  usedBy?: string;
}

export const approvalValidUntil = (atMs: number, validDays: number): string =>
  addDays(shanghaiDateOfMs(atMs), validDays);

/** A valid, unused approval given in advance that covers every bill of the plan; marks it used. */
export function takePreApproval(
  run: ArrearsRun,
  plan: DisconnectionPlan,
  ms: number,
): PreApproval | undefined {
  const today = shanghaiDateOfMs(ms);
  const pre = run.state.preApprovals.find(
    (p) =>
      p.usedBy === undefined && today <= p.validUntil && plan.billIds.every((id) => p.billIds.includes(id)),
  );
  if (pre !== undefined) pre.usedBy = plan.planId;
  return pre;
}

/** The approval request (or a reminder) to the plan's approver, with the plan's facts. */
export function requestApproval(
  run: ArrearsRun,
  plan: DisconnectionPlan,
  ms: number,
  kind: 'approval-request' | 'approval-reminder',
) {
  const approver = approverFor(run.policy, run.account.accountManager.id);
  plan.approver = { name: approver.name, email: approver.email };
  plan.approvalRequestedAt ??= [];
  const n = plan.approvalRequestedAt.length;
  plan.approvalRequestedAt.push(shanghaiInstant(ms));
  run.send(
    run.model(kind, plan.billIds, ms, { planId: plan.planId, approverName: approver.name }),
    `${plan.planId}#approval${n}`,
    plan.billIds,
    ms,
    { plan: { planId: plan.planId, revision: 0 }, only: 'approver' },
  );
  run.event(kind === 'approval-request' ? 'approval-requested' : 'approval-reminded', ms, {
    planId: plan.planId,
  });
}

/** Plans still waiting for approval: the approver is reminded once the reminder interval has passed. */
export function remindApprovers(run: ArrearsRun, ms: number) {
  const every = run.policy.disconnection.approvalReminderHours * 3_600_000;
  for (const plan of run.state.plans) {
    if (plan.status !== 'awaiting-approval') continue;
    const last = plan.approvalRequestedAt?.at(-1);
    if (last === undefined || ms - instantMs(last) >= every) {
      requestApproval(run, plan, ms, last === undefined ? 'approval-request' : 'approval-reminder');
    }
  }
}

/** An approval whose plan has not sent a notice within its validity lapses: the plan waits again. */
export function expireApprovals(run: ArrearsRun, ms: number) {
  const validMs = run.policy.disconnection.approvalValidDays * DAY_MS;
  for (const plan of run.state.plans) {
    if (plan.status !== 'notice-pending' && plan.status !== 'awaiting-calendar') continue;
    if (!plan.approvalRequired || plan.approval === undefined) continue;
    if (plan.revisions.some((r) => r.noticeSentAt !== undefined)) continue;
    if (ms - instantMs(plan.approval.at) <= validMs) continue;
    run.event('approval-expired', ms, { planId: plan.planId, detail: plan.approval.at });
    delete plan.approval;
    const rev = plan.revisions.at(-1);
    if (rev !== undefined && rev.ended === undefined) plan.revisions.pop();
    setStatus(plan, 'awaiting-approval', ms, 'approval expired');
    requestApproval(run, plan, ms, 'approval-request');
  }
}
