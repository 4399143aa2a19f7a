import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METER_READ_FEED_COLUMNS, MeterReadRowSchema } from '#domain/meter-read.ts';
import { compareDecimals } from '#domain/meter-read-bounds.ts';
import { certainMeterRead } from '#domain/meter-read-check.ts';
import { meterCells } from './fixtures.ts';

/*
 * The ingest fast path (certainMeterRead) against the schema it stands in for. A row's cells are given to
 * the schema as its object keyed by column and to the fast path as the array in METER_READ_FEED_COLUMNS order
 * that the drop reader builds from the same record.
 */

type Cells = Record<string, unknown>;

const inColumnOrder = (cells: Cells): unknown[] => METER_READ_FEED_COLUMNS.map((column) => cells[column]);

type Outcome = 'fast' | 'zod only' | 'rejected';

/** Both checks on one row; fails the property unless the fast path agrees with the schema. */
function compare(cells: Cells): Outcome {
  const fast = certainMeterRead(inColumnOrder(cells));
  const parsed = MeterReadRowSchema.safeParse(cells);
  if (!parsed.success) {
    expect(fast, 'the fast path accepted a row the schema rejects').toBeUndefined();
    return 'rejected';
  }
  if (fast === undefined) return 'zod only';
  expect(fast).toStrictEqual(parsed.data);
  // The same keys in the same order: the row is stored and printed as JSON.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
  return 'fast';
}

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** A decimal with `maxDecimals` decimals at most. */
const decimal = (maxDecimals: number) =>
  fc
    .tuple(digits(1, 9), digits(0, maxDecimals))
    .map(([int, fraction]) => (fraction === '' ? int : `${int}.${fraction}`));

/** Blanks around a cell, which the schema trims from decimal cells. */
const padded = (value: fc.Arbitrary<string>) =>
  fc
    .tuple(
      fc.constantFrom('', '', '', ' ', '\t', '\u00a0'),
      value,
      fc.constantFrom('', '', '', ' ', '\u3000'),
    )
    .map(([before, v, after]) => before + v + after);

const register = padded(decimal(4));

/** Absent column, blank cells, or both readings. */
const optionalPair = fc.oneof(
  fc.constant({}),
  fc.constant({ start: '', end: '' }),
  fc.constant({ start: ' ', end: '' }),
  fc.record({ start: register, end: register }),
);

const readAt = fc
  .record({
    date: fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2099-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fraction: fc.constantFrom('', '.0', '.123', '.5'),
    zone: fc.constantFrom('Z', '+08:00', '-05:30', '+00:00', '+23:59'),
  })
  .map(({ date, fraction, zone }) => `${date.toISOString().slice(0, 19)}${fraction}${zone}`);

function orderPair(cells: Cells, start: string, end: string): void {
  const a = cells[start] as string;
  const b = cells[end] as string;
  if (compareDecimals(b.trim(), a.trim()) < 0) [cells[start], cells[end]] = [b, a];
}

/** Cells of a row the schema accepts: every column of the feed, or the required ones only. */
const validCells: fc.Arbitrary<Cells> = fc
  .record({
    account_id: fc.stringMatching(/^[A-Za-z0-9]{1,20}$/),
    meter_id: fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
    period: fc.stringMatching(/^\d{4}-(0[1-9]|1[0-2])$/),
    read_at: readAt,
    read_type: fc.constantFrom('actual', 'estimated', 'meter_out', 'meter_in'),
    // At most MAX_MULTIPLIER_INTEGER_DIGITS (7) integer digits.
    multiplier: padded(
      fc
        .tuple(digits(1, 7), digits(0, 6))
        .map(([int, fraction]) => (fraction === '' ? int : `${int}.${fraction}`))
        .filter((v) => /[1-9]/.test(v)),
    ),
    kwh_total_start: register,
    kwh_total_end: register,
    sharp: optionalPair,
    kwh_peak_start: register,
    kwh_peak_end: register,
    kwh_flat_start: register,
    kwh_flat_end: register,
    kwh_valley_start: register,
    kwh_valley_end: register,
    kvarh_start: register,
    kvarh_end: register,
    export: optionalPair,
    max_demand_kw: register,
    register_digits: fc.option(
      // Registers here have up to 9 integer digits, so a register size of at least 9 fits them all.
      fc.oneof(fc.integer({ min: 9, max: 15 }).map(String), fc.constantFrom('', ' ', '09', ' 9 ')),
      { nil: undefined },
    ),
    // The optional metering point (issue #12): absent column, blank cell, or an id.
    metering_point_id: fc.option(
      fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), fc.constantFrom('', ' ', '\u3000')),
      { nil: undefined },
    ),
  })
  .map(({ sharp, export: kvarhExport, register_digits, metering_point_id, ...required }) => {
    const cells: Cells = { ...required };
    // A valid row's readings do not go backwards: each pair ordered start ≤ end.
    for (const prefix of ['kwh_total', 'kwh_peak', 'kwh_flat', 'kwh_valley', 'kvarh'])
      orderPair(cells, `${prefix}_start`, `${prefix}_end`);
    if ('start' in sharp) Object.assign(cells, { kwh_sharp_start: sharp.start, kwh_sharp_end: sharp.end });
    if ('start' in kvarhExport)
      Object.assign(cells, { kvarh_export_start: kvarhExport.start, kvarh_export_end: kvarhExport.end });
    for (const prefix of ['kwh_sharp', 'kvarh_export']) {
      const start = cells[`${prefix}_start`];
      if (typeof start === 'string' && start.trim() !== '')
        orderPair(cells, `${prefix}_start`, `${prefix}_end`);
    }
    if (register_digits !== undefined) cells.register_digits = register_digits;
    if (metering_point_id !== undefined) cells.metering_point_id = metering_point_id;
    return cells;
  });

