import type { Account, AccountManager } from '../account.ts';
import { periodBefore, shiftPeriod } from '../calendar/index.ts';
import { Dec, dec } from '../money.ts';
import type { KeyAccountConfig, SegmentId, ServicePlan } from './config.ts';
import {
  type AssignmentResult,
  assignManagers,
  type ManagerAssignment,
  type ManagerWorkload,
} from './managers.ts';
import { activeOverrides, type KeyStatusOverride, type OperatorOverride } from './overrides.ts';
import { computeValueScores, type ScoreComponents } from './score.ts';
import { SEGMENT_ORDER, type SegmentAssignment, segmentAccount } from './segments.ts';
import {
  diffSelections,
  type KeyBasis,
  type KeySelectionRecord,
  type KeyStatusChange,
  selectParetoSet,
} from './selection.ts';
import {
  indexBills,
  type UsageBill,
  type UsageMetrics,
  type UsageProfile,
  usageMetrics,
  usageProfile,
} from './usage.ts';

/*
 * The monthly key-account run as one pure function: bill history in, ranking, key set, changes,
 * segments and manager assignments out. The caller stores `selection` (what later runs and the notice
 * planner read) and renders the rest (report.ts).
 */

export class KeyAccountInputError extends Error {
  override name = 'KeyAccountInputError';
}

export interface RankKeyAccountsInput {
  accounts: readonly Account[];
  /** Bill history: at least the window's periods; older bills are used for year-on-year change. */
  bills: readonly UsageBill[];
  config: KeyAccountConfig;
  overrides?: readonly OperatorOverride[];
  /** The selection in effect before this one, for the changes. */
  previous?: KeySelectionRecord;
  /** The day the new selection takes effect (YYYY-MM-DD); overrides are judged on this day. */
  asOf: string;
  /** Last period of the history window; defaults to the period before asOf's month. */
  period?: string;
  /** The managers to assign; defaults to the distinct managers on the account records. */
  managers?: readonly AccountManager[];
}

export interface RankedAccount {
  rank: number;
  accountId: string;
  name: string;
  category: Account['category'];
  score: string;
  components: ScoreComponents;
  /** Revenue of the window, yuan. */
  revenue: string;
  energyKwh: string;
  /** Revenue share of this account and every account ranked above it, 0–1 (4 places). */
  cumulativeShare: string;
  isKey: boolean;
  keyBasis: KeyBasis | null;
  /** Set when a never-key override kept the account out of a set it would have been in. */
  excludedBy: 'override-never' | null;
  keyOverride: { status: 'always' | 'never'; reason: string; expiresOn: string } | null;
  usage: UsageMetrics;
}

export interface IgnoredOverride {
  override: OperatorOverride;
  why: 'expired' | 'not-yet-effective' | 'unknown-account';
}

export interface KeyAccountRanking {
  period: string;
  asOf: string;
  /** The day the key set applies from: notices planned from this day on use it. */
  effectiveFrom: string;
  configVersion: string;
  windowFrom: string;
  windowTo: string;
  totals: { accounts: number; revenue: string; energyKwh: string; terminatedExcluded: number };
  /** The configured Pareto share, 0–1. */
  targetShare: string;
  key: {
    count: number;
    /** Key accounts in percent of all ranked accounts, 1 decimal. */
    accountPercent: string;
    revenue: string;
    /** Key set's revenue share (overrides included), 0–1, 4 places. */
    revenueShare: string;
    /** Share of the Pareto accounts alone. */
    paretoShare: string;
    shareReached: boolean;
  };
  /** Every active account, best first. */
  ranking: RankedAccount[];
  /** Key accounts in rank order. */
  keyAccountIds: string[];
  previousEffectiveFrom: string | null;
  changes: KeyStatusChange[];
  /** One per key account, in rank order. */
  segments: SegmentAssignment[];
  segmentCounts: Record<SegmentId, number>;
  /** The configuration's plan for every segment (also those with no account this time). */
  servicePlans: Record<SegmentId, ServicePlan>;
  /** One per key account, in rank order. */
  assignments: ManagerAssignment[];
  workloads: ManagerWorkload[];
  overrides: { applied: OperatorOverride[]; ignored: IgnoredOverride[] };
  /** The record to store: what keyStatusFor and the notice planner read. */
  selection: KeySelectionRecord;
  warnings: string[];
}

const fixed = (v: Dec, places: number): string =>
  v.toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed(places);
