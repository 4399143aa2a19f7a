import { describe, expect, it } from 'vitest';
import { utcOffsetMs, wallClockIn, wallClockIso } from '#domain/calendar/index.ts';

const HOUR_MS = 3_600_000;

describe('the wall clock of an instant in a time zone', () => {
  it.each([
    [
      '2026-12-24T02:00:00Z',
      'Asia/Shanghai',
      { year: 2026, month: 12, day: 24, hour: 10, minute: 0, second: 0 },
    ],
    [
      '2026-12-31T16:00:00Z',
      'Asia/Shanghai',
      { year: 2027, month: 1, day: 1, hour: 0, minute: 0, second: 0 },
    ],
    ['2026-07-01T03:04:05.999Z', 'UTC', { year: 2026, month: 7, day: 1, hour: 3, minute: 4, second: 5 }],
    [
      '2026-03-08T07:30:00Z',
      'America/New_York',
      { year: 2026, month: 3, day: 8, hour: 3, minute: 30, second: 0 },
    ],
  ])('reads %s in %s as the clock there shows it (midnight as hour 0)', (instant, zone, wall) => {
    expect(wallClockIn(new Date(instant), zone)).toEqual(wall);
  });

  it('gives Shanghai its fixed +08:00 all year', () => {
    for (const instant of ['2026-01-15T00:00:00Z', '2026-07-15T00:00:00Z']) {
      expect(utcOffsetMs(Date.parse(instant), 'Asia/Shanghai')).toBe(8 * HOUR_MS);
    }
  });

  it('follows daylight saving where the zone has it', () => {
    expect(utcOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * HOUR_MS);
    expect(utcOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * HOUR_MS);
  });

  it('is not thrown off by the milliseconds of an instant', () => {
    expect(utcOffsetMs(Date.parse('2026-07-15T12:00:00.750Z'), 'Asia/Shanghai')).toBe(8 * HOUR_MS);
  });

  it.each(['Not/AZone', '', 'Asia/Shanghai\u0000', `Asia/${'x'.repeat(10_000)}`])(
    'refuses the time zone %j with a RangeError',
    (zone) => {
      expect(() => wallClockIn(new Date('2026-12-24T02:00:00Z'), zone)).toThrow(RangeError);
    },
  );
});

describe('a wall-clock reading written out', () => {
  it.each([
    [{ year: 2027, month: 1, day: 1, hour: 0, minute: 5, second: 0 }, '2027-01-01T00:05:00'],
    [{ year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 59 }, '2026-12-31T23:59:59'],
  ])('writes %o as %s, without an offset', (wall, iso) => {
    expect(wallClockIso(wall)).toBe(iso);
  });
});
