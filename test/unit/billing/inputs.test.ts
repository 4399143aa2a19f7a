import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/domain/account.ts';
import {
  BillingInputError,
  compileTariff,
  computeBill,
  SAMPLE_TARIFFS,
} from '../../../shared/domain/billing/index.ts';
import type { MeterReadRow } from '../../../shared/domain/meter-read.ts';
import type { Tariff } from '../../../shared/domain/tariff.ts';
import { findingCodes, lineFacts, readRow, testAccount } from './helpers.ts';

const SC = SAMPLE_TARIFFS.find((t) => t.tariffId === 'SC-LI-1-10KV')!;

const simpleRead = (overrides: Partial<Parameters<typeof readRow>[0]> = {}): MeterReadRow =>
  readRow({
    multiplier: '1',
    total: ['0', '300'],
    peak: ['0', '100'],
    flat: ['0', '100'],
    valley: ['0', '100'],
    kvarh: ['0', '100'],
    demand: '100',
    ...overrides,
  });

const billWith = (parts: {
  account?: Account;
  tariffs?: readonly Tariff[];
  reads?: readonly MeterReadRow[];
  period?: string;
}) =>
  computeBill({
    account: parts.account ?? testAccount(),
    tariffs: parts.tariffs ?? SAMPLE_TARIFFS,
    reads: parts.reads ?? [simpleRead()],
    period: parts.period ?? '2026-10',
    advice: { enabled: false },
  });

/** The BillingInputError thrown by `run`, to assert its field. */
function inputError(run: () => unknown): BillingInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof BillingInputError) return error;
    throw error;
  }
  throw new Error('expected a BillingInputError');
}

/** A deep copy of the SC tariff with one change, as a JSON document would arrive. */
const scWith = (change: (t: Tariff) => void): Tariff => {
  const copy = structuredClone(SC) as Tariff;
  change(copy);
  return copy;
};

describe('sample tariffs', () => {
  it.each(SAMPLE_TARIFFS.map((t) => [`${t.tariffId} ${t.effectiveFrom}`, t] as const))(
    '%s is a valid tariff document',
    (_, tariff) => {
      expect(() => compileTariff(tariff)).not.toThrow();
    },
  );

  it('keep the provincial ratios: GD peak : flat : valley = 1.7 : 1 : 0.38, sharp = peak + 25 %; SC 1.6 : 1 : 0.4, +20 %', () => {
    const prices = (t: Tariff) => {
      const c = compileTariff(t).bands;
      return [
        c.sharp!.price.div(c.peak!.price),
        c.peak!.price.div(c.flat!.price),
        c.valley!.price.div(c.flat!.price),
      ].map((d) => d.toFixed());
    };
    for (const gd of SAMPLE_TARIFFS.filter((t) => t.tariffId === 'GD-LI-1-10KV'))
      expect(prices(gd)).toEqual(['1.25', '1.7', '0.38']);
    expect(prices(SC)).toEqual(['1.2', '1.6', '0.4']);
  });

  it('include a GD version that starts inside a month, to show a tariff split', () => {
    expect(SAMPLE_TARIFFS.filter((t) => t.tariffId === 'GD-LI-1-10KV').map((t) => t.effectiveFrom)).toEqual([
      '2026-01-01',
      '2026-06-16',
    ]);
  });
});

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

describe('reads that cannot be billed are rejected, naming the CSV column', () => {
  it.each([
    ['no reads at all', [], 'reads'],
    ['a read of another account', [simpleRead({ accountId: 'B2' })], 'account_id'],
    ['a read of another period', [simpleRead({ period: '2026-09' })], 'period'],
    ['two actual reads of one meter', [simpleRead(), simpleRead()], 'meter_id'],
    [
      'a start register too large for register_digits',
      [simpleRead({ digits: '3', total: ['5000', '10'] })],
      'register_digits',
    ],
  ] as const)('%s', (_, reads, field) => {
    expect(inputError(() => billWith({ reads })).field).toBe(field);
  });

  it('rejects a register that is not a number in rows that bypassed the parser', () => {
    const row = simpleRead();
    const broken = { ...row, kwhTotal: { start: '0', end: 'NaN' } };
    expect(inputError(() => billWith({ reads: [broken] })).field).toBe('kwh_total_end');
  });

  it('rejects an end register too large for register_digits', () => {
    expect(
      inputError(() => billWith({ reads: [simpleRead({ digits: '3', total: ['10', '5000'] })] })).field,
    ).toBe('register_digits');
  });

  it('rejects a share of peak energy to move that is not between 0 and 1', () => {
    const run = () =>
      computeBill({
        account: testAccount(),
        tariffs: SAMPLE_TARIFFS,
        reads: [simpleRead()],
        period: '2026-10',
        advice: { peakShiftShare: '1.5' },
      });
    expect(inputError(run).field).toBe('advice.peakShiftShare');
  });

  it('rejects a period that is not YYYY-MM', () => {
    expect(inputError(() => billWith({ period: '2026-13' })).field).toBe('period');
  });
});

