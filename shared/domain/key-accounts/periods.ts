/*
 * Period and date arithmetic for the ranking (YYYY-MM periods, YYYY-MM-DD dates counted as UTC midnights,
 * which have no daylight-saving gaps). A local copy so this module depends on nothing but the model.
 */

const DAY_MS = 86_400_000;

const pad2 = (n: number): string => String(n).padStart(2, '0');

function periodIndex(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
}

/** The period `offset` months after (negative: before) `period`. */
export function shiftPeriod(period: string, offset: number): string {
  const index = periodIndex(period) + offset;
  return `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
}

/** Months from `from` to `to` (positive when `to` is later). */
export const periodsBetween = (from: string, to: string): number => periodIndex(to) - periodIndex(from);

const DAYS = new Map<string, number>();

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

export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(t + days * DAY_MS).toISOString().slice(0, 10);
}
