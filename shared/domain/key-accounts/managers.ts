import type { AccountManager } from '../account.ts';
import { Dec, dec } from '../money.ts';
import type { NoticeChannel, NoticeStatus } from '../notices.ts';
import type { KeyAccountConfig } from './config.ts';
import type { ManagerOverride } from './overrides.ts';

/*
 * Account managers (大客户经理, billing-rules.md §9): every key account has one. Assignment keeps an
 * operator's choice, then keeps an account with its current manager while that manager is not overloaded,
 * (one whose load stays within (1 + tolerance) × the average, or who has no account yet), then gives the
 * rest, largest first, to the least-loaded manager. A manager's load is the sum of their
 * accounts' weights, weight = accountWeight × 1/N + revenueWeight × revenue/total (normalised by the two
 * weights), so the loads of all key accounts add up to 1.
 */

export type AssignmentBasis = 'override' | 'kept' | 'balanced';

export interface ManagerAssignment {
  accountId: string;
  managerId: string;
  managerName: string;
  basis: AssignmentBasis;
  /** The override's reason, or why the account moved or stayed. */
  reason: string;
  previousManagerId: string | null;
  /** The account's share of all managers' work, 0–1 (6 places). */
  workload: string;
}

export interface ManagerWorkload {
  managerId: string;
  name: string;
  accounts: number;
  revenue: string;
  /** Sum of the accounts' workloads, 0–1. */
  load: string;
}

export interface AssignmentCandidate {
  accountId: string;
  revenue: Dec;
  /** From the previous selection, else the account record. */
  currentManagerId: string | null;
}

export interface AssignmentResult {
  assignments: ManagerAssignment[];
  workloads: ManagerWorkload[];
  warnings: string[];
}

const PLACES = 6;

export function assignManagers(
  candidates: readonly AssignmentCandidate[],
  managers: readonly AccountManager[],
  overrides: ReadonlyMap<string, ManagerOverride>,
  weights: KeyAccountConfig['managerWorkload'],
): AssignmentResult {
  const warnings: string[] = [];
  const pool = [...new Map(managers.map((m) => [m.id, m])).values()].sort((a, b) => a.id.localeCompare(b.id));
  if (pool.length === 0 || candidates.length === 0) {
    if (candidates.length > 0) warnings.push('no account managers to assign key accounts to');
    return { assignments: [], workloads: [], warnings };
  }
  const ledger = assignmentLedger(pool);
  const ordered = heaviestFirst(candidates, weights);
  giveOverriddenAccounts(ordered, overrides, ledger, warnings);
  const capacity = dec(1).div(pool.length).times(dec(1).plus(weights.keepCurrentTolerance));
  keepWithCurrentManagers(ordered, capacity, ledger);
  balanceTheRest(ordered, pool, ledger);

  const { load, assigned } = ledger;
  return {
    assignments: candidates.map((c) => assigned.get(c.accountId)!),
    workloads: pool.map((m) => {
      const entry = load.get(m.id)!;
      return {
        managerId: m.id,
        name: m.name,
        accounts: entry.accounts,
        revenue: entry.revenue.toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2),
        load: entry.load.toDecimalPlaces(PLACES, Dec.ROUND_HALF_UP).toFixed(PLACES),
      };
    }),
    warnings,
  };
}

interface WeighedCandidate {
  c: AssignmentCandidate;
  /** The account's share of all managers' work. */
  w: Dec;
}

/** Each manager's load so far and the accounts given, by account id. */
interface AssignmentLedger {
  byId: ReadonlyMap<string, AccountManager>;
  load: Map<string, { accounts: number; revenue: Dec; load: Dec }>;
  assigned: Map<string, ManagerAssignment>;
  give(c: AssignmentCandidate, w: Dec, managerId: string, basis: AssignmentBasis, reason: string): void;
}

function assignmentLedger(pool: readonly AccountManager[]): AssignmentLedger {
  const byId = new Map(pool.map((m) => [m.id, m]));
  const load = new Map(pool.map((m) => [m.id, { accounts: 0, revenue: dec(0), load: dec(0) }]));
  const assigned = new Map<string, ManagerAssignment>();
  const give = (
    c: AssignmentCandidate,
    w: Dec,
    managerId: string,
    basis: AssignmentBasis,
    reason: string,
  ) => {
    const entry = load.get(managerId)!;
    entry.accounts += 1;
    entry.revenue = entry.revenue.plus(c.revenue);
    entry.load = entry.load.plus(w);
    assigned.set(c.accountId, {
      accountId: c.accountId,
      managerId,
      managerName: byId.get(managerId)!.name,
      basis,
      reason,
      previousManagerId: c.currentManagerId,
      workload: w.toDecimalPlaces(PLACES, Dec.ROUND_HALF_UP).toFixed(PLACES),
    });
  };
  return { byId, load, assigned, give };
}

