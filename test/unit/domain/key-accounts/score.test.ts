import { describe, expect, it } from 'vitest';
import {
  configInEffect,
  DEFAULT_KEY_ACCOUNT_CONFIG,
  type KeyAccountConfig,
  KeyAccountConfigSchema,
} from '#domain/key-accounts/config.ts';
import type { OperatorOverride } from '#domain/key-accounts/overrides.ts';
import { rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import { normalise } from '#domain/key-accounts/score.ts';
import { dec } from '#domain/money.ts';
import { account, history } from './fixtures.ts';

const base = DEFAULT_KEY_ACCOUNT_CONFIG;

/*
 * Three accounts that different weights order differently:
 *   SHOP  commercial, the most revenue, a fully used connection (no headroom, high load factor);
 *   PLANT large industry, half the revenue, a connection four times its demand and a low load factor;
 *   FARM  agricultural, little revenue.
 */
const accounts = [
  account('SHOP', { category: 'commercial', capacityKva: '300' }),
  account('PLANT', { category: 'large-industrial', capacityKva: '2000' }),
  account('FARM', { category: 'agricultural', capacityKva: '200' }),
];
const bills = [
  ...history('SHOP', { kwh: 150_000, loadFactor: 0.74, price: '0.90' }),
  ...history('PLANT', { kwh: 100_000, loadFactor: 0.3, price: '0.70' }),
  ...history('FARM', { kwh: 20_000, loadFactor: 0.5, price: '0.50' }),
];
const rank = (config: KeyAccountConfig, overrides: OperatorOverride[] = []) =>
  rankKeyAccounts({ accounts, bills, config, overrides, asOf: '2026-11-01' });
const order = (config: KeyAccountConfig) => rank(config).ranking.map((r) => r.accountId);

describe('value score V = f(a, b, d, e)', () => {
  it('returns its components, and the weighted contributions add up to the score', () => {
    const result = rank(base);
    for (const r of result.ranking) {
      const c = r.components;
      const sum = dec(c.nature.contribution).plus(c.current.contribution).plus(c.potential.contribution);
      expect(sum.toDecimalPlaces(4).toFixed(4)).toBe(r.score);
      expect(c.formula).toContain(`= ${r.score}`);
    }
    const plant = result.ranking.find((r) => r.accountId === 'PLANT')!.components;
    expect(plant.nature).toMatchObject({
      category: 'large-industrial',
      categoryWeight: '1',
      value: '1.000000',
    });
    expect(dec(plant.potential.capacityHeadroomKw).gt(0)).toBe(true);
    expect(plant.potential.loadFactor?.startsWith('0.30')).toBe(true);
  });

  it('ranks by current consumption when it weighs most', () => {
    expect(order({ ...base, weights: { nature: '0.10', current: '0.80', potential: '0.10' } })).toEqual([
      'SHOP',
      'PLANT',
      'FARM',
    ]);
  });

  it('puts the account with the most potential first when potential weighs most', () => {
    expect(order({ ...base, weights: { nature: '0.10', current: '0.30', potential: '0.60' } })).toEqual([
      'PLANT',
      'SHOP',
      'FARM',
    ]);
  });

  it('puts large industry first when customer nature weighs most', () => {
    expect(order({ ...base, weights: { nature: '0.80', current: '0.20', potential: '0' } })).toEqual([
      'PLANT',
      'SHOP',
      'FARM',
    ]);
  });

  it('multiplies the score by the operator’s correction coefficient e, with its reason', () => {
    const result = rank(base, [
      {
        kind: 'score-correction',
        accountId: 'FARM',
        coefficient: '1.5',
        reason: '新建冷库，明年用电翻番',
        setOn: '2026-10-15',
      },
    ]);
    const farm = result.ranking.find((r) => r.accountId === 'FARM')!;
    const plain = rank(base).ranking.find((r) => r.accountId === 'FARM')!;
    expect(farm.components.correction).toEqual({
      coefficient: '1.5',
      requested: null,
      reason: '新建冷库，明年用电翻番',
    });
    expect(dec(farm.score).toFixed(2)).toBe(dec(plain.score).times('1.5').toFixed(2));
  });

  it('clamps a correction outside the configured range and says so', () => {
    const result = rank(base, [
      { kind: 'score-correction', accountId: 'FARM', coefficient: '9', reason: 'typo', setOn: '2026-10-01' },
    ]);
    const farm = result.ranking.find((r) => r.accountId === 'FARM')!;
    expect(farm.components.correction).toMatchObject({ coefficient: '1.5', requested: '9' });
    expect(result.warnings.some((w) => w.includes('FARM') && w.includes('outside'))).toBe(true);
  });
});

describe('normalisation across the population', () => {
  const values = ['10', '1000', '1000', '100000'].map((v) => dec(v));

  it.each([
    ['percentile', ['0.000000', '0.500000', '0.500000', '1.000000']],
    ['linear-max', ['0.000100', '0.010000', '0.010000', '1.000000']],
    ['log-max', ['0.208278', '0.600086', '0.600086', '1.000000']],
  ] as const)('%s brings values to 0–1', (method, expected) => {
    expect(normalise(values, method).map((v) => v.toFixed(6))).toEqual(expected);
  });
});

describe('ranking configuration document', () => {
  it('validates the built-in defaults', () => {
    expect(KeyAccountConfigSchema.parse(base)).toEqual(base);
  });

  it.each([
    ['a share above 1', { revenueShare: '1.2' }, 'revenueShare'],
    ['all weights zero', { weights: { nature: '0', current: '0', potential: '0' } }, 'weights'],
    ['a missing version', { version: '' }, 'version'],
    [
      'a service plan with no channel',
      { nonKeyServicePlan: { leadAdvice: null, channels: [], daysBeforeDue: 5 } },
      'nonKeyServicePlan',
    ],
  ])('rejects %s', (_, change, path) => {
    const parsed = KeyAccountConfigSchema.safeParse({ ...base, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toContain(path);
  });

  it('uses the version in effect on the day', () => {
    const v1 = { ...base, version: 'v1', effectiveFrom: '2025-01-01' };
    const v2 = { ...base, version: 'v2', effectiveFrom: '2026-07-01' };
    expect(configInEffect([v2, v1], '2026-06-30')?.version).toBe('v1');
    expect(configInEffect([v2, v1], '2026-07-01')?.version).toBe('v2');
    expect(configInEffect([v2, v1], '2024-12-31')).toBeUndefined();
  });

  it('records the configuration version on the selection and refuses one not yet in effect', () => {
    expect(rank({ ...base, version: 'test-7' }).selection.configVersion).toBe('test-7');
    expect(() => rank({ ...base, effectiveFrom: '2026-12-01' })).toThrow(/takes effect on 2026-12-01/);
  });
});
