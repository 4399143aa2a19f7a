/*
 * Calendar arithmetic on plain dates (YYYY-MM-DD, Asia/Shanghai calendar days). Dates never pass through
 * a time zone: they are counted as UTC midnights, which have no daylight-saving gaps.
 */

const DAY_MS = 86_400_000;

export interface Month {
  year: number;
  month: number;
  days: number;
}

export function parsePeriod(period: string): Month {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return { year, month, days: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');

export const periodOf = (year: number, month: number): string => {
  const index = year * 12 + (month - 1);
  return `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
};

/** The period `offset` months after (negative: before) `period`. */
export function shiftPeriod(period: string, offset: number): string {
  const { year, month } = parsePeriod(period);
  return periodOf(year, month + offset);
}

export const dateOf = (m: Month, day: number): string => `${m.year}-${pad2(m.month)}-${pad2(day)}`;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export const isIsoDate = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && dateOfDayNumber(dayNumber(value)) === value;
