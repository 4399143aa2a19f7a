import { addDays, daysBetween } from '../calendar/index.ts';
import { dec } from '../money.ts';
import { expireApprovals, remindApprovers } from './disconnection/approval.ts';
import { settleCleared } from './disconnection/cancellation.ts';
import { escalateUndelivered } from './disconnection/delivery.ts';
import { passDisconnectionTimes } from './disconnection/final-reminder.ts';
import { ACTIVE_PLAN_STATUSES, planDisconnection, sendDueNotices } from './disconnection/plan.ts';
import { scanMsOn } from './disconnection/timetable.ts';
import type { WarningLevel } from './evidence.ts';
import type { LedgerBill } from './ledger/index.ts';
import type { ArrearsMessageModel } from './messages.ts';
import type { ArrearsPolicy } from './policy.ts';
import { ArrearsRun } from './run.ts';
import type { ArrearsOutcome, ArrearsSnapshot, BillProgress } from './state.ts';

/*
 * The escalation ladder (billing-rules.md §8) of one account, as pure state transitions.
 *
 * Per bill, levels follow reminder → overdue-notice → payment-demand (催告) → disconnection-notice, each
 * no earlier than its day counted from the DUE DATE, at most one level a day, never skipping one (the
 * courtesy reminder lapses when the bill is already past due; nothing else can be left out). A bill that
 * is cleared stops; re-opened by a reversal it resumes at the level it had reached. A bill eligible for
 * the disconnection notice goes to the account's disconnection plan (./disconnection/), which sends it.
 *
 * Nothing here reads a clock: every entry point takes the instant or day it runs for.
 */

function isExempt(run: ArrearsRun, billId: string, today: string): boolean {
  return run.state.exemptions.some((e) => e.billId === billId && (e.until === undefined || today <= e.until));
}

function nextLevel(
  run: ArrearsRun,
  bill: LedgerBill,
  progress: BillProgress,
  today: string,
): WarningLevel | null {
  const ladder = run.policy.ladder;
  const overdue = daysBetween(bill.dueDate, today);
  const last = progress.reached.at(-1);
  if (last?.on === today) return null;
  switch (last?.level) {
    case undefined:
      if (overdue <= 0) {
        const r = ladder.reminderDaysBeforeDue;
        return r !== null && overdue >= -r ? 'reminder' : null;
      }
      return overdue >= ladder.overdueNoticeDaysAfterDue ? 'overdue-notice' : null;
    case 'reminder':
      return overdue >= ladder.overdueNoticeDaysAfterDue ? 'overdue-notice' : null;
    case 'overdue-notice':
      return overdue >= ladder.paymentDemandDaysAfterDue ? 'payment-demand' : null;
    case 'payment-demand':
    case 'disconnection-notice': {
      const demand = progress.reached.findLast((r) => r.level === 'payment-demand');
      const eligible =
        overdue >= ladder.disconnectionNoticeDaysAfterDue &&
        // The legal floor (条例 Art. 39), whatever a policy says.
        overdue > 30 &&
        demand !== undefined &&
        daysBetween(demand.on, today) >= ladder.minDaysFromDemandToDisconnectionNotice &&
        !isExempt(run, bill.billId, today);
      return eligible ? 'disconnection-notice' : null;
    }
  }
}

/** Each open bill one level up where it is due; bills eligible for disconnection go to the plan. */
function climbLadder(run: ArrearsRun, today: string, ms: number) {
  const eligible: string[] = [];
  // A disconnected account (disconnect-due) waits for payment: no second plan while one stands.
  const active = run.state.plans.find(
    (p) => ACTIVE_PLAN_STATUSES.includes(p.status) || p.status === 'disconnect-due',
  );
  for (const bill of run.ledger.bills) {
    if (bill.issuedOn !== undefined && bill.issuedOn > today) continue;
    // The ladder climbs on open charges; a plan already made stands until the penalty is paid too.
    if (run.open([bill.billId], ms).lte(0)) continue;
    const progress = run.progress(bill.billId);
    const next = nextLevel(run, bill, progress, today);
    if (next === null) continue;
    if (next === 'disconnection-notice') {
      if (active?.billIds.includes(bill.billId)) continue;
      eligible.push(bill.billId);
      continue;
    }
    const extra: Partial<ArrearsMessageModel> =
      next === 'payment-demand'
        ? {
            disconnectionNoticeFrom: [
              addDays(bill.dueDate, run.policy.ladder.disconnectionNoticeDaysAfterDue),
              addDays(today, run.policy.ladder.minDaysFromDemandToDisconnectionNotice),
            ].sort()[1]!,
          }
        : {};
    run.send(run.model(next, [bill.billId], ms, extra), bill.billId, [bill.billId], ms);
    run.reach(bill.billId, next, ms);
  }
  if (eligible.length === 0) return;
  if (active === undefined && belowMinimum(run, today, ms)) return;
  planDisconnection(run, eligible, active, ms);
}

/**
 * Minimum amount (billing-rules.md §8): arrears — the open charges and penalty of every overdue bill —
 * below the policy minimum never lead to a disconnection notice; the ladder stops at the payment demand.
 */
function belowMinimum(run: ArrearsRun, today: string, ms: number): boolean {
  const overdue = run.ledger.bills.filter((b) => b.dueDate < today).map((b) => b.billId);
  const owed = run.open(overdue, ms).plus(run.penaltyOpen(overdue, ms));
  return owed.lt(dec(run.policy.disconnection.minimumArrears));
}

/** The daily scan for one account, run at the policy's scan time on `today` (an Asia/Shanghai day). */
export function scanAccount(snapshot: ArrearsSnapshot, today: string, policy: ArrearsPolicy): ArrearsOutcome {
  const run = new ArrearsRun(snapshot, policy);
  const ms = scanMsOn(today, policy);
  settleCleared(run, ms);
  passDisconnectionTimes(run, ms);
  escalateUndelivered(run, ms);
  expireApprovals(run, ms);
  sendDueNotices(run, ms);
  climbLadder(run, today, ms);
  remindApprovers(run, ms);
  return run.outcome();
}