const percent = (ratio: Dec): string => fixed(ratio.times(100), 1);

export function rankKeyAccounts(input: RankKeyAccountsInput): KeyAccountRanking {
  const { config, asOf } = input;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new KeyAccountInputError(`asOf ${asOf} is not YYYY-MM-DD`);
  if (config.effectiveFrom > asOf) {
    throw new KeyAccountInputError(
      `configuration ${config.version} takes effect on ${config.effectiveFrom}, after ${asOf}`,
    );
  }
  if (input.previous !== undefined && input.previous.effectiveFrom >= asOf) {
    throw new KeyAccountInputError(
      `the previous selection takes effect on ${input.previous.effectiveFrom}, not before ${asOf}`,
    );
  }
  const period = input.period ?? periodBefore(asOf);
  const warnings: string[] = [];

  const active = input.accounts.filter((a) => a.terminatedOn === undefined || a.terminatedOn >= asOf);
  const accountIds = new Set(active.map((a) => a.accountId));
  const billsByAccount = indexBills(input.bills);
  const strayBills = input.bills.filter((b) => !accountIds.has(b.accountId)).length;
  if (strayBills > 0)
    warnings.push(`${strayBills} bills for accounts not ranked (unknown or terminated) ignored`);

  const overrides = activeOverrides(input.overrides ?? [], asOf);
  const ignored: IgnoredOverride[] = overrides.inactive.map((o) => ({
    override: o,
    why: o.setOn > asOf ? 'not-yet-effective' : 'expired',
  }));
  const applied: OperatorOverride[] = [];
  for (const map of [overrides.keyStatus, overrides.correction, overrides.manager] as Map<
    string,
    OperatorOverride
  >[]) {
    for (const [accountId, o] of map) {
      if (accountIds.has(accountId)) applied.push(o);
      else {
        ignored.push({ override: o, why: 'unknown-account' });
        map.delete(accountId);
      }
    }
  }

  const profiles = new Map<string, UsageProfile>();
  for (const a of active) {
    profiles.set(
      a.accountId,
      usageProfile(a.accountId, billsByAccount.get(a.accountId), period, config.historyPeriods),
    );
  }
  const { scores, warnings: scoreWarnings } = computeValueScores(
    active.map((account) => ({
      account,
      profile: profiles.get(account.accountId)!,
      ...(overrides.correction.has(account.accountId)
        ? { correction: overrides.correction.get(account.accountId)! }
        : {}),
    })),
    config,
  );
  warnings.push(...scoreWarnings);

  const accountById = new Map(active.map((a) => [a.accountId, a]));
  const order = scores
    .map((s) => ({ s, score: dec(s.score), revenue: profiles.get(s.accountId)!.revenue }))
    .sort(
      (x, y) =>
        y.score.comparedTo(x.score) ||
        y.revenue.comparedTo(x.revenue) ||
        x.s.accountId.localeCompare(y.s.accountId),
    );

  const pareto = selectParetoSet(
    order.map((o) => ({ accountId: o.s.accountId, revenue: o.revenue })),
    config.revenueShare,
    overrides.keyStatus,
  );
  if (!pareto.shareReached && pareto.totalRevenue.gt(0)) {
    warnings.push(
      `the accounts not excluded by overrides make only ${percent(pareto.paretoShare)}% of revenue, below the target ${percent(dec(config.revenueShare))}%`,
    );
  }

  const ranking: RankedAccount[] = order.map(({ s }, i) => {
    const account = accountById.get(s.accountId)!;
    const profile = profiles.get(s.accountId)!;
    const o: KeyStatusOverride | undefined = overrides.keyStatus.get(s.accountId);
    const basis = pareto.key.get(s.accountId) ?? null;
    return {
      rank: i + 1,
      accountId: s.accountId,
      name: account.name,
      category: account.category,
      score: s.score,
      components: s.components,
      revenue: fixed(profile.revenue, 2),
      energyKwh: fixed(profile.energyKwh, 0),
      cumulativeShare: fixed(pareto.cumulativeShare.get(s.accountId)!, 4),
      isKey: basis !== null,
      keyBasis: basis,
      excludedBy: pareto.excludedByOverride.has(s.accountId) ? 'override-never' : null,
      keyOverride: o === undefined ? null : { status: o.status, reason: o.reason, expiresOn: o.expiresOn },
      usage: usageMetrics(profile),
    };
  });
  const keyRows = ranking.filter((r) => r.isKey);
  const keyIds = new Set(keyRows.map((r) => r.accountId));
  const rowById = new Map(ranking.map((r) => [r.accountId, r]));

  const segments = keyRows.map((r) =>
    segmentAccount(
      {
        profile: profiles.get(r.accountId)!,
        powerFactorStandard: accountById.get(r.accountId)!.powerFactorStandard,
      },
      config,
    ),
  );
  const segmentCounts = Object.fromEntries(SEGMENT_ORDER.map((id) => [id, 0])) as Record<SegmentId, number>;
  for (const s of segments) segmentCounts[s.segmentId] += 1;

  const previousManager = new Map(input.previous?.keyAccounts.map((k) => [k.accountId, k.managerId]) ?? []);
  const managers = input.managers ?? [
    ...new Map(input.accounts.map((a) => [a.accountManager.id, a.accountManager])).values(),
  ];
  const assignment: AssignmentResult = assignManagers(
    keyRows.map((r) => ({
      accountId: r.accountId,
      revenue: profiles.get(r.accountId)!.revenue,
      currentManagerId: previousManager.get(r.accountId) ?? accountById.get(r.accountId)!.accountManager.id,
    })),
    managers,
    overrides.manager,
    config.managerWorkload,
  );
  warnings.push(...assignment.warnings);
  const managerOf = new Map(assignment.assignments.map((a) => [a.accountId, a.managerId]));

  const target = percent(dec(config.revenueShare));
  const expiredAlways = new Map(
    ignored
      .filter(
        (i) => i.why === 'expired' && i.override.kind === 'key-status' && i.override.status === 'always',
      )
      .map((i) => [i.override.accountId, i.override as KeyStatusOverride]),
  );
  const changes = diffSelections(input.previous, keyIds, asOf, (accountId, change) => {
    const row = rowById.get(accountId);
    if (row === undefined) return 'no longer an active account (terminated or not in the account list)';
    const place = `rank ${row.rank}, score ${row.score}, cumulative revenue share ${percent(dec(row.cumulativeShare))}%`;
    if (change === 'newly-key') {
      return row.keyBasis === 'override-always'
        ? `always-key override: ${row.keyOverride?.reason} (until ${row.keyOverride?.expiresOn})`
        : `${place}: within the head that makes ${target}% of revenue`;
    }
    if (row.excludedBy === 'override-never') {
      return `never-key override: ${row.keyOverride?.reason} (until ${row.keyOverride?.expiresOn})`;
    }
    const expired = expiredAlways.get(accountId);
    const lapse = expired === undefined ? '' : `always-key override expired on ${expired.expiresOn}; `;
    return `${lapse}${place}: outside the head that makes ${target}% of revenue`;
  });

  const totalEnergy = [...profiles.values()].reduce((acc, p) => acc.plus(p.energyKwh), dec(0));
  return {
    period,
    asOf,
    effectiveFrom: asOf,
    configVersion: config.version,
    windowFrom: shiftPeriod(period, 1 - config.historyPeriods),
    windowTo: period,
    totals: {
      accounts: active.length,
      revenue: fixed(pareto.totalRevenue, 2),
      energyKwh: fixed(totalEnergy, 0),
      terminatedExcluded: input.accounts.length - active.length,
    },
    targetShare: config.revenueShare,
    key: {
      count: keyRows.length,
      accountPercent:
        active.length === 0 ? '0.0' : fixed(dec(keyRows.length).times(100).div(active.length), 1),
      revenue: fixed(pareto.keyRevenue, 2),
      revenueShare: fixed(pareto.revenueShare, 4),
      paretoShare: fixed(pareto.paretoShare, 4),
      shareReached: pareto.shareReached,
    },
    ranking,
    keyAccountIds: keyRows.map((r) => r.accountId),
    previousEffectiveFrom: input.previous?.effectiveFrom ?? null,
    changes,
    segments,
    segmentCounts,
    servicePlans: config.servicePlans,
    assignments: assignment.assignments,
    workloads: assignment.workloads,
    overrides: { applied, ignored },
    selection: {
      period,
      effectiveFrom: asOf,
      configVersion: config.version,
      keyAccounts: segments.map((s) => ({
        accountId: s.accountId,
        segmentId: s.segmentId,
        managerId: managerOf.get(s.accountId) ?? null,
      })),
    },
    warnings,
  };
}