function heaviestFirst(
  candidates: readonly AssignmentCandidate[],
  weights: KeyAccountConfig['managerWorkload'],
): WeighedCandidate[] {
  const totalRevenue = candidates.reduce((acc, c) => acc.plus(c.revenue), dec(0));
  const wSum = dec(weights.accountWeight).plus(weights.revenueWeight);
  const countShare = dec(1).div(candidates.length);
  // Without revenue every account weighs the same on the revenue side too.
  const revenueShareOf = (c: AssignmentCandidate): Dec =>
    totalRevenue.isZero() ? countShare : c.revenue.div(totalRevenue);
  const weightOf = (c: AssignmentCandidate): Dec =>
    countShare.times(weights.accountWeight).plus(revenueShareOf(c).times(weights.revenueWeight)).div(wSum);

  // Largest first: the greedy balance is then within one account's weight of even.
  return candidates
    .map((c) => ({ c, w: weightOf(c) }))
    .sort((x, y) => y.w.comparedTo(x.w) || x.c.accountId.localeCompare(y.c.accountId));
}

function giveOverriddenAccounts(
  ordered: readonly WeighedCandidate[],
  overrides: ReadonlyMap<string, ManagerOverride>,
  ledger: AssignmentLedger,
  warnings: string[],
): void {
  for (const { c, w } of ordered) {
    const o = overrides.get(c.accountId);
    if (o === undefined) continue;
    if (!ledger.byId.has(o.managerId)) {
      warnings.push(`${c.accountId}: manager override names ${o.managerId}, who is not in the manager list`);
      continue;
    }
    ledger.give(c, w, o.managerId, 'override', o.reason);
  }
}

function keepWithCurrentManagers(
  ordered: readonly WeighedCandidate[],
  capacity: Dec,
  ledger: AssignmentLedger,
): void {
  const { byId, load, assigned } = ledger;
  for (const { c, w } of ordered) {
    if (assigned.has(c.accountId) || c.currentManagerId === null || !byId.has(c.currentManagerId)) continue;
    const entry = load.get(c.currentManagerId)!;
    // A manager with nothing yet keeps even an account heavier than the limit: moving it balances nothing.
    if (entry.load.isZero() || entry.load.plus(w).lte(capacity)) {
      ledger.give(c, w, c.currentManagerId, 'kept', 'stays with the current manager');
    }
  }
}

function balanceTheRest(
  ordered: readonly WeighedCandidate[],
  pool: readonly AccountManager[],
  ledger: AssignmentLedger,
): void {
  const { byId, load, assigned } = ledger;
  for (const { c, w } of ordered) {
    if (assigned.has(c.accountId)) continue;
    let best = pool[0]!;
    for (const m of pool) if (load.get(m.id)!.load.lt(load.get(best.id)!.load)) best = m;
    const reason =
      c.currentManagerId === null
        ? 'assigned to the least-loaded manager'
        : byId.has(c.currentManagerId)
          ? `moved from ${c.currentManagerId}, whose load was above the balance limit`
          : `${c.currentManagerId} is not in the manager list; assigned to the least-loaded manager`;
    ledger.give(c, w, best.id, 'balanced', reason);
  }
}

/* ---------- records the digest and the service report read (minimal, as the stores hold them) ---------- */

export interface ArrearsFlag {
  accountId: string;
  period: string;
  /** Unpaid amount, yuan. */
  amount: string;
  daysOverdue: number;
}

export type NoticeRecordKind = 'bill-preview' | 'arrears-warning';

export interface NoticeRecord {
  noticeId: string;
  accountId: string;
  kind: NoticeRecordKind;
  channel: NoticeChannel;
  status: NoticeStatus;
  /** When the timetable had it go out (ISO 8601 instant). */
  dueAt: string;
  /** When it went out, if it did. */
  sentAt?: string;
}

export type DeliveryProblem = 'bounced' | 'complained' | 'suppressed' | 'failed';

const PROBLEM_OF: Partial<Record<NoticeStatus, DeliveryProblem>> = {
  BOUNCED: 'bounced',
  COMPLAINED: 'complained',
  SUPPRESSED: 'suppressed',
  FAILED: 'failed',
};

