import type { Account } from '../account.ts';
import { periodBefore, shiftPeriod } from '../calendar/index.ts';
import { Dec, dec } from '../money.ts';
import type { SegmentId } from './config.ts';
import { type AssignmentResult, assignManagers } from './managers.ts';
import {
  type ActiveOverrides,
  activeOverrides,
  type KeyStatusOverride,
  type OperatorOverride,
} from './overrides.ts';
import type { IgnoredOverride, KeyAccountRanking, RankedAccount, RankKeyAccountsInput } from './ranking.ts';
import { computeValueScores, type ValueScore } from './score.ts';
import { SEGMENT_ORDER, type SegmentAssignment, segmentAccount } from './segments.ts';
import { diffSelections, type KeyStatusChange, type ParetoSelection, selectParetoSet } from './selection.ts';
import { indexBills, type UsageProfile, usageMetrics, usageProfile } from './usage.ts';

/*
 * The monthly key-account run as one pure function: bill history in, ranking, key set, changes,
 * segments and manager assignments out. The caller stores `selection` (what later runs and the notice
 * planner read) and renders the rest (report.ts).
 */

export type { IgnoredOverride, KeyAccountRanking, RankedAccount, RankKeyAccountsInput } from './ranking.ts';

export class KeyAccountInputError extends Error {
  override name = 'KeyAccountInputError';
}

const fixed = (v: Dec, places: number): string =>
  v.toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed(places);
const percent = (ratio: Dec): string => fixed(ratio.times(100), 1);

export function rankKeyAccounts(input: RankKeyAccountsInput): KeyAccountRanking {
  const { config, asOf } = input;
  checkRunDates(input);
  const period = input.period ?? periodBefore(asOf);
  const warnings: string[] = [];

  const active = input.accounts.filter((a) => a.terminatedOn === undefined || a.terminatedOn >= asOf);
  const accountIds = new Set(active.map((a) => a.accountId));
  const billsByAccount = indexBills(input.bills);
  const strayBills = input.bills.filter((b) => !accountIds.has(b.accountId)).length;
  if (strayBills > 0)
    warnings.push(`${strayBills} bills for accounts not ranked (unknown or terminated) ignored`);

  const { overrides, applied, ignored } = overridesForRankedAccounts(input.overrides ?? [], accountIds, asOf);

  const profiles = new Map<string, UsageProfile>();
  for (const a of active) {
    profiles.set(
      a.accountId,
      usageProfile(a.accountId, billsByAccount.get(a.accountId), period, config.historyPeriods),
    );
  }
  const run: RankingRun = {
    input,
    period,
    active,
    accountById: new Map(active.map((a) => [a.accountId, a])),
    profiles,
    overrides,
    ignored,
  };

  const { order, warnings: scoreWarnings } = scoreOrder(run);
  warnings.push(...scoreWarnings);

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

  const ranking = rankedAccounts(run, order, pareto);
  const keyRows = ranking.filter((r) => r.isKey);
  const { segments, segmentCounts } = segmentKeyAccounts(run, keyRows);
  const assignment = assignKeyAccountManagers(run, keyRows);
  warnings.push(...assignment.warnings);
  const changes = keyStatusChanges(run, ranking, keyRows);

  return rankingResult(run, {
    pareto,
    ranking,
    keyRows,
    changes,
    segments,
    segmentCounts,
    assignment,
    applied,
    warnings,
  });
}

/** What the steps of one run share: the input, the active accounts, their profiles and overrides. */
interface RankingRun {
  input: RankKeyAccountsInput;
  period: string;
  active: readonly Account[];
  accountById: ReadonlyMap<string, Account>;
  profiles: ReadonlyMap<string, UsageProfile>;
  /** In force on asOf, for ranked accounts only. */
  overrides: ActiveOverrides;
  ignored: IgnoredOverride[];
}

interface OrderedScore {
  s: ValueScore;
  score: Dec;
  revenue: Dec;
}

function checkRunDates(input: RankKeyAccountsInput): void {
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
}

/** The overrides in force on asOf; those naming an account not ranked are ignored as unknown. */
function overridesForRankedAccounts(
  all: readonly OperatorOverride[],
  accountIds: ReadonlySet<string>,
  asOf: string,
): { overrides: ActiveOverrides; applied: OperatorOverride[]; ignored: IgnoredOverride[] } {
  const overrides = activeOverrides(all, asOf);
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
  return { overrides, applied, ignored };
}

