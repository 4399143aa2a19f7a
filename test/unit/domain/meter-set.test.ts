import { describe, expect, it } from 'vitest';
import type { MeterReadRow } from '#domain/meter-read.ts';
import {
  collapseIdenticalRows,
  mergeMeterReads,
  metersWithoutRead,
  partialBillReason,
  supersededReads,
} from '#domain/meter-set.ts';

const read = (meterId: string, overrides: Partial<MeterReadRow> = {}): MeterReadRow => ({
  accountId: '3100012345',
  meterId,
  period: '2026-10',
  readAt: '2026-10-31T23:45:00+08:00',
  readType: 'actual',
  multiplier: '1000',
  kwhTotal: { start: '100', end: '200' },
  kwhBands: { peak: { start: '10', end: '20' } },
  kvarh: { start: '5', end: '9' },
  kvarhExport: undefined,
  maxDemandKw: '0.5',
  registerDigits: undefined,
  ...overrides,
});
const previous = (meterId: string, overrides: Partial<MeterReadRow> = {}): MeterReadRow =>
  read(meterId, { period: '2026-09', readAt: '2026-09-30T23:45:00+08:00', ...overrides });
const slots = (rows: readonly MeterReadRow[]) =>
  rows.map((r) => `${r.meterId}/${r.readType}/${r.kwhTotal.end}`);

describe('the reads an account-period is billed from: stored reads, each meter the drop carries replaced', () => {
  it.each([
    {
      name: 'a correction of one of two meters keeps the other meter’s stored read',
      stored: [read('M-1'), read('M-2')],
      carried: [read('M-2', { kwhTotal: { start: '100', end: '250' } })],
      merged: ['M-1/actual/200', 'M-2/actual/250'],
    },
    {
      name: 'the first drop of a period is billed as carried, in meter order whatever the row order',
      stored: [],
      carried: [read('M-2'), read('M-1')],
      merged: ['M-1/actual/200', 'M-2/actual/200'],
    },
    {
      name: 'a new meter is added to the stored ones',
      stored: [read('M-1')],
      carried: [read('M-3')],
      merged: ['M-1/actual/200', 'M-3/actual/200'],
    },
    {
      name: 'an actual read replaces the stored estimate of its meter (never both billed)',
      stored: [read('M-1', { readType: 'estimated' }), read('M-2')],
      carried: [read('M-1', { kwhTotal: { start: '100', end: '260' } })],
      merged: ['M-1/actual/260', 'M-2/actual/200'],
    },
    {
      name: 'a meter change pair is added beside the stored reads of the other meters',
      stored: [read('M-1'), read('M-2')],
      carried: [read('M-1', { readType: 'meter_out' }), read('M-9', { readType: 'meter_in' })],
      merged: ['M-1/meter_out/200', 'M-2/actual/200', 'M-9/meter_in/200'],
    },
    {
      name: 'a re-delivery of the same reads bills the same set',
      stored: [read('M-1'), read('M-2')],
      carried: [read('M-2'), read('M-1')],
      merged: ['M-1/actual/200', 'M-2/actual/200'],
    },
  ])('$name', ({ stored, carried, merged }) => {
    expect(slots(mergeMeterReads(stored, carried))).toEqual(merged);
  });

  it.each([
    {
      name: 'a read replaced under the same read type is overwritten, not deleted',
      stored: [read('M-1'), read('M-2')],
      carried: [read('M-2')],
      gone: [],
    },
    {
      name: 'a stored estimate corrected by an actual read is superseded',
      stored: [read('M-1', { readType: 'estimated' }), read('M-2')],
      carried: [read('M-1')],
      gone: ['M-1/estimated/200'],
    },
    {
      name: 'a stored read of a meter now changed (meter_out) is superseded',
      stored: [read('M-1'), read('M-2')],
      carried: [read('M-1', { readType: 'meter_out' }), read('M-9', { readType: 'meter_in' })],
      gone: ['M-1/actual/200'],
    },
  ])('$name', ({ stored, carried, gone }) => {
    expect(slots(supersededReads(stored, carried))).toEqual(gone);
  });
});