describe('consumption findings (billed, and reported rather than fixed)', () => {
  it('reports band registers that miss the total beyond the resolution, bills bands as read and funds on the total', () => {
    // total 300 but bands 100 + 100 + 90 = 290: a 10 kWh gap, far beyond 3 × 0.01.
    const b = billWith({
      reads: [simpleRead({ total: ['0.00', '300.00'], valley: ['0.00', '90.00'] })],
    });
    expect(findingCodes(b)).toEqual(['BAND_SUM_MISMATCH']);
    expect(b.findings[0]!.message).toContain('difference -10 kWh');
    expect(b.consumption.byBand.valley).toBe('90');
    expect(b.lines.find((l) => l.code === 'FUND_RENEWABLE')!.quantity).toBe('300');
  });

  it('accepts band registers within one resolution step per band', () => {
    // bands 100.01 + 100.00 + 99.98 = 299.99 vs 300.00: 0.01 ≤ 3 × 0.01
    const b = billWith({
      reads: [
        simpleRead({
          total: ['0.00', '300.00'],
          peak: ['0.00', '100.01'],
          flat: ['0.00', '100.00'],
          valley: ['0.00', '99.98'],
        }),
      ],
    });
    expect(findingCodes(b)).toEqual([]);
  });

  it('reports an estimated read', () => {
    expect(findingCodes(billWith({ reads: [simpleRead({ readType: 'estimated' })] }))).toEqual([
      'ESTIMATED_READ',
    ]);
  });

  it('reports a meter_out without its meter_in and adds its demand as a line of its own', () => {
    const b = billWith({
      account: testAccount({ basicChargeMethod: 'actual-demand', capacityKva: '100' }),
      reads: [simpleRead({ meterId: 'L1' }), simpleRead({ meterId: 'L2', readType: 'meter_out' })],
    });
    expect(findingCodes(b)).toEqual(['UNPAIRED_METER_CHANGE']);
    expect(b.demand.maxDemandKw).toBe('200');
  });

  it('reports a roll-over that implies more than half the register', () => {
    // 4 inferred digits: 10,000 − 2,000 + 1,000 = 9,000 register units
    const b = billWith({
      reads: [
        simpleRead({
          total: ['2000', '1000'],
          peak: ['0', '3000'],
          flat: ['0', '3000'],
          valley: ['0', '3000'],
        }),
      ],
    });
    expect(findingCodes(b)).toEqual(['REGISTER_ROLLOVER', 'IMPLAUSIBLE_ROLLOVER']);
    expect(b.consumption.totalKwh).toBe('9000');
  });

  it('bills sharp-register energy at the peak price under a tariff without a sharp price, and says so', () => {
    const noSharp = scWith((t) => {
      Reflect.deleteProperty(t.energyPrices, 'sharp');
      t.touWindows = t.touWindows.filter((w: { band: string }) => w.band !== 'sharp');
    });
    const b = billWith({
      tariffs: [noSharp],
      reads: [simpleRead({ total: ['0', '400'], sharp: ['0', '100'] })],
    });
    expect(lineFacts(b).filter(([code]) => code.startsWith('ENERGY_'))).toEqual([
      ['ENERGY_PEAK', '200', '0.9200', '184.00'],
      ['ENERGY_FLAT', '100', '0.5750', '57.50'],
      ['ENERGY_VALLEY', '100', '0.2300', '23.00'],
    ]);
    expect(findingCodes(b)).toEqual(['SHARP_WITHOUT_PRICE']);
  });
});

describe('power factor without active energy', () => {
  it('prints no PF line, applies no adjustment and reports why', () => {
    const b = billWith({
      reads: [
        simpleRead({
          total: ['5', '5'],
          peak: ['1', '1'],
          flat: ['1', '1'],
          valley: ['3', '3'],
          kvarh: ['0', '40'],
          demand: '0',
        }),
      ],
    });
    expect(b.lines.map((l) => l.code)).not.toContain('POWER_FACTOR_ADJUSTMENT');
    expect(b.powerFactor).toMatchObject({ value: '0.00', adjustmentPercent: '0.00', applied: false });
    expect(findingCodes(b)).toEqual(['POWER_FACTOR_UNDEFINED']);
    // the basic charge is still due: 1,000 kVA × 26.00
    expect(b.total).toBe('26000.00');
  });
});

describe('tariff split by days', () => {
  it('shares energy by days, the earlier shares cut to 0.01 kWh and the last taking the remainder', () => {
    // June 2026: GD 2026-01-01 for days 1–15, 2026-06-16 for days 16–30. 1,000.01 kWh flat:
    // 1,000.01 × 15/30 = 500.005 → 500.00; remainder 500.01.
    const b = billWith({
      account: testAccount({ tariffId: 'GD-LI-1-10KV' }),
      period: '2026-06',
      reads: [
        simpleRead({
          period: '2026-06',
          total: ['0.00', '1000.01'],
          peak: ['0.00', '0.00'],
          flat: ['0.00', '1000.01'],
          valley: ['0.00', '0.00'],
        }),
      ],
    });
    const flat = b.lines.filter((l) => l.code === 'ENERGY_FLAT');
    expect(flat.map((l) => [l.quantity, l.unitPrice, l.amount])).toEqual([
      ['500', '0.6000', '300.00'],
      ['500.01', '0.6200', '310.01'],
    ]);
  });

  it('uses the version in force: a July bill is wholly on the mid-year version', () => {
    const b = billWith({
      account: testAccount({ tariffId: 'GD-LI-1-10KV' }),
      period: '2026-07',
      reads: [simpleRead({ period: '2026-07' })],
    });
    expect(b.tariffVersions).toEqual([{ tariffId: 'GD-LI-1-10KV', effectiveFrom: '2026-06-16', days: 31 }]);
  });
});
