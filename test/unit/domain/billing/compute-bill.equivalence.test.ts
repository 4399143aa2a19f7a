import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account.ts';
import { type BillInput, computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { METER_READ_COLUMNS, type MeterReadRow, MeterReadRowSchema } from '#domain/meter-read.ts';
import { Dec } from '#domain/money.ts';
import type { Tariff } from '#domain/tariff.ts';
import {
  type GeneratedAccount,
  generateAccounts,
  generateMeterReadRows,
  seededRandom,
} from '../../../../local/runner/fixtures.ts';
import { referenceComputeBill } from '../../../oracle/billing-reference/index.ts';
import { readRow, testAccount } from './helpers.ts';

/*
 * The optimised engine (BigInt arithmetic, advice priced from the bill's context) against the reference:
 * the straightforward decimal.js engine as it was, kept as a test oracle in test/oracle/billing-reference/.
 * For every input both must print the same bill, byte for byte, or throw the same error.
 */

/** The bill as JSON, or the error it throws, so that a difference in either shows in the comparison. */
function outcome(compute: (input: BillInput) => unknown, input: BillInput): string {
  try {
    return JSON.stringify(compute(input));
  } catch (error) {
    const e = error as Error & { field?: string };
    return `${e.name} ${e.field ?? ''} ${e.message}`;
  }
}

function expectSameBill(input: BillInput): void {
  expect(outcome(computeBill, input)).toBe(outcome(referenceComputeBill, input));
}

const band = (purchase: string, lineLoss: string, td: string, sysOp: string) => ({
  purchase,
  lineLoss,
  transmissionDistribution: td,
  systemOperation: sysOp,
});

/*
 * A tariff with three versions in October 2026 (so bills split into three segments), six-decimal prices,
 * a version without a sharp price and funds that change between versions.
 */
const ODD_V1: Tariff = {
  tariffId: 'ODD-6DP',
  effectiveFrom: '2026-01-01',
  name: { 'zh-CN': '测试电价', en: 'Test tariff' },
  province: 'Test',
  voltageClass: '1-10kV',
  currency: 'CNY',
  touWindows: [],
  energyPrices: {
    sharp: band('0.912345', '0.041001', '0.330007', '0.040003'),
    peak: band('0.701234', '0.033333', '0.270001', '0.033339'),
    flat: band('0.412345', '0.020001', '0.160007', '0.020003'),
    valley: band('0.151515', '0.007575', '0.060606', '0.007507'),
  },
  funds: [
    { code: 'A', label: { 'zh-CN': '基金甲', en: 'Fund A' }, pricePerKwh: '0.002345' },
    { code: 'B', label: { 'zh-CN': '基金乙', en: 'Fund B' }, pricePerKwh: '0.0190' },
  ],
  basicCharge: { perKvaMonth: '25.123456', perKwMonth: '37.654321' },
  highUtilisationDemandDiscount: { kwhPerKva: '150', factor: '0.875' },
};
const ODD_V2: Tariff = {
  ...ODD_V1,
  effectiveFrom: '2026-10-11',
  energyPrices: { ...ODD_V1.energyPrices, sharp: undefined },
  funds: [
    { code: 'B', label: { 'zh-CN': '基金乙', en: 'Fund B' }, pricePerKwh: '0.019999' },
    { code: 'C', label: { 'zh-CN': '基金丙', en: 'Fund C' }, pricePerKwh: '0.000001' },
  ],
  basicCharge: { perKvaMonth: '26.5', perKwMonth: '38.333333' },
};
const ODD_V3: Tariff = { ...ODD_V1, effectiveFrom: '2026-10-25', funds: [] };
const TARIFFS: readonly Tariff[] = [...SAMPLE_TARIFFS, ODD_V1, ODD_V2, ODD_V3];
const TARIFF_IDS = ['GD-LI-1-10KV', 'SC-LI-1-10KV', 'ODD-6DP'];

/** A generated account reshaped deterministically: suspension, connection, capacity change, termination. */
function reshaped(g: GeneratedAccount, period: string, random: () => number): Account {
  const a = { ...g.account } as Account;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const day = (d: number) => `${period}-${String(d).padStart(2, '0')}`;
  a.tariffId = pick(TARIFF_IDS);
  a.powerFactorStandard = pick(['0.90', '0.90', '0.85', '0.80'] as const);
  const capacity = Number(a.capacityKva);
  const r = random();
  if (r < 0.15) a.suspendedKva = String(Math.floor(capacity * pick([0.25, 0.5, 1])));
  else if (r < 0.25) a.connectedOn = day(1 + Math.floor(random() * 28));
  else if (r < 0.35) {
    a.capacityChangedOn = day(2 + Math.floor(random() * 26));
    if (random() < 0.8) a.previousCapacityKva = String(Math.floor(capacity * pick([0.5, 1.5])));
  } else if (r < 0.42) a.terminatedOn = day(1 + Math.floor(random() * 28));
  else if (r < 0.45) a.terminatedOn = '2020-01-31';
  if (a.basicChargeMethod !== 'contracted-demand' && random() < 0.5)
    a.contractedDemandKw = String(Math.max(1, Math.round(capacity * pick([0.2, 0.5, 0.9]))));
  if (a.basicChargeMethod === 'contracted-demand' && random() < 0.3)
    a.contractedDemandKw = String(Math.max(1, Math.round(capacity * pick([0.1, 0.3]))));
  return a;
}

/** Generated accounts and reads (the demo's and the benchmark's generator) over several periods. */
function generatedCorpus(): BillInput[] {
  const random = seededRandom(7);
  const inputs: BillInput[] = [];
  for (const [period, withSharp, seed] of [
    ['2026-10', true, 1],
    ['2026-06', false, 2],
    ['2026-07', true, 3],
    ['2026-02', true, 4],
  ] as const) {
    const generated = generateAccounts(150, { seed, tariffIds: TARIFF_IDS });
    const reads = new Map<string, MeterReadRow[]>();
    for (const cells of generateMeterReadRows(generated, period, { seed, withSharp })) {
      const row = MeterReadRowSchema.parse(cells);
      reads.set(row.accountId, [...(reads.get(row.accountId) ?? []), row]);
    }
    generated.forEach((g, i) => {
      inputs.push({
        account: i % 3 === 0 ? g.account : reshaped(g, period, random),
        tariffs: TARIFFS,
        reads: reads.get(g.account.accountId)!,
        period,
        ...(i % 4 === 0
          ? {
              history: [
                { period: '2026-01', total: '0', totalKwh: '0' },
                { period: '2025-10', total: '123456.78', totalKwh: '200000' },
                { period: '2025-06', total: '98765.4', totalKwh: '150000' },
                { period: '2026-09', total: '0.01', totalKwh: '1' },
                { period: '2026-05', total: '250000', totalKwh: '1' },
              ],
            }
          : {}),
        ...(i % 5 === 1 ? { advice: { peakShiftShare: ['0.25', '1', '0.333', '0'][i % 4]! } } : {}),
      });
    });
  }
  return inputs;
}

describe('optimised bill engine', () => {
  it('prints the reference bill for 600 generated accounts over four periods', () => {
    const inputs = generatedCorpus();
    expect(inputs.length).toBeGreaterThanOrEqual(500);
    for (const input of inputs) expectSameBill(input);
  });

  it('prints the reference bill without advice as well', () => {
    for (const input of generatedCorpus().slice(0, 150))
      expectSameBill({ ...input, advice: { enabled: false } });
  });

  // Registers in integer ten-thousandths, wrapping at 10^digits when register_digits is given.
  const meterArb = fc.record({
    multiplier: fc.constantFrom('1', '20', '80', '1000', '2.5', '0.125', '4000'),
    digits: fc.constantFrom(undefined, 5, 7),
    starts: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
      minLength: 7,
      maxLength: 7,
    }),
    sharp: fc.option(fc.integer({ min: 0, max: 20_000_000 }), { nil: undefined }),
    peak: fc.integer({ min: 0, max: 50_000_000 }),
    flat: fc.integer({ min: 0, max: 50_000_000 }),
    valley: fc.integer({ min: 0, max: 50_000_000 }),
    mismatch: fc.oneof(fc.constant(0), fc.integer({ min: -5000, max: 5000 })),
    kvarh: fc.integer({ min: 0, max: 80_000_000 }),
    kvarhExport: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
    demand: fc.integer({ min: 0, max: 20_000_000 }),
    estimated: fc.boolean(),
  });
  type MeterSpec = typeof meterArb extends fc.Arbitrary<infer T> ? T : never;

  const reading = (units: number): string => new Dec(units).div(10_000).toFixed();

  function row(
    spec: MeterSpec,
    meterId: string,
    readType: MeterReadRow['readType'],
    period: string,
    line: { day?: number; point?: string } = {},
  ) {
    const cells = Object.fromEntries(METER_READ_COLUMNS.map((c) => [c, ''])) as Record<string, string>;
    // Without register_digits a register wraps at its start reading's integer digits: 10^7 here.
    const wrap = 10 ** (spec.digits ?? 7) * 10_000;
    const set = (name: string, start: number, advance: number) => {
      const s = Math.floor(start * wrap);
      cells[`${name}_start`] = reading(spec.digits === undefined ? Math.max(s, wrap / 10) : s);
      cells[`${name}_end`] = reading(
        (Math.max(s, spec.digits === undefined ? wrap / 10 : 0) + advance) % wrap,
      );
    };
    const s = spec.starts;
    const bands = (spec.sharp ?? 0) + spec.peak + spec.flat + spec.valley;
    Object.assign(cells, {
      account_id: 'A1',
      meter_id: meterId,
      period,
      read_at: `${period}-${String(line.day ?? 20).padStart(2, '0')}T12:00:00+08:00`,
      read_type: readType === 'actual' && spec.estimated ? 'estimated' : readType,
      metering_point_id: line.point ?? '',
      multiplier: spec.multiplier,
      max_demand_kw: reading(spec.demand),
      register_digits: spec.digits === undefined ? '' : String(spec.digits),
    });
    set('kwh_total', s[0]!, Math.max(0, bands + spec.mismatch));
    if (spec.sharp !== undefined) set('kwh_sharp', s[1]!, spec.sharp);
    set('kwh_peak', s[2]!, spec.peak);
    set('kwh_flat', s[3]!, spec.flat);
    set('kwh_valley', s[4]!, spec.valley);
    set('kvarh', s[5]!, spec.kvarh);
    if (spec.kvarhExport !== undefined) set('kvarh_export', s[6]!, spec.kvarhExport);
    return MeterReadRowSchema.parse(cells);
  }

  const inputArb = fc
    .record({
      period: fc.constantFrom('2026-10', '2026-06', '2026-07', '2026-02', '2026-12'),
      tariffId: fc.constantFrom(...TARIFF_IDS),
      method: fc.constantFrom('capacity', 'contracted-demand', 'actual-demand'),
      capacity: fc.constantFrom('100', '315', '1000', '1250.5', '20000', '40000'),
      suspendedShare: fc.constantFrom(0, 0, 0.25, 1),
      contractShare: fc.constantFrom(undefined, 0.1, 0.37, 0.6, 1.2),
      standard: fc.constantFrom('0.90', '0.85', '0.80'),
      connectedDay: fc.option(fc.integer({ min: 1, max: 28 }), { nil: undefined }),
      change: fc.option(
        fc.record({
          day: fc.integer({ min: 1, max: 28 }),
          previous: fc.option(fc.constantFrom('0', '500', '2000.25')),
        }),
        { nil: undefined },
      ),
      meters: fc.array(meterArb, { minLength: 1, maxLength: 3 }),
      meterChange: fc.constantFrom('none', 'none', 'pair', 'out-only', 'lines'),
      // Successive meters (issue #12): each meter's read type, reading day and metering point, if any.
      lines: fc.array(
        fc.record({
          readType: fc.constantFrom('actual', 'meter_out', 'meter_out', 'meter_in', 'meter_in'),
          day: fc.integer({ min: 1, max: 28 }),
          point: fc.constantFrom(undefined, 'P1', 'P1', 'P2'),
        }),
        { minLength: 3, maxLength: 3 },
      ),
      firstPeriod: fc.boolean(),
      share: fc.constantFrom(
        undefined,
        '0',
        '0.1',
        '0.25',
        '0.333',
        '1',
        '1.0',
        '0.12345678901234567890123456789',
      ),
      withHistory: fc.boolean(),
    })
    .map((r): BillInput => {
      const contracted =
        r.contractShare === undefined && r.method !== 'contracted-demand'
          ? undefined
          : String(Math.max(1, Math.round(Number(r.capacity) * (r.contractShare ?? 0.6))));
      const account = testAccount({
        tariffId: r.tariffId,
        basicChargeMethod: r.method,
        capacityKva: r.capacity,
        suspendedKva: String(Math.floor(Number(r.capacity) * r.suspendedShare)),
        ...(contracted === undefined ? {} : { contractedDemandKw: contracted }),
        powerFactorStandard: r.standard,
        ...(r.connectedDay === undefined
          ? {}
          : { connectedOn: `${r.period}-${String(r.connectedDay).padStart(2, '0')}` }),
        ...(r.change === undefined
          ? {}
          : {
              capacityChangedOn: `${r.period}-${String(r.change.day).padStart(2, '0')}`,
              ...(r.change.previous === null ? {} : { previousCapacityKva: r.change.previous }),
            }),
      });
      const reads =
        r.meterChange === 'pair' && r.meters.length >= 2
          ? [row(r.meters[0]!, 'OLD', 'meter_out', r.period), row(r.meters[1]!, 'NEW', 'meter_in', r.period)]
          : r.meterChange === 'out-only'
            ? r.meters.map((m, i) => row(m, `M${i}`, i === 0 ? 'meter_out' : 'actual', r.period))
            : r.meterChange === 'lines'
              ? r.meters.map((m, i) => row(m, `M${i}`, r.lines[i]!.readType, r.period, r.lines[i]!))
              : r.meters.map((m, i) => row(m, `M${i}`, 'actual', r.period));
      return {
        account,
        ...(r.firstPeriod ? { firstPeriod: true } : {}),
        tariffs: TARIFFS,
        reads,
        period: r.period,
        ...(r.share === undefined ? {} : { advice: { peakShiftShare: r.share } }),
        ...(r.withHistory
          ? {
              history: [
                { period: '2025-10', total: '1000.5', totalKwh: '10' },
                { period: '2026-01', total: '77', totalKwh: '1' },
              ],
            }
          : {}),
      };
    });

  const edge = (
    reads: Parameters<typeof readRow>[0][],
    account: Record<string, unknown> = {},
  ): BillInput => ({
    account: testAccount({ basicChargeMethod: 'actual-demand', ...account }),
    tariffs: TARIFFS,
    reads: reads.map((r, i) => readRow({ meterId: `M${i}`, ...r })),
    period: '2026-10',
  });
  const registers = {
    multiplier: '1',
    total: ['0', '300'],
    peak: ['0', '100'],
    flat: ['0', '100'],
    valley: ['0', '100'],
    kvarh: ['0', '100'],
    demand: '100',
  } as const;

  it.each([
    // Moving peak energy pushes the valley register past 10^5 and wraps it once.
    [
      'a valley register that wraps',
      [{ ...registers, digits: '5', peak: ['0', '50000'], valley: ['0', '99990'] }],
    ],
    // ... or leaves the register even after the wrap: the changed reads cannot be billed (the error shows).
    [
      'a valley register the change pushes out of the register',
      [{ ...registers, digits: '5', peak: ['0', '50000'], valley: ['99000', '98999'] }],
    ],
    // Import + export reactive energy above the register size.
    [
      'reactive energy above the register size',
      [
        {
          ...registers,
          digits: '5',
          total: ['0', '1000'],
          kvarh: ['0', '99999'],
          kvarhExport: ['0', '60000'],
        },
      ],
    ],
    [
      'a tiny consumption',
      [{ ...registers, total: ['0', '0.0001'], peak: ['0', '0.0001'], kvarh: ['0', '0'] }],
    ],
    [
      'no active energy',
      [{ ...registers, total: ['5', '5'], peak: ['0', '0'], flat: ['0', '0'], valley: ['0', '0'] }],
    ],
    ['huge registers', [{ ...registers, multiplier: '123456.789', total: ['0', '99999999999.9999'] }]],
  ] as const)('prints the reference bill for %s', (_, reads) => {
    expectSameBill(edge(reads as unknown as Parameters<typeof readRow>[0][]));
    expectSameBill(
      edge(reads as unknown as Parameters<typeof readRow>[0][], {
        basicChargeMethod: 'capacity',
        suspendedKva: '1000',
      }),
    );
  });

  it('prints the reference bill for random reads, accounts and tariff splits', () => {
    fc.assert(
      fc.property(inputArb, (input) => expectSameBill(input)),
      { numRuns: 300 },
    );
  });

  /*
   * Accounts with one to three fields changed to values AccountSchema may or may not accept (whitespace to
   * trim, signs, impossible dates, wrong types, missing contacts, …): the bill or the error must match.
   */
  const manager = { id: 'AM1', name: '张伟', email: 'zhang.wei@grid.example.cn', phone: '13900001111' };
  const MUTATIONS: Record<string, readonly unknown[]> = {
    accountId: ['A1', 'a_1', '', 'X'.repeat(21), 12, undefined],
    name: ['', 'x'.repeat(200), 'x'.repeat(201), ' ', 5],
    category: ['commercial', 'household', undefined],
    language: ['en', 'fr'],
    tariffId: ['', 'SC-LI-1-10KV', 'NOPE'],
    basicChargeMethod: ['capacity', 'contracted-demand', 'actual-demand', 'other'],
    capacityKva: ['1000', '0', '00', '-5', ' 1000', '1000 ', '1e3', '1000.5', '.5', 1000, '0.0001'],
    suspendedKva: [undefined, '0', '-0', ' 0', '2000', '500', '1.', 'x', null],
    contractedDemandKw: [undefined, '0', '300', ' 300', '-3', null, '300.25'],
    powerFactorStandard: ['0.9', '0.85', 0.9, '0.80'],
    connectedOn: [undefined, '2026-10-05', '2026-02-30', '2024-02-29', '2026-10-5', '2026-10-05T00:00:00Z'],
    capacityChangedOn: [undefined, '2026-10-20', '2100-02-29', '2000-02-29'],
    previousCapacityKva: [undefined, '400', '-1', ' 400', 400],
    terminatedOn: [undefined, '2026-10-25', '2026-09-30', '2026-13-01'],
    paymentDueDay: [undefined, 1, 28, 0, 29, 20.5, '20', Number.NaN, null],
    important: [undefined, true, 'yes', 0],
    contacts: [
      [],
      [{ name: 'a', email: 'x@y.cn' }],
      [{ name: '', phone: '12345' }],
      [{ name: 'a' }],
      [{ name: 'a', phone: '1234' }],
      [{ name: 'a', email: 'bad@', phone: '123456' }],
      [{ name: 'a', email: 'a@b.cn', optOut: { email: 'no' } }],
      [{ name: 'a', email: 'a@b.cn', optOut: { sms: true } }],
      [{ name: 'a', email: 'a@b.cn', language: 'fr' }],
      [{ name: 'a', email: '.a@b.cn' }],
      'x',
      [null],
    ],
    accountManager: [
      manager,
      { ...manager, email: 'bad' },
      { ...manager, phone: '123' },
      null,
      { ...manager, id: '' },
    ],
    extra: [{ nested: true }],
  };
  const SINGLE_MUTATIONS = Object.entries(MUTATIONS).flatMap(([field, values]) =>
    values.map((value) => [field, value] as const),
  );
  const mutationArb = fc.array(fc.constantFrom(...SINGLE_MUTATIONS), { minLength: 2, maxLength: 3 });
  const mutatedInput = (mutations: readonly (readonly [string, unknown])[], method: string): BillInput => {
    const account: Record<string, unknown> = {
      ...testAccount({ basicChargeMethod: method, contractedDemandKw: '600' }),
    };
    for (const [field, value] of mutations) account[field] = value;
    const reads = [
      readRow({
        ...registers,
        total: ['0', '3000'],
        peak: ['0', '1000'],
        flat: ['0', '1000'],
        valley: ['0', '1000'],
      }),
    ];
    return { account: account as Account, tariffs: TARIFFS, reads, period: '2026-10' };
  };

  it.each(['capacity', 'contracted-demand'])(
    'accepts and rejects accounts with one field changed as the reference does (%s)',
    (method) => {
      for (const mutation of SINGLE_MUTATIONS) expectSameBill(mutatedInput([mutation], method));
    },
  );

  it('accepts and rejects accounts with several fields changed as the reference does', () => {
    fc.assert(
      fc.property(mutationArb, fc.constantFrom('capacity', 'contracted-demand'), (mutations, method) =>
        expectSameBill(mutatedInput(mutations, method)),
      ),
      { numRuns: 400 },
    );
  });
});
