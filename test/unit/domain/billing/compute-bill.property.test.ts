import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { METER_READ_COLUMNS, type MeterReadRow, MeterReadRowSchema } from '#domain/meter-read.ts';
import { dec } from '#domain/money.ts';
import { testAccount } from './helpers.ts';

/*
 * Properties over random valid inputs: any account shape, 1–3 meters or a meter change, roll-overs, band
 * mismatches, reactive export, pro-rated months and tariff splits. Registers are generated in integer
 * hundredths and wrap at 10^7 (register_digits 7).
 */

const WRAP = 1_000_000_000; // 10^7 register units in hundredths
const hundredths = (n: number): string => dec(n).div(100).toFixed(2);

const registerPair = (start: number, advance: number): [string, string] => [
  hundredths(start),
  hundredths((start + advance) % WRAP),
];

const meterArb = fc.record({
  multiplier: fc.constantFrom('1', '20', '80', '1000', '2.5'),
  // Starts anywhere, or just below the wrap so that roll-overs are common.
  starts: fc.array(
    fc.oneof(fc.integer({ min: 0, max: WRAP - 1 }), fc.integer({ min: WRAP - 3_000_000, max: WRAP - 1 })),
    { minLength: 7, maxLength: 7 },
  ),
  sharp: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: undefined }),
  peak: fc.integer({ min: 0, max: 5_000_000 }),
  flat: fc.integer({ min: 0, max: 5_000_000 }),
  valley: fc.integer({ min: 0, max: 5_000_000 }),
  /** Difference of the total register from the band sum, in hundredths (mostly 0). */
  mismatch: fc.oneof(fc.constant(0), fc.integer({ min: -500, max: 500 })),
  kvarh: fc.integer({ min: 0, max: 8_000_000 }),
  kvarhExport: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
  demand: fc.integer({ min: 0, max: 2_000_000 }),
});
type MeterSpec = typeof meterArb extends fc.Arbitrary<infer T> ? T : never;

function row(
  spec: MeterSpec,
  meterId: string,
  readType: MeterReadRow['readType'],
  period: string,
): MeterReadRow {
  const cells = Object.fromEntries(METER_READ_COLUMNS.map((c) => [c, ''])) as Record<string, string>;
  const s = spec.starts as number[];
  const bands = (spec.sharp ?? 0) + spec.peak + spec.flat + spec.valley;
  const set = (name: string, pair: [string, string]) => {
    cells[`${name}_start`] = pair[0];
    cells[`${name}_end`] = pair[1];
  };
  Object.assign(cells, {
    account_id: 'A1',
    meter_id: meterId,
    period,
    read_at: `${period}-20T12:00:00+08:00`,
    read_type: readType,
    multiplier: spec.multiplier,
    max_demand_kw: hundredths(spec.demand),
    register_digits: '7',
  });
  set('kwh_total', registerPair(s[0]!, Math.max(0, bands + spec.mismatch)));
  if (spec.sharp !== undefined) set('kwh_sharp', registerPair(s[1]!, spec.sharp));
  set('kwh_peak', registerPair(s[2]!, spec.peak));
  set('kwh_flat', registerPair(s[3]!, spec.flat));
  set('kwh_valley', registerPair(s[4]!, spec.valley));
  set('kvarh', registerPair(s[5]!, spec.kvarh));
  if (spec.kvarhExport !== undefined) set('kvarh_export', registerPair(s[6]!, spec.kvarhExport));
  return MeterReadRowSchema.parse(cells);
}

const inputArb = fc
  .record({
    month: fc.integer({ min: 1, max: 12 }),
    tariffId: fc.constantFrom('GD-LI-1-10KV', 'SC-LI-1-10KV'),
    method: fc.constantFrom('capacity', 'contracted-demand', 'actual-demand'),
    capacity: fc.integer({ min: 100, max: 40_000 }),
    suspendedShare: fc.constantFrom(0, 0, 0.25, 0.5),
    contractShare: fc.double({ min: 0.1, max: 1.2, noNaN: true }),
    standard: fc.constantFrom('0.90', '0.85', '0.80'),
    connectedDay: fc.option(fc.integer({ min: 1, max: 28 }), { nil: undefined }),
    meters: fc.array(meterArb, { minLength: 1, maxLength: 3 }),
    meterChange: fc.boolean(),
  })
  .map((r) => {
    const period = `2026-${String(r.month).padStart(2, '0')}`;
    const contracted = Math.max(1, Math.round(r.capacity * r.contractShare));
    const account = testAccount({
      tariffId: r.tariffId,
      basicChargeMethod: r.method,
      capacityKva: String(r.capacity),
      suspendedKva: String(Math.floor(r.capacity * r.suspendedShare)),
      contractedDemandKw: String(contracted),
      powerFactorStandard: r.standard,
      ...(r.connectedDay === undefined
        ? {}
        : { connectedOn: `${period}-${String(r.connectedDay).padStart(2, '0')}` }),
    });
    const reads =
      r.meterChange && r.meters.length >= 2
        ? [row(r.meters[0]!, 'OLD', 'meter_out', period), row(r.meters[1]!, 'NEW', 'meter_in', period)]
        : r.meters.map((m, i) => row(m, `M${i}`, 'actual', period));
    return { account, tariffs: SAMPLE_TARIFFS, reads, period };
  });

const BASE_CODES = /^(BASIC_|ENERGY_)/;

describe('bill engine properties', () => {
  it('never prints NaN or a negative energy, and the printed lines always add up', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const bill = computeBill({ ...input, advice: { enabled: false } });
        expect(JSON.stringify(bill)).not.toMatch(/NaN|Infinity/);
        for (const line of bill.lines) {
          expect(line.amount).toMatch(/^-?\d+\.\d{2}$/);
          if (line.unit === 'kWh') expect(dec(line.quantity).isNegative()).toBe(false);
        }
        for (const v of [
          bill.consumption.totalKwh,
          bill.consumption.kvarh,
          ...Object.values(bill.consumption.byBand),
        ])
          expect(dec(v!).isNegative()).toBe(false);
        expect(bill.lines.reduce((s, l) => s.plus(l.amount), dec(0)).toFixed(2)).toBe(bill.total);
        // Energy lines of each band add up to the band's consumption (a split loses nothing).
        const energy = bill.lines
          .filter((l) => l.code.startsWith('ENERGY_'))
          .reduce((s, l) => s.plus(l.quantity), dec(0));
        const bands = Object.values(bill.consumption.byBand).reduce((s, v) => s.plus(v!), dec(0));
        expect(energy.toFixed()).toBe(bands.toFixed());
        // The PF adjustment is the rounded percentage of the printed basic + energy lines, never of funds.
        const pf = bill.lines.find((l) => l.code === 'POWER_FACTOR_ADJUSTMENT');
        if (pf !== undefined) {
          const base = bill.lines
            .filter((l) => BASE_CODES.test(l.code))
            .reduce((s, l) => s.plus(l.amount), dec(0));
          expect(pf.quantity).toBe(base.toFixed(2));
          expect(pf.amount).toBe(
            base.times(bill.powerFactor.adjustmentPercent).div(100).toDecimalPlaces(2).toFixed(2),
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic, and its advice only ever promises savings', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const first = computeBill(input);
        expect(computeBill(input)).toEqual(first);
        for (const advice of first.advice) expect(dec(advice.saving).gt(0)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
