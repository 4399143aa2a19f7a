import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { Tariff } from '#domain/tariff.ts';
import { billWith, inputError, SC, scWith, testAccount } from './helpers.ts';

/** Changes that break the SC tariff document, and the field the error must name. */
const BAD_TARIFFS: [string, (t: Tariff) => unknown, string][] = [
  [
    'a negative price',
    (t: Tariff) => (t.energyPrices.peak.purchase = '-0.1'),
    'tariffs.2.energyPrices.peak.purchase',
  ],
  [
    'a missing flat price',
    (t: Tariff) => Reflect.deleteProperty(t.energyPrices, 'flat'),
    'tariffs.2.energyPrices.flat',
  ],
  [
    'a price that is not a number',
    (t: Tariff) => (t.basicCharge.perKwMonth = 'abc'),
    'tariffs.2.basicCharge.perKwMonth',
  ],
  ['a malformed fund code', (t: Tariff) => (t.funds[1]!.code = 'bad code'), 'tariffs.2.funds.1.code'],
  ['a duplicate fund', (t: Tariff) => (t.funds[2]!.code = 'MAJOR_WATER'), 'tariffs.2.funds.2.code'],
  ['a bad effective date', (t: Tariff) => (t.effectiveFrom = '2023-13-01'), 'tariffs.2.effectiveFrom'],
  [
    'a window ending before it starts',
    (t: Tariff) => (t.touWindows[0]!.hours[0] = { from: 7, to: 3 }),
    'tariffs.2.touWindows.0.hours.0.to',
  ],
  [
    'an hour in two windows',
    (t: Tariff) => t.touWindows[1]!.hours.push({ from: 0, to: 1 }),
    'tariffs.2.touWindows.1.hours',
  ],
  [
    'an hour in no window',
    (t: Tariff) => (t.touWindows[0]!.hours = [{ from: 0, to: 7 }]),
    'tariffs.2.touWindows',
  ],
  [
    'sharp windows without a sharp price',
    (t: Tariff) => Reflect.deleteProperty(t.energyPrices, 'sharp'),
    'tariffs.2.energyPrices.sharp',
  ],
  [
    'a discount factor above 1',
    (t: Tariff) => (t.highUtilisationDemandDiscount.factor = '1.1'),
    'tariffs.2.highUtilisationDemandDiscount.factor',
  ],
];

describe('a bad tariff document is rejected, naming the field', () => {
  it.each(BAD_TARIFFS)('%s', (_, change, field) => {
    const tariffs = [...SAMPLE_TARIFFS.slice(0, 2), scWith(change)];
    expect(inputError(() => billWith({ tariffs })).field).toBe(field);
  });

  it('rejects two versions of a tariff with the same effective date', () => {
    expect(inputError(() => billWith({ tariffs: [SC, structuredClone(SC)] })).field).toBe(
      'tariffs.1.effectiveFrom',
    );
  });

  it('does not let a bad document of another tariff stop this account’s bill', () => {
    const badGd = {
      ...structuredClone(SAMPLE_TARIFFS[0]!),
      basicCharge: { perKvaMonth: 'x', perKwMonth: '1' },
    };
    expect(billWith({ tariffs: [badGd, SC] }).total).toMatch(/^\d+\.\d{2}$/);
  });

  it('rejects an account whose tariff has no version in force on the first day of the period', () => {
    const error = inputError(() => billWith({ period: '2023-05' }));
    expect(error.field).toBe('account.tariffId');
    expect(error.message).toContain('2023-05-01');
  });

  it('rejects an account whose tariff is not in the tariffs', () => {
    expect(inputError(() => billWith({ account: testAccount({ tariffId: 'NOPE' }) })).field).toBe(
      'account.tariffId',
    );
  });
});

describe('a bad account document is rejected, naming the field', () => {
  const valid = testAccount();
  it.each([
    ['a capacity that is not a number', { capacityKva: 'lots' }, 'account.capacityKva'],
    ['a zero capacity', { capacityKva: '0' }, 'account.capacityKva'],
    [
      'contracted demand missing for that method',
      { basicChargeMethod: 'contracted-demand' },
      'account.contractedDemandKw',
    ],
    ['an unknown PF standard', { powerFactorStandard: '0.95' }, 'account.powerFactorStandard'],
    ['an unknown method', { basicChargeMethod: 'flat-fee' }, 'account.basicChargeMethod'],
    ['a bad connection date', { connectedOn: '2026-02-30' }, 'account.connectedOn'],
    ['suspension above capacity', { suspendedKva: '1500' }, 'account.suspendedKva'],
    [
      'termination before connection',
      { connectedOn: '2026-05-01', terminatedOn: '2026-04-01' },
      'account.terminatedOn',
    ],
    ['a payment day past the 28th', { paymentDueDay: 31 }, 'account.paymentDueDay'],
  ] as const)('%s', (_, change, field) => {
    const account = { ...valid, ...change } as unknown as Account;
    expect(inputError(() => billWith({ account })).field).toBe(field);
  });
});
