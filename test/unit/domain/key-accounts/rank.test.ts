import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KEY_ACCOUNT_CONFIG } from '#domain/key-accounts/config.ts';
import { generatePopulation, type Population } from '#domain/key-accounts/population.ts';
import { type KeyAccountRanking, rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import { dec } from '#domain/money.ts';

const COUNT = 5_000;
let population: Population;
let result: KeyAccountRanking;

beforeAll(() => {
  population = generatePopulation({ count: COUNT, lastPeriod: '2026-10', seed: 42 });
  result = rankKeyAccounts({
    accounts: population.accounts,
    bills: population.bills,
    config: DEFAULT_KEY_ACCOUNT_CONFIG,
    asOf: '2026-11-01',
  });
  console.log(
    `Pareto check on ${COUNT} generated accounts: ${result.key.count} key accounts (${result.key.accountPercent} %) ` +
      `make ${dec(result.key.revenueShare).times(100).toFixed(1)} % of revenue; segments ${JSON.stringify(result.segmentCounts)}`,
  );
});

describe('key-account selection by the Pareto rule', () => {
  it('selects a key set that makes at least the configured 80 % of revenue', () => {
    expect(result.key.shareReached).toBe(true);
    expect(dec(result.key.revenueShare).gte('0.80')).toBe(true);
    const keyRevenue = result.ranking.filter((r) => r.isKey).reduce((acc, r) => acc.plus(r.revenue), dec(0));
    expect(keyRevenue.div(result.totals.revenue).gte('0.80')).toBe(true);
  });

  it('selects a plausible Pareto share of the accounts (10–35 %)', () => {
    const share = result.key.count / COUNT;
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.35);
  });

  it('selects the smallest such head of the ranking: without its lowest-ranked account it falls short', () => {
    const key = result.ranking.filter((r) => r.isKey);
    expect(key.map((r) => r.rank)).toEqual(key.map((_, i) => i + 1));
    const withoutLast = key.slice(0, -1).reduce((acc, r) => acc.plus(r.revenue), dec(0));
    expect(withoutLast.div(result.totals.revenue).lt('0.80')).toBe(true);
  });

  it('ranks by value score, best first, and every key account has a segment and a manager', () => {
    const scores = result.ranking.map((r) => dec(r.score));
    for (let i = 1; i < scores.length; i += 1) expect(scores[i - 1]!.gte(scores[i]!)).toBe(true);
    expect(result.segments.map((s) => s.accountId)).toEqual(result.keyAccountIds);
    expect(result.assignments.map((a) => a.accountId)).toEqual(result.keyAccountIds);
    expect(Object.values(result.segmentCounts).reduce((a, b) => a + b, 0)).toBe(result.key.count);
    expect(result.selection.keyAccounts).toHaveLength(result.key.count);
  });
});