/** What the manager should fix for a notice that did not arrive; null when it did (or may still). */
export const deliveryProblemOf = (status: NoticeStatus): DeliveryProblem | null => PROBLEM_OF[status] ?? null;

const instant = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not an ISO 8601 instant: ${JSON.stringify(iso)}`);
  return t;
};

const SENT_STATUSES: ReadonlySet<NoticeStatus> = new Set(['SENT', 'DELIVERED']);

export interface TimetableCounts {
  total: number;
  /** Went out no later than due. */
  onTime: number;
  late: number;
  /** Due and not sent (nor failed): overdue on the timetable. */
  overdue: number;
  /** Not yet due. */
  pending: number;
  /** Failed, bounced, complained or suppressed. */
  problems: number;
  /** onTime ÷ (total − pending), percent with one decimal; null when nothing was due. */
  onTimePercent: string | null;
}

function countTimetable(notices: readonly NoticeRecord[], asOf: string, delivered: boolean): TimetableCounts {
  const now = instant(asOf);
  const counts = { total: notices.length, onTime: 0, late: 0, overdue: 0, pending: 0, problems: 0 };
  for (const n of notices) {
    if (deliveryProblemOf(n.status) !== null) {
      counts.problems += 1;
      continue;
    }
    const wentOut = delivered ? n.status === 'DELIVERED' : SENT_STATUSES.has(n.status);
    if (wentOut && n.sentAt !== undefined) {
      if (instant(n.sentAt) <= instant(n.dueAt)) counts.onTime += 1;
      else counts.late += 1;
    } else if (instant(n.dueAt) < now) counts.overdue += 1;
    else counts.pending += 1;
  }
  const due = counts.total - counts.pending;
  return {
    ...counts,
    onTimePercent:
      due === 0
        ? null
        : dec(counts.onTime).times(100).div(due).toDecimalPlaces(1, Dec.ROUND_HALF_UP).toFixed(1),
  };
}

export interface NoticeToFix {
  noticeId: string;
  accountId: string;
  kind: NoticeRecordKind;
  channel: NoticeChannel;
  problem: DeliveryProblem;
}

/** The notices that did not arrive, each with what to fix. */
export function noticesToFix(notices: readonly NoticeRecord[]): NoticeToFix[] {
  return notices.flatMap((n): NoticeToFix[] => {
    const problem = deliveryProblemOf(n.status);
    return problem === null
      ? []
      : [{ noticeId: n.noticeId, accountId: n.accountId, kind: n.kind, channel: n.channel, problem }];
  });
}

export interface ManagerServiceReport {
  managerId: string;
  managerName: string;
  accounts: number;
  /** Bill previews: sent on time against their send day. */
  previews: TimetableCounts;
  /** Arrears warnings: delivered (receipt confirmed) on the timetable. */
  warnings: TimetableCounts;
  /** Bounces, complaints, suppressions (opt-outs) and failures: contact details to fix. */
  toFix: NoticeToFix[];
}

/**
 * One service report per manager over the notices given (the caller picks the month's). `asOf` is an
 * ISO instant: notices due before it and not sent count as overdue.
 */
export function buildServiceReports(input: {
  assignments: readonly ManagerAssignment[];
  notices: readonly NoticeRecord[];
  asOf: string;
}): ManagerServiceReport[] {
  const managerOf = new Map(input.assignments.map((a) => [a.accountId, a]));
  const byManager = new Map<string, { name: string; accounts: Set<string>; notices: NoticeRecord[] }>();
  for (const a of input.assignments) {
    const entry = byManager.get(a.managerId) ?? { name: a.managerName, accounts: new Set(), notices: [] };
    entry.accounts.add(a.accountId);
    byManager.set(a.managerId, entry);
  }
  for (const n of input.notices) {
    const a = managerOf.get(n.accountId);
    if (a !== undefined) byManager.get(a.managerId)!.notices.push(n);
  }
  return [...byManager.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([managerId, m]) => ({
      managerId,
      managerName: m.name,
      accounts: m.accounts.size,
      previews: countTimetable(
        m.notices.filter((n) => n.kind === 'bill-preview'),
        input.asOf,
        false,
      ),
      warnings: countTimetable(
        m.notices.filter((n) => n.kind === 'arrears-warning'),
        input.asOf,
        true,
      ),
      toFix: noticesToFix(m.notices),
    }));
}
