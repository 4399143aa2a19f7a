import {
  addDays,
  calendarCovers,
  DAY_MS,
  instantMs,
  isWorkingDay,
  MINUTE_MS,
  msAt,
  shanghaiDateOfMs,
  shanghaiInstant,
} from '../../calendar/index.ts';
import type { ArrearsPolicy } from '../policy.ts';

/*
 * When a disconnection can happen and when its messages go out (billing-rules.md §8, Art. 67): the
 * disconnection falls on a working day at the policy's preferred time inside working hours, the written
 * notice reaches the customer between the policy's minimum and maximum lead (3 to 7 days) before it, and
 * the final reminder goes exactly `finalReminderMinutesBefore` (30) minutes before it.
 */

/**
 * A one-time schedule of one plan revision (EventBridge Scheduler in AWS): its final reminder, or the
 * check at the end of the delivery window that its notice reached the customer.
 */
export interface ReminderSchedule {
  scheduleName: string;
  planId: string;
  revision: number;
  at: string;
  /** What the schedule does when it fires; absent: the final reminder. */
  task?: 'delivery-check';
}

const HOUR_MS = 60 * MINUTE_MS;
const schedulerSafe = (planId: string) => planId.replace(/[^0-9A-Za-z_.-]/g, '-');

/** A Scheduler-safe name ([0-9A-Za-z-_.], ≤ 64) for the final reminder of one plan revision. */
export const reminderScheduleName = (planId: string, revision: number): string =>
  `dp-${schedulerSafe(planId)}-r${revision}`;

/** The name of the delivery check of one plan revision's notice. */
export const deliveryCheckScheduleName = (planId: string, revision: number): string =>
  `dc-${schedulerSafe(planId)}-r${revision}`;

/** The delivery check of a notice sent at `noticeSentAt`: at the end of the policy's delivery window. */
export const deliveryCheckSchedule = (
  planId: string,
  revision: number,
  noticeSentAt: string,
  policy: ArrearsPolicy,
): ReminderSchedule => ({
  scheduleName: deliveryCheckScheduleName(planId, revision),
  planId,
  revision,
  at: shanghaiInstant(instantMs(noticeSentAt) + policy.disconnection.deliveryWindowHours * HOUR_MS),
  task: 'delivery-check',
});

export interface DisconnectionTimes {
  noticeAt: string;
  disconnectAt: string;
  reminderAt: string;
}

/** A disconnection search that found no working day this far ahead means the calendar is wrong. */
const SEARCH_HORIZON_DAYS = 120;
/** Disconnection times fall on whole five minutes. */
const SLOT_MS = 5 * MINUTE_MS;
/**
 * Planned before its delivery is known, a disconnection allows the notice this long to be delivered:
 * a notice delivered promptly keeps the time it states; a later delivery moves the plan (./delivery.ts).
 */
export const DELIVERY_ALLOWANCE_MS = 15 * MINUTE_MS;

/** The instant of the daily scan on a day: notices are sent at scan times. */
export const scanMsOn = (date: string, policy: ArrearsPolicy): number => msAt(date, policy.scanTime);

/** The least time from a notice's delivery to its disconnection: the minimum lead plus the margin. */
export const minimumLeadMs = (policy: ArrearsPolicy): number =>
  policy.disconnection.noticeLeadDays.min * DAY_MS + policy.disconnection.deliveryMarginHours * HOUR_MS;

function times(noticeMs: number, disconnectMs: number, policy: ArrearsPolicy): DisconnectionTimes {
  return {
    noticeAt: shanghaiInstant(noticeMs),
    disconnectAt: shanghaiInstant(disconnectMs),
    reminderAt: shanghaiInstant(disconnectMs - policy.disconnection.finalReminderMinutesBefore * MINUTE_MS),
  };
}

/**
 * The notice time for a disconnection at `disconnectMs` when the notice can go out at `earliestNoticeMs`
 * or later: then, if that is inside the window; otherwise the first daily-scan time inside the window
 * (the notice waits rather than arriving too early, and then gives as much notice as the window allows).
 * Null when even `earliestNoticeMs` is too late for the minimum lead (counted as if delivered when sent).
 */
export function noticeTimeFor(
  earliestNoticeMs: number,
  disconnectMs: number,
  policy: ArrearsPolicy,
): number | null {
  const { max } = policy.disconnection.noticeLeadDays;
  const lead = disconnectMs - earliestNoticeMs;
  if (lead < minimumLeadMs(policy)) return null;
  if (lead <= max * DAY_MS) return earliestNoticeMs;
  // Scans are a day apart and the window is wider than a day plus the margin, so this lands in it.
  let day = addDays(shanghaiDateOfMs(disconnectMs), -max);
  while (disconnectMs - scanMsOn(day, policy) > max * DAY_MS) day = addDays(day, 1);
  return scanMsOn(day, policy);
}

