import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatShanghaiTime,
  instantMs,
  msAt,
  shanghaiDate,
  shanghaiDateOfMs,
  shanghaiInstant,
  shanghaiMinutesOfDay,
  startOfDayMs,
} from '#domain/calendar/shanghai.ts';

describe('the Asia/Shanghai clock (UTC+8, no daylight saving)', () => {
  it('gives the local date of an instant, a string or a Date', () => {
    expect(shanghaiDate('2026-12-24T15:59:59Z')).toBe('2026-12-24');
    expect(shanghaiDate('2026-12-24T16:00:00Z')).toBe('2026-12-25');
    expect(shanghaiDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(shanghaiDate('2026-12-25T00:00:00+08:00')).toBe('2026-12-25');
  });

  it('agrees with the +8 h shift the services wrote inline, and with Intl', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
    // From 1992: China observed daylight saving time from 1986 to 1991, which Intl knows and the fixed
    // +8 h offset (what the product needs, for today's dates) does not.
    const since1992 = Date.UTC(1992, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: since1992, max: 4_102_444_800_000 }), (ms) => {
        const date = shanghaiDate(new Date(ms));
        expect(date).toBe(new Date(ms + 8 * 3600_000).toISOString().slice(0, 10));
        expect(date).toBe(intl.format(new Date(ms)));
        expect(shanghaiDate(new Date(ms).toISOString())).toBe(date);
        expect(shanghaiDateOfMs(ms)).toBe(date);
      }),
    );
  });

  it('refuses what is not an instant', () => {
    expect(() => instantMs('2026-13-45')).toThrow(RangeError);
    expect(() => shanghaiDate('yesterday')).toThrow(RangeError);
  });

  it('writes and reads wall-clock instants', () => {
    const ms = msAt('2026-12-24', '10:00');
    expect(ms).toBe(Date.parse('2026-12-24T02:00:00Z'));
    expect(shanghaiInstant(ms)).toBe('2026-12-24T10:00:00+08:00');
    expect(formatShanghaiTime(ms)).toBe('2026-12-24 10:00');
    expect(shanghaiMinutesOfDay(ms)).toBe(600);
    expect(startOfDayMs('2026-12-24')).toBe(Date.parse('2026-12-23T16:00:00Z'));
  });
});
