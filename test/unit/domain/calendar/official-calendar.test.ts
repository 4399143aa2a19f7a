import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarCovers,
  daysOfCoverageLeft,
  isWorkingDay,
  OFFICIAL_CALENDAR_YEARS,
  officialCoverageEnd,
  type WorkingCalendar,
} from '#domain/calendar/index.ts';
import pkg from '../../../../package.json' with { type: 'json' };
import { CHINESE_DAYS_VERSION, packageYear } from '../../../../scripts/calendar-snapshot.ts';

const OFFICIAL: WorkingCalendar = {
  workingWeekdays: [1, 2, 3, 4, 5],
  officialCalendar: true,
  nonWorkingDates: [],
  extraWorkingDates: [],
  workingHours: { start: '09:00', end: '16:00' },
};

describe('the official working-day calendar (billing-rules §8)', () => {
  it.each(OFFICIAL_CALENDAR_YEARS.map((y) => [y.year, y]))(
    'holds %s exactly as the pinned chinese-days package publishes it, naming its source',
    (year, snapshot) => {
      expect(snapshot.source).toContain(`chinese-days@${CHINESE_DAYS_VERSION}`);
      expect(packageYear(year as number)).toEqual({
        holidays: snapshot.holidays,
        workdays: snapshot.workdays,
      });
    },
  );

  it('pins chinese-days to an exact version', () => {
    expect(pkg.devDependencies['chinese-days']).toBe(CHINESE_DAYS_VERSION);
  });

  it('knows the National Day holiday and the 调休 working days of 2026', () => {
    expect(isWorkingDay('2026-10-05', OFFICIAL)).toBe(false); // Monday, National Day
    expect(isWorkingDay('2026-10-08', OFFICIAL)).toBe(true);
    expect(isWorkingDay('2026-09-20', OFFICIAL)).toBe(true); // Sunday, make-up working day
    expect(isWorkingDay('2026-10-10', OFFICIAL)).toBe(true); // Saturday, make-up working day
    expect(isWorkingDay('2026-10-05', { ...OFFICIAL, officialCalendar: false })).toBe(true);
  });

  it('covers the years it has a snapshot for, and says how many days are left', () => {
    expect(officialCoverageEnd()).toBe('2026-12-31');
    expect(calendarCovers('2026-12-31', OFFICIAL)).toBe(true);
    expect(calendarCovers('2027-01-01', OFFICIAL)).toBe(false);
    expect(daysOfCoverageLeft('2026-11-01', OFFICIAL)).toBe(60);
    expect(daysOfCoverageLeft('2026-11-01', { ...OFFICIAL, officialCalendar: false })).toBeNull();
  });

  it('counts working days for restoration over a holiday', () => {
    // Cleared on the last working day before National Day: restored by 9 October at the latest.
    expect(addWorkingDays('2026-09-30', 2, OFFICIAL)).toBe('2026-10-09');
  });
});
