import { isoWeekday, MINUTE_MS, minutesOfDay } from './dates.ts';
import { shanghaiDateOfMs, shanghaiMinutesOfDay } from './shanghai.ts';

/*
 * The official working calendar (billing-rules.md §8): working weekdays, the public holidays that fall on
 * them and the make-up working days (调休) that fall on a weekend, and the working hours of a working day.
 * The arrears policy's `disconnection` section is one.
 */

export interface WorkingCalendar {
  /** ISO weekdays (1 = Monday) that are working days. */
  workingWeekdays: readonly number[];
  /** Public holidays that fall on working weekdays. */
  nonWorkingDates: readonly string[];
  /** Make-up working days (调休) that fall on a weekend. */
  extraWorkingDates: readonly string[];
  /** Wall-clock HH:MM in Asia/Shanghai, both included. */
  workingHours: { start: string; end: string };
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  if (calendar.extraWorkingDates.includes(date)) return true;
  if (calendar.nonWorkingDates.includes(date)) return false;
  return calendar.workingWeekdays.includes(isoWeekday(date));
}

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