/** Every active account's value score, best first (ties: more revenue, then account id). */
function scoreOrder(run: RankingRun): { order: OrderedScore[]; warnings: string[] } {
  const { active, profiles, overrides } = run;
  const { scores, warnings } = computeValueScores(
    active.map((account) => ({
      account,
      profile: profiles.get(account.accountId)!,
      ...(overrides.correction.has(account.accountId)
        ? { correction: overrides.correction.get(account.accountId)! }
        : {}),
    })),
    run.input.config,
  );
  const order = scores
    .map((s) => ({ s, score: dec(s.score), revenue: profiles.get(s.accountId)!.revenue }))
    .sort(
      (x, y) =>
        y.score.comparedTo(x.score) ||
        y.revenue.comparedTo(x.revenue) ||
        x.s.accountId.localeCompare(y.s.accountId),
    );
  return { order, warnings };
}

function rankedAccounts(
  run: RankingRun,
  order: readonly OrderedScore[],
  pareto: ParetoSelection,
): RankedAccount[] {
  const { accountById, profiles, overrides } = run;
  return order.map(({ s }, i) => {
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
}

function segmentKeyAccounts(
  run: RankingRun,
  keyRows: readonly RankedAccount[],
): { segments: SegmentAssignment[]; segmentCounts: Record<SegmentId, number> } {
  const segments = keyRows.map((r) =>
    segmentAccount(
      {
        profile: run.profiles.get(r.accountId)!,
        powerFactorStandard: run.accountById.get(r.accountId)!.powerFactorStandard,
      },
      run.input.config,
    ),
  );
  const segmentCounts = Object.fromEntries(SEGMENT_ORDER.map((id) => [id, 0])) as Record<SegmentId, number>;
  for (const s of segments) segmentCounts[s.segmentId] += 1;
  return { segments, segmentCounts };
}

function assignKeyAccountManagers(run: RankingRun, keyRows: readonly RankedAccount[]): AssignmentResult {
  const { input, accountById, profiles } = run;
  const previousManager = new Map(input.previous?.keyAccounts.map((k) => [k.accountId, k.managerId]) ?? []);
  const managers = input.managers ?? [
    ...new Map(input.accounts.map((a) => [a.accountManager.id, a.accountManager])).values(),
  ];
  return assignManagers(
    keyRows.map((r) => ({
      accountId: r.accountId,
      revenue: profiles.get(r.accountId)!.revenue,
      currentManagerId: previousManager.get(r.accountId) ?? accountById.get(r.accountId)!.accountManager.id,
    })),
    managers,
    run.overrides.manager,
    input.config.managerWorkload,
  );
}

/** The changes against the previous selection, each with the reason an operator reads. */
function keyStatusChanges(
  run: RankingRun,
  ranking: readonly RankedAccount[],
  keyRows: readonly RankedAccount[],
): KeyStatusChange[] {
  const { input } = run;
  const keyIds = new Set(keyRows.map((r) => r.accountId));
  const rowById = new Map(ranking.map((r) => [r.accountId, r]));
  const target = percent(dec(input.config.revenueShare));
  const expiredAlways = new Map(
    run.ignored
      .filter(
        (i) => i.why === 'expired' && i.override.kind === 'key-status' && i.override.status === 'always',
      )
      .map((i) => [i.override.accountId, i.override as KeyStatusOverride]),
  );
  return diffSelections(input.previous, keyIds, input.asOf, (accountId, change) => {
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
}

interface RankingParts {
  pareto: ParetoSelection;
  ranking: RankedAccount[];
  keyRows: RankedAccount[];
  changes: KeyStatusChange[];
  segments: SegmentAssignment[];
  segmentCounts: Record<SegmentId, number>;
  assignment: AssignmentResult;
  applied: OperatorOverride[];
  warnings: string[];
}

function rankingResult(run: RankingRun, parts: RankingParts): KeyAccountRanking {
  const { input, period, active, profiles } = run;
  const { config, asOf } = input;
  const { pareto, keyRows, segments, assignment } = parts;
  const managerOf = new Map(assignment.assignments.map((a) => [a.accountId, a.managerId]));
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
    ranking: parts.ranking,
    keyAccountIds: keyRows.map((r) => r.accountId),
    previousEffectiveFrom: input.previous?.effectiveFrom ?? null,
    changes: parts.changes,
    segments,
    segmentCounts: parts.segmentCounts,
    servicePlans: config.servicePlans,
    assignments: assignment.assignments,
    workloads: assignment.workloads,
    overrides: { applied: parts.applied, ignored: run.ignored },
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
    warnings: parts.warnings,
  };
}
