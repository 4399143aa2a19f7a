import { describe, expect, it } from 'vitest';
import { METER_READ_COLUMNS, MeterReadRowSchema } from '#domain/meter-read.ts';
import { compareDecimals, DEFAULT_READ_WINDOW, meterReadWindowBreach } from '#domain/meter-read-bounds.ts';
import { certainMeterRead } from '#domain/meter-read-check.ts';
import { meterCells } from '../../ingest/fixtures.ts';

/** The schema's verdict on the example row with some cells changed: the first issue's column and message. */
function verdict(overrides: Record<string, string>): { column: unknown; message: string } | 'valid' {
  const cells = meterCells(overrides);
  const parsed = MeterReadRowSchema.safeParse(cells);
  const fast = certainMeterRead(METER_READ_COLUMNS.map((c) => cells[c]));
  if (parsed.success) {
    expect(fast).toStrictEqual(parsed.data);
    return 'valid';
  }
  expect(fast, 'the fast path must not accept what the schema rejects').toBeUndefined();
  return { column: parsed.error.issues[0]!.path[0], message: parsed.error.issues[0]!.message };
}

describe('meter-read row magnitudes (issue #11)', () => {
  it('rejects kwh_total_end of 1 followed by 60 zeros (it once made a ¥4.29×10⁶³ bill)', () => {
    expect(verdict({ kwh_total_end: `1${'0'.repeat(60)}` })).toEqual({
      column: 'kwh_total_end',
      message: expect.stringMatching(/61 integer digits, more than the 12/),
    });
  });

  it('allows 12 integer digits without register_digits, and leading zeros do not count', () => {
    expect(verdict({ kwh_total_start: '1', kwh_total_end: '999999999999.5' })).toBe('valid');
    expect(verdict({ kwh_total_start: '1', kwh_total_end: '1000000000000' })).not.toBe('valid');
    expect(verdict({ kwh_total_start: '0000000000000001', kwh_total_end: '0000000000000002' })).toBe('valid');
  });

  it('holds every register to register_digits when given', () => {
    const cells = { register_digits: '5', kwh_total_start: '100', kwh_total_end: '99999' };
    expect(verdict(cells)).toBe('valid');
    expect(verdict({ ...cells, kwh_peak_end: '100000' })).toEqual({
      column: 'kwh_peak_end',
      message: expect.stringMatching(/more than the 5 of register_digits/),
    });
  });

  it('bounds max_demand_kw and the multiplier', () => {
    expect(verdict({ max_demand_kw: '1234567890123' })).toMatchObject({ column: 'max_demand_kw' });
    expect(verdict({ multiplier: '1320000' })).toBe('valid');
    expect(verdict({ multiplier: '10000000' })).toEqual({
      column: 'multiplier',
      message: expect.stringMatching(/implausible/),
    });
  });

  it('still rejects a fifth decimal', () => {
    expect(verdict({ kwh_total_end: '5000.12345' })).toMatchObject({ column: 'kwh_total_end' });
  });

  it('rejects a reversed reading (5000 → 4000 was billed as 36 million kWh) but keeps a real roll-over', () => {
    expect(verdict({ kwh_total_start: '5000', kwh_total_end: '4000' })).toEqual({
      column: 'kwh_total_end',
      message: expect.stringMatching(/reversed reading: kwh_total_end 4000 is below kwh_total_start 5000/),
    });
    expect(verdict({ kvarh_start: '9990', kvarh_end: '12' })).toBe('valid');
    expect(verdict({ register_digits: '6', kwh_valley_start: '999000', kwh_valley_end: '150' })).toBe(
      'valid',
    );
    expect(
      verdict({ register_digits: '6', kwh_valley_start: '5000', kwh_valley_end: '4999.9999' }),
    ).toMatchObject({
      column: 'kwh_valley_end',
    });
  });

  it('compares decimal strings exactly', () => {
    expect(compareDecimals('0010.5', '10.50')).toBe(0);
    expect(compareDecimals('9.9999', '10')).toBe(-1);
    expect(compareDecimals('10.0001', '10')).toBe(1);
    expect(compareDecimals('123456789012.1', '123456789012.09')).toBe(1);
  });
});

describe('meter-read period and read_at window (issue #11)', () => {
  // 2026-12-02 07:00 in Shanghai.
  const now = new Date('2026-12-01T23:00:00Z');
  const row = (period: string, readAt: string) => ({ period, readAt });

  it('accepts the current and recent periods with a read_at in the month or just after', () => {
    expect(meterReadWindowBreach(row('2026-11', '2026-11-30T23:45:00+08:00'), now)).toBeUndefined();
    expect(meterReadWindowBreach(row('2026-11', '2026-12-01T08:00:00+08:00'), now)).toBeUndefined();
    expect(meterReadWindowBreach(row('2026-12', '2026-12-01T00:00:00+08:00'), now)).toBeUndefined();
    expect(meterReadWindowBreach(row('2025-12', '2025-12-31T23:45:00+08:00'), now)).toBeUndefined();
  });

  it('rejects period 2099-12 (it once produced six bills) and any month after the current one', () => {
    expect(meterReadWindowBreach(row('2099-12', '2099-12-31T23:45:00+08:00'), now)).toEqual({
      column: 'period',
      reason: 'period 2099-12 is in the future (this month is 2026-12)',
    });
    expect(meterReadWindowBreach(row('2027-01', '2026-12-01T23:45:00+08:00'), now)?.column).toBe('period');
  });

  it('uses the Shanghai month: 2026-12-01 00:30 in Shanghai is still November in UTC', () => {
    const earlyDecember = new Date('2026-11-30T16:30:00Z');
    expect(meterReadWindowBreach(row('2026-12', '2026-12-01T00:10:00+08:00'), earlyDecember)).toBeUndefined();
  });

  it('rejects a period older than the window', () => {
    expect(meterReadWindowBreach(row('2025-11', '2025-11-30T23:45:00+08:00'), now)).toEqual({
      column: 'period',
      reason: `period 2025-11 is more than ${DEFAULT_READ_WINDOW.maxPeriodAgeMonths} months before 2026-12`,
    });
    const window = { ...DEFAULT_READ_WINDOW, maxPeriodAgeMonths: 1 };
    expect(meterReadWindowBreach(row('2026-10', '2026-10-31T23:45:00+08:00'), now, window)?.column).toBe(
      'period',
    );
  });

  it('rejects read_at in 2019 for period 2026-10, and read_at well after the month or in the future', () => {
    expect(meterReadWindowBreach(row('2026-10', '2019-10-31T23:45:00+08:00'), now)).toEqual({
      column: 'read_at',
      reason: 'read_at 2019-10-31T23:45:00+08:00 is outside period 2026-10 (its month or the 10 days after)',
    });
    expect(meterReadWindowBreach(row('2026-10', '2026-11-11T00:00:00+08:00'), now)?.column).toBe('read_at');
    expect(meterReadWindowBreach(row('2026-10', '2026-09-30T23:59:59+08:00'), now)?.column).toBe('read_at');
    expect(meterReadWindowBreach(row('2026-12', '2026-12-05T00:00:00+08:00'), now)).toEqual({
      column: 'read_at',
      reason: 'read_at 2026-12-05T00:00:00+08:00 is in the future',
    });
  });
});
