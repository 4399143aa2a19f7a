import { addDays, daysBetween, isoWeekday, MINUTE_MS, minutesOfDay } from './dates.ts';
import {
  isOfficialHoliday,
  isOfficialWorkday,
  officialCalendarCovers,
  officialCoverageEnd,
} from './official/index.ts';
import { shanghaiDateOfMs, shanghaiMinutesOfDay } from './shanghai.ts';

/*
 * The working calendar (billing-rules.md §8): working weekdays, the official calendar's public holidays
 * and adjusted working days (调休) unless switched off, the policy's own extra holidays and make-up days,
 * and the working hours of a working day. The arrears policy's `disconnection` section is one.
 */

export interface WorkingCalendar {
  /** ISO weekdays (1 = Monday) that are working days. */
  workingWeekdays: readonly number[];
  /** Follow the official calendar (./official/): its holidays are days off, its 调休 days working days. */
  officialCalendar?: boolean;
  /** Days off besides the official calendar's (a local holiday). */
  nonWorkingDates: readonly string[];
  /** Working days besides the official calendar's. */
  extraWorkingDates: readonly string[];
  /** Wall-clock HH:MM in Asia/Shanghai, both included. */
  workingHours: { start: string; end: string };
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  if (calendar.extraWorkingDates.includes(date)) return true;
  if (calendar.nonWorkingDates.includes(date)) return false;
  if (calendar.officialCalendar === true) {
    if (isOfficialWorkday(date)) return true;
    if (isOfficialHoliday(date)) return false;
  }
  return calendar.workingWeekdays.includes(isoWeekday(date));
}

/** Whether the calendar knows a date's holidays: always, unless it follows an official calendar that ends earlier. */
export const calendarCovers = (date: string, calendar: WorkingCalendar): boolean =>
  calendar.officialCalendar !== true || officialCalendarCovers(date);

/** Days from `today` to the last covered day (null: the calendar has no end). */
export const daysOfCoverageLeft = (today: string, calendar: WorkingCalendar): number | null =>
  calendar.officialCalendar === true ? daysBetween(today, officialCoverageEnd()) : null;

/** True when an instant is on a working day, within working hours (start and end included). */
export function isInsideWorkingHours(ms: number, calendar: WorkingCalendar): boolean {
  const { start, end } = calendar.workingHours;
  const minutes = shanghaiMinutesOfDay(ms);
  return (
    isWorkingDay(shanghaiDateOfMs(ms), calendar) &&
    minutes >= minutesOfDay(start) &&
    minutes <= minutesOfDay(end) &&
    ms % MINUTE_MS === 0
  );
}

/** The `n`-th working day after `date` (n ≥ 1). */
export function addWorkingDays(date: string, n: number, calendar: WorkingCalendar): string {
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) left--;
  }
  return day;
}