/** Values at the edges of what the columns accept. */
const TRICKY = [
  '',
  ' ',
  '0',
  '00',
  '0.0',
  '0.0000',
  '0.00001',
  '1.',
  '.5',
  '-1',
  '-0',
  '+1',
  '1e3',
  '1,5',
  '1.23456',
  '12.3456',
  ' 12.5 ',
  '\u00a01\u00a0',
  '١٢',
  '１２',
  'NaN',
  'Infinity',
  '0',
  '1',
  '15',
  '16',
  '99',
  '100',
  '015',
  'x',
  '中',
  'actual',
  'Actual',
  ' actual',
  'meter_in',
  '2026-10',
  '2026-13',
  '2026-00',
  '26-10',
  '2026-10-31T23:45:00+08:00',
  '2026-10-31T23:45+08:00',
  '2026-10-31T23:45:00',
  '2026-10-31T24:00:00Z',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2026-10-31t23:45:00z',
  '2026-10-31T23:45:00+0800',
  ' 2026-10-31T23:45:00Z',
  'A'.repeat(20),
  'A'.repeat(21),
  'M_1-2',
  'B'.repeat(33),
  'MP-0001',
  'P'.repeat(32),
  'P'.repeat(33),
  ' MP-1',
  'MP-1 ',
  'MP\u00071',
  'MP\u202e1',
  'MP.1',
];

type Mutation =
  | { kind: 'set'; column: number; value: string }
  | { kind: 'insert'; column: number; at: number; text: string }
  | { kind: 'delete'; column: number; at: number }
  | { kind: 'drop'; column: number }
  | { kind: 'not a string'; column: number; value: unknown };

const column = fc.nat({ max: METER_READ_FEED_COLUMNS.length - 1 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('set' as const), column, value: fc.constantFrom(...TRICKY) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      column,
      at: fc.nat(),
      text: fc.constantFrom('0', '9', '.', '-', ' ', 'x', '_', ':', 'Z', '\n', '\u00a0'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), column, at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), column }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('not a string' as const),
      column,
      value: fc.constantFrom(5, null, true, {}, ['1']),
    }),
  },
);

function mutate(cells: Cells, mutations: readonly Mutation[]): Cells {
  const out = { ...cells };
  for (const m of mutations) {
    const name = METER_READ_FEED_COLUMNS[m.column]!;
    const value = typeof out[name] === 'string' ? (out[name] as string) : '';
    switch (m.kind) {
      case 'set':
        out[name] = m.value;
        break;
      case 'insert': {
        const at = m.at % (value.length + 1);
        out[name] = value.slice(0, at) + m.text + value.slice(at);
        break;
      }
      case 'delete': {
        const at = m.at % (value.length + 1);
        out[name] = value.slice(0, at) + value.slice(at + 1);
        break;
      }
      case 'drop':
        delete out[name];
        break;
      case 'not a string':
        out[name] = m.value;
        break;
    }
  }
  return out;
}

describe('the fast meter-read row check (property, against MeterReadRowSchema)', () => {
  it('accepts every generated valid row, with exactly the row the schema returns', () => {
    fc.assert(
      fc.property(validCells, (cells) => {
        expect(compare(cells)).toBe('fast');
      }),
      { numRuns: 4000 },
    );
  });

  it('on mutated rows, either returns the schema’s row or leaves the row to the schema, and never accepts a row the schema rejects', () => {
    const seen: Record<Outcome, number> = { fast: 0, 'zod only': 0, rejected: 0 };
    fc.assert(
      fc.property(validCells, fc.array(mutation, { minLength: 1, maxLength: 3 }), (cells, mutations) => {
        seen[compare(mutate(cells, mutations))]++;
      }),
      { numRuns: 8000 },
    );
    // The mutations must reach both sides of the schema's decision for the comparison to mean anything.
    expect(seen.rejected).toBeGreaterThan(2000);
    expect(seen.fast).toBeGreaterThan(1000);
  });

  it('takes the spec example and leaves a row with an unpaired sharp register to the schema', () => {
    const example: Cells = meterCells();
    expect(compare(example)).toBe('fast');
    expect(compare({ ...example, kwh_sharp_end: ' ' })).toBe('rejected');
    expect(compare({ ...example, register_digits: '16' })).toBe('rejected');
    expect(compare({ ...example, register_digits: ' 6 ' })).toBe('fast');
  });

  it('takes a metering point with the row, blank as none, and leaves a malformed one to the schema to reject', () => {
    const example: Cells = meterCells();
    expect(compare({ ...example, metering_point_id: 'MP-0001' })).toBe('fast');
    expect(
      certainMeterRead(inColumnOrder({ ...example, metering_point_id: 'MP-0001' }))?.meteringPointId,
    ).toBe('MP-0001');
    expect(compare({ ...example, metering_point_id: '' })).toBe('fast');
    expect(certainMeterRead(inColumnOrder({ ...example, metering_point_id: ' ' }))).not.toHaveProperty(
      'meteringPointId',
    );
    for (const bad of ['P'.repeat(33), 'MP\u00071', ' MP-1', 'MP.1', '计量点1'])
      expect(compare({ ...example, metering_point_id: bad }), bad).toBe('rejected');
  });
});
