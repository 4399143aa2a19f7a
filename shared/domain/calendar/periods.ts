/*
 * Billing periods (YYYY-MM, one calendar month) and the dates in them. Months are counted as an index
 * (year × 12 + month − 1) so that shifting by any number of months crosses years without special cases.
 */

export interface Month {
  year: number;
  month: number;
  days: number;
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');

export function parsePeriod(period: string): Month {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return { year, month, days: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

function periodIndex(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
}

const periodOfIndex = (index: number): string => `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;

/** The period of a year and month; a month outside 1–12 carries into the years around. */
export const periodOf = (year: number, month: number): string => periodOfIndex(year * 12 + (month - 1));

/** The period `offset` months after (negative: before) `period`. */
export const shiftPeriod = (period: string, offset: number): string =>
  periodOfIndex(periodIndex(period) + offset);

/** Months from `from` to `to` (positive when `to` is later). */
export const periodsBetween = (from: string, to: string): number => periodIndex(to) - periodIndex(from);

export const dateOf = (m: Month, day: number): string => `${m.year}-${pad2(m.month)}-${pad2(day)}`;

const DAYS = new Map<string, number>();

/** Days in a period (cached: the ranking asks for the same few months for every account). */
export function daysInPeriod(period: string): number {
  let days = DAYS.get(period);
  if (days === undefined) {
    days = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).getUTCDate();
    DAYS.set(period, days);
  }
  return days;
}

/** The `length` periods ending with `last`, oldest first. */
export function periodWindow(last: string, length: number): string[] {
  return Array.from({ length }, (_, i) => shiftPeriod(last, i - length + 1));
}

/** The billing period that closed before the month of `date`: 2026-11-01 → 2026-10. */
export const periodBefore = (date: string): string => shiftPeriod(date.slice(0, 7), -1);

/** The first day after the period: 2026-10 → 2026-11-01. */
export const dayAfterPeriod = (period: string): string => `${shiftPeriod(period, 1)}-01`;
