import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateOfDayNumber,
  dayNumber,
  daysBetween,
  isIsoDate,
  isoWeekday,
  minutesOfDay,
} from '#domain/calendar/dates.ts';

describe('calendar dates', () => {
  it('counts days from 1970-01-01 and back', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-12-24')).toBe(20_811);
    expect(dateOfDayNumber(20_811)).toBe('2026-12-24');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(daysBetween('2026-12-20', '2027-01-10')).toBe(21);
    expect(daysBetween('2027-01-10', '2026-12-20')).toBe(-21);
  });

  it('agrees with Date arithmetic on UTC midnights for any day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.integer({ min: -400, max: 400 }),
        (n, k) => {
          const date = dateOfDayNumber(n);
          const viaDate = new Date(Date.parse(`${date}T00:00:00Z`) + k * 86_400_000)
            .toISOString()
            .slice(0, 10);
          expect(addDays(date, k)).toBe(viaDate);
          expect(daysBetween(date, addDays(date, k))).toBe(k);
        },
      ),
    );
  });

  it('numbers ISO weekdays from Monday (1) to Sunday (7)', () => {
    expect(isoWeekday('2026-12-21')).toBe(1);
    expect(isoWeekday('2026-12-26')).toBe(6);
    expect(isoWeekday('2026-12-27')).toBe(7);
  });

  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-11-31', false],
    ['2026-1-01', false],
    ['20261201', false],
  ])('%s is a date: %s', (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
  });

  it('reads a time of day as minutes after midnight', () => {
    expect(minutesOfDay('00:00')).toBe(0);
    expect(minutesOfDay('09:30')).toBe(570);
    expect(minutesOfDay('23:59')).toBe(1439);
  });
});
