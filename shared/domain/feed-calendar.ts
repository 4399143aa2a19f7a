import { z } from 'zod';
import type { Account } from './account.ts';
import { addDays, dateOf, isWorkingDay, minutesOfDay, parsePeriod, shiftPeriod } from './calendar/index.ts';
import { IsoDate } from './primitives.ts';

/*
 * The feed calendar: which upstream drops are expected when (upstream-feeds.md), so that a drop that never
 * came, or came without some key accounts, is noticed by a daily check instead of by a customer. Times
 * are wall clock in Asia/Shanghai, as the producers' schedules are.
 */

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00–23:59)');

export const FeedCalendarSchema = z
  .object({
    /** Names this version of the calendar in logs and notices. */
    version: z.string().min(1).max(40),
    meterReads: z
      .object({
        /** The reads of period P are expected by this day of the month after P (the month-end reading days). */
        dueDay: z.number().int().min(1).max(28),
        /** …at this time of that day. */
        dueTime: HhMm,
      })
      .strict(),
    payments: z
      .object({
        /** One payments drop is expected on every working day, by this time of that day. */
        dueTime: HhMm,
        /** ISO weekdays (1 = Monday) that are working days. */
        workingWeekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
        /** Public holidays on working weekdays: no drop expected. */
        nonWorkingDates: z.array(IsoDate).max(100).default([]),
        /** Make-up working days (调休) on a weekend: a drop expected. */
        extraWorkingDates: z.array(IsoDate).max(100).default([]),
      })
      .strict(),
    /** How many days back the check looks for payment drops that never came. */
    lookbackDays: z.number().int().min(1).max(31),
  })
  .strict();
export type FeedCalendar = z.infer<typeof FeedCalendarSchema>;

export const DEFAULT_FEED_CALENDAR: FeedCalendar = {
  version: '2026-11',
  meterReads: { dueDay: 3, dueTime: '12:00' },
  payments: {
    dueTime: '18:00',
    workingWeekdays: [1, 2, 3, 4, 5],
    nonWorkingDates: [],
    extraWorkingDates: [],
  },
  lookbackDays: 3,
};

/** A drop the calendar expects: the meter reads of a period, or the payments of a working day. */
export interface ExpectedDrop {
  feed: 'meter-reads' | 'payments';
  /** The period (meter reads) or the date (payments) the drop covers. */
  covers: string;
  /** When it is due, `YYYY-MM-DD HH:MM` in Asia/Shanghai. */
  due: string;
}

/**
 * The drops that should have arrived by `today` at `time` (Asia/Shanghai): the meter reads of the latest
 * period already due, and the payments of every working day of the look-back whose due time has passed.
 */
export function dropsDueBy(calendar: FeedCalendar, today: string, time: string): ExpectedDrop[] {
  const { meterReads, payments } = calendar;
  const passed = (date: string, dueTime: string) =>
    date < today || (date === today && minutesOfDay(time) >= minutesOfDay(dueTime));
  const thisPeriod = today.slice(0, 7);
  const dueThisMonth = dateOf(parsePeriod(thisPeriod), meterReads.dueDay);
  const period = shiftPeriod(thisPeriod, passed(dueThisMonth, meterReads.dueTime) ? -1 : -2);
  const expected: ExpectedDrop[] = [
    { feed: 'meter-reads', covers: period, due: meterReadsDue(calendar, period) },
  ];
  const workingCalendar = { ...payments, workingHours: { start: '00:00', end: '23:59' } };
  for (let back = calendar.lookbackDays; back >= 0; back--) {
    const date = addDays(today, -back);
    if (!isWorkingDay(date, workingCalendar) || !passed(date, payments.dueTime)) continue;
    expected.push({ feed: 'payments', covers: date, due: `${date} ${payments.dueTime}` });
  }
  return expected;
}

/** When the meter reads of `period` are due: `YYYY-MM-DD HH:MM` in Asia/Shanghai. */
export const meterReadsDue = (calendar: FeedCalendar, period: string): string =>
  `${dateOf(parsePeriod(shiftPeriod(period, 1)), calendar.meterReads.dueDay)} ${calendar.meterReads.dueTime}`;

/**
 * The accounts a meter-read drop of `period` should bill: every account connected before the period
 * ended and not terminated before it began.
 */
export function accountsExpectedIn(accounts: readonly Account[], period: string): string[] {
  const first = `${period}-01`;
  const afterLast = `${shiftPeriod(period, 1)}-01`;
  return accounts
    .filter(
      (a) =>
        (a.connectedOn === undefined || a.connectedOn < afterLast) &&
        !(a.terminatedOn !== undefined && a.terminatedOn < first),
    )
    .map((a) => a.accountId)
    .sort();
}

/** The expected accounts that have no bill for the period: the drop left them out, or could not bill them. */
export function missingAccounts(expected: readonly string[], billed: Iterable<string>): string[] {
  const have = new Set(billed);
  return expected.filter((id) => !have.has(id));
}
