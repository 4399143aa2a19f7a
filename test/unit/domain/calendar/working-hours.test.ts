import { describe, expect, it } from 'vitest';
import { msAt } from '#domain/calendar/shanghai.ts';
import { isInsideWorkingHours, isWorkingDay, type WorkingCalendar } from '#domain/calendar/working-hours.ts';

const CALENDAR: WorkingCalendar = {
  workingWeekdays: [1, 2, 3, 4, 5],
  nonWorkingDates: ['2027-01-01'],
  extraWorkingDates: ['2026-12-27'],
  workingHours: { start: '09:00', end: '16:00' },
};

describe('the working calendar', () => {
  it.each([
    ['2026-12-24', true, 'a Thursday'],
    ['2026-12-26', false, 'a Saturday'],
    ['2026-12-27', true, 'a make-up working Sunday (调休)'],
    ['2027-01-01', false, 'a public holiday on a Friday'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(isWorkingDay(date, CALENDAR)).toBe(working);
  });

  it('counts both ends of the working hours in, on whole minutes only', () => {
    expect(isInsideWorkingHours(msAt('2026-12-24', '09:00'), CALENDAR)).toBe(true);
    expect(isInsideWorkingHours(msAt('2026-12-24', '16:00'), CALENDAR)).toBe(true);
    expect(isInsideWorkingHours(msAt('2026-12-24', '08:59'), CALENDAR)).toBe(false);
    expect(isInsideWorkingHours(msAt('2026-12-24', '16:01'), CALENDAR)).toBe(false);
    expect(isInsideWorkingHours(msAt('2026-12-24', '10:00') + 1_000, CALENDAR)).toBe(false);
    expect(isInsideWorkingHours(msAt('2026-12-26', '10:00'), CALENDAR)).toBe(false);
  });
});