/**
 * The first disconnection time on `date` not before `earliestMs`: the preferred time, or later the same
 * day while still inside working hours (the final reminder before it is then inside them too). Null when
 * the date is not a working day or the day's hours are over.
 */
function slotOn(date: string, earliestMs: number, policy: ArrearsPolicy): number | null {
  const d = policy.disconnection;
  if (!isWorkingDay(date, d)) return null;
  const slot = Math.max(msAt(date, d.preferredTime), Math.ceil(earliestMs / SLOT_MS) * SLOT_MS);
  return slot <= msAt(date, d.workingHours.end) ? slot : null;
}

/** The plan needs a day the official calendar does not cover yet: it waits for an operator. */
export interface CalendarGap {
  problem: 'beyond-calendar';
  date: string;
}

export const isCalendarGap = (t: DisconnectionTimes | CalendarGap): t is CalendarGap => 'problem' in t;

/**
 * The earliest disconnection a notice going out at `earliestNoticeMs` (or later) allows: at least the
 * minimum lead plus margin after its delivery, taken as the send until a delivery is recorded. With
 * `countFromMs` (a notice delivered earlier, the plan moved later) the new notice goes out at
 * `earliestNoticeMs` and the lead counts from that delivery.
 */
export function planDisconnectionTimes(
  earliestNoticeMs: number,
  policy: ArrearsPolicy,
  countFromMs?: number,
): DisconnectionTimes | CalendarGap {
  const reminderMs = policy.disconnection.finalReminderMinutesBefore * MINUTE_MS;
  const earliest =
    countFromMs === undefined
      ? earliestNoticeMs + minimumLeadMs(policy) + DELIVERY_ALLOWANCE_MS
      : Math.max(countFromMs + minimumLeadMs(policy), earliestNoticeMs + reminderMs + SLOT_MS);
  const first = shanghaiDateOfMs(earliest);
  for (let k = 0; k <= SEARCH_HORIZON_DAYS; k++) {
    const date = addDays(first, k);
    if (!calendarCovers(date, policy.disconnection)) return { problem: 'beyond-calendar', date };
    const disconnectMs = slotOn(date, earliest, policy);
    if (disconnectMs === null) continue;
    if (countFromMs !== undefined) return times(earliestNoticeMs, disconnectMs, policy);
    const noticeMs = noticeTimeFor(earliestNoticeMs, disconnectMs, policy);
    if (noticeMs !== null) return times(noticeMs, disconnectMs, policy);
  }
  throw new RangeError(
    `no working day within ${SEARCH_HORIZON_DAYS} days of ${shanghaiInstant(earliestNoticeMs)}`,
  );
}

export type DisconnectionDateProblem = 'not-a-working-day' | 'too-soon' | 'beyond-calendar';

/**
 * Times for a disconnection on a chosen day (an operator's deferral), or why that day cannot be used.
 * The official calendar decides a day it covers, whatever the operator says. A day beyond its coverage
 * (billing-rules.md §8) must still be a working weekday and no local holiday, and is used only when the
 * operator confirms it is a working day (they checked the published holidays): its public holidays and
 * 调休 cannot be checked here. Without that, 'beyond-calendar' — only for a day the confirmation would
 * make usable, so that the operator is not asked to confirm a day refused anyway.
 */
export function disconnectionTimesOn(
  date: string,
  earliestNoticeMs: number,
  policy: ArrearsPolicy,
  { workingDayConfirmed = false }: { workingDayConfirmed?: boolean } = {},
): DisconnectionTimes | DisconnectionDateProblem {
  const d = policy.disconnection;
  const covered = calendarCovers(date, d);
  const working = covered ? isWorkingDay(date, d) : isWorkingDay(date, { ...d, officialCalendar: false });
  const disconnectMs = msAt(date, d.preferredTime);
  const noticeMs = noticeTimeFor(earliestNoticeMs, disconnectMs, policy);
  // A day past or too near is refused as such, even before the calendar's coverage starts.
  if (!covered && noticeMs === null) return 'too-soon';
  if (!working) return 'not-a-working-day';
  if (!covered && !workingDayConfirmed) return 'beyond-calendar';
  return noticeMs === null ? 'too-soon' : times(noticeMs, disconnectMs, policy);
}