describe('an account-period is billed only when every known meter is read', () => {
  it.each([
    {
      name: 'every meter read',
      merged: [read('M-1'), read('M-2')],
      before: [previous('M-1'), previous('M-2')],
      missing: [],
    },
    {
      name: 'a missing meter',
      merged: [read('M-2')],
      before: [previous('M-1'), previous('M-2')],
      missing: ['M-1'],
    },
    {
      name: 'two missing meters, named in order',
      merged: [read('M-2')],
      before: [previous('M-3'), previous('M-2'), previous('M-1')],
      missing: ['M-1', 'M-3'],
    },
    {
      name: 'a meter removed last period (meter_out) is not expected again',
      merged: [read('M-9')],
      before: [previous('M-1', { readType: 'meter_out' }), previous('M-9', { readType: 'meter_in' })],
      missing: [],
    },
    {
      name: 'a meter change pair this period explains the old meter',
      merged: [read('M-1', { readType: 'meter_out' }), read('M-9', { readType: 'meter_in' })],
      before: [previous('M-1')],
      missing: [],
    },
    {
      name: 'a meter_in of a new meter alone does not explain a missing old meter',
      merged: [read('M-9', { readType: 'meter_in' })],
      before: [previous('M-1')],
      missing: ['M-1'],
    },
    {
      name: 'a new meter needs no previous read',
      merged: [read('M-1'), read('M-3')],
      before: [previous('M-1')],
      missing: [],
    },
    { name: 'the first period of an account', merged: [read('M-1')], before: [], missing: [] },
    {
      name: 'an estimated read counts as a read',
      merged: [read('M-1', { readType: 'estimated' })],
      before: [previous('M-1')],
      missing: [],
    },
  ])('$name', ({ merged, before, missing }) => {
    expect(metersWithoutRead(merged, before)).toEqual(missing);
  });

  it('says which meters are missing (ten at most, the rest counted) and that no partial bill is sent', () => {
    expect(partialBillReason('A', '2026-10', ['M-1'])).toBe(
      'meter M-1 of account A has no read for 2026-10: a partial bill is never sent',
    );
    expect(partialBillReason('A', '2026-10', ['M-1', 'M-3'])).toBe(
      'meters M-1, M-3 of account A have no read for 2026-10: a partial bill is never sent',
    );
    const many = Array.from({ length: 250 }, (_, i) => `M-${String(i).padStart(3, '0')}`);
    const reason = partialBillReason('A', '2026-10', many);
    expect(reason).toBe(
      `meters ${many.slice(0, 10).join(', ')} and 240 more of account A have no read for 2026-10: a partial bill is never sent`,
    );
  });
});

describe('identical rows of a drop are one read', () => {
  it.each([
    {
      name: 'an exact duplicate row collapses to its first occurrence',
      rows: [read('M-1'), read('M-2'), read('M-1')],
      kept: [1, 2],
    },
    {
      name: 'two different rows for one meter and read type both stay (billing refuses them)',
      rows: [read('M-1'), read('M-1', { kwhTotal: { start: '100', end: '201' } })],
      kept: [1, 2],
    },
    {
      name: 'the same readings under another read type are another read',
      rows: [read('M-1'), read('M-1', { readType: 'estimated' })],
      kept: [1, 2],
    },
    {
      name: 'identical rows whose fields were stored in another order are still identical',
      rows: [
        read('M-1'),
        Object.fromEntries(Object.entries(read('M-1')).reverse()) as unknown as MeterReadRow,
      ],
      kept: [1],
    },
  ])('$name', ({ rows, kept }) => {
    const staged = rows.map((row, i) => ({ rowNumber: i + 1, row }));
    expect(collapseIdenticalRows(staged).map((s) => s.rowNumber)).toEqual(kept);
  });
});
