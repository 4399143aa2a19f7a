import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_WINDOW, meterReadWindowBreach } from '#domain/meter-read-bounds.ts';
import { readWindowFromEnv } from '#wiring/env.ts';

describe('METER_READ_MAX_AGE_MONTHS', () => {
  it('leaves the policy default when unset or empty', () => {
    expect(readWindowFromEnv(undefined)).toBeUndefined();
    expect(readWindowFromEnv('')).toBeUndefined();
  });

  it('widens only how old a period may be', () => {
    const window = readWindowFromEnv('120')!;
    expect(window).toEqual({ ...DEFAULT_READ_WINDOW, maxPeriodAgeMonths: 120 });
    const now = new Date('2027-12-01T00:00:00+08:00');
    const old = { period: '2026-09', readAt: '2026-09-30T23:45:00+08:00' };
    expect(meterReadWindowBreach(old, now)?.column).toBe('period');
    expect(meterReadWindowBreach(old, now, window)).toBeUndefined();
    // The future stays refused.
    expect(
      meterReadWindowBreach({ period: '2099-12', readAt: '2099-12-31T23:45:00+08:00' }, now, window)?.column,
    ).toBe('period');
  });

  it.each(['0', '-3', '1.5', '1201', 'twelve', '1e2', ' 12', '9'.repeat(100_000)])(
    'stops the cold start, naming the variable, for %s',
    (value) => {
      expect(() => readWindowFromEnv(value)).toThrow(
        /^METER_READ_MAX_AGE_MONTHS must be an integer from 1 to 1200/,
      );
    },
  );
});
