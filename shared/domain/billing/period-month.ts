import { dayNumber, type Month, pad2, parsePeriod, shiftPeriod } from '../calendar/index.ts';

/* The billing period's month as the engine reads it: its days, its first day, the month after it. */

const DAY_MS = 86_400_000;

const months = new Map<string, { month: Month; next: string }>();

/** The period's month, and the next month as "YYYY-MM" (cached: a run bills a handful of periods). */
function periodFacts(period: string): { month: Month; next: string } {
  let facts = months.get(period);
  if (facts === undefined) {
    const next = parsePeriod(shiftPeriod(period, 1));
    facts = { month: parsePeriod(period), next: `${next.year}-${pad2(next.month)}` };
    if (months.size > 1000) months.clear();
    months.set(period, facts);
  }
  return facts;
}

export const monthOf = (period: string): Month => periodFacts(period).month;
export const nextMonthOf = (period: string): string => periodFacts(period).next;

/** Day number (days since 1970-01-01) of the first day of the period month. */
export const firstDayOf = (month: Month): number => Date.UTC(month.year, month.month - 1, 1) / DAY_MS;

export const firstDateOf = (month: Month): string => `${month.year}-${pad2(month.month)}-01`;

/** Day of the period month (1…days) of a date; below 1 or above days when outside the month. */
export const dayOfMonth = (date: string, month: Month): number => dayNumber(date) - firstDayOf(month) + 1;
