import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KEY_ACCOUNT_CONFIG } from '#domain/key-accounts/config.ts';
import { generatePopulation, type Population } from '#domain/key-accounts/population.ts';
import { type KeyAccountRanking, rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import { dec } from '#domain/money.ts';

// The skew is read off the ranking's revenues, so the population is ranked too.
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
});

describe('generated population', () => {
  it('has twelve bill-like periods per account with bands adding up to the total', () => {
    expect(population.accounts).toHaveLength(COUNT);
    expect(population.bills).toHaveLength(COUNT * 12);
    for (const bill of population.bills.slice(0, 240)) {
      const { sharp, peak, flat, valley } = bill.consumption.byBand;
      expect(dec(sharp!).plus(peak!).plus(flat!).plus(valley!).toFixed()).toBe(bill.consumption.totalKwh);
      expect(bill.total).toMatch(/^\d+\.\d{2}$/);
      expect(bill.powerFactor.value).toMatch(/^[01]\.\d{2}$/);
    }
  });

  it('is skewed like a supply area: the top fifth of accounts by revenue make most of it', () => {
    const revenues = result.ranking.map((r) => dec(r.revenue)).sort((a, b) => b.comparedTo(a));
    const total = revenues.reduce((acc, r) => acc.plus(r), dec(0));
    const top = revenues.slice(0, COUNT / 5).reduce((acc, r) => acc.plus(r), dec(0));
    expect(top.div(total).toNumber()).toBeGreaterThan(0.7);
    const median = revenues[COUNT / 2]!;
    const mean = total.div(COUNT);
    expect(mean.gt(median.times(2))).toBe(true);
  });

  it('is the same population for the same seed, and another for another seed', () => {
    const a = generatePopulation({ count: 200, lastPeriod: '2026-10', seed: 7 });
    const b = generatePopulation({ count: 200, lastPeriod: '2026-10', seed: 7 });
    const c = generatePopulation({ count: 200, lastPeriod: '2026-10', seed: 8 });
    expect(b).toEqual(a);
    expect(c.bills.map((x) => x.total)).not.toEqual(a.bills.map((x) => x.total));
  });

  it('stays the population the demo and the CLI were built on (digest recorded before its split)', () => {
    const digest = (options: Parameters<typeof generatePopulation>[0]) =>
      createHash('sha256')
        .update(JSON.stringify(generatePopulation(options)))
        .digest('hex');
    expect(digest({ count: 300, lastPeriod: '2026-10' })).toBe(
      '6a4cc2be08265de8b1f7599baf3b402ea26a6e7d692d15f438cd36780c5665f8',
    );
    expect(digest({ count: 300, lastPeriod: '2026-10', seed: 7, periods: 6 })).toBe(
      '1fb14a3b5db2800223a6d24b925545e5c2bc13bfb9d1a7f33fe7eaf1cd7f53e8',
    );
  });
});
