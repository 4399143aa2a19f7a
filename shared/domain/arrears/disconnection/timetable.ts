import {
  addDays,
  DAY_MS,
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

/** A one-time schedule for a final reminder (EventBridge Scheduler in AWS). */
export interface ReminderSchedule {
  scheduleName: string;
  planId: string;
  revision: number;
  at: string;
}

/** A Scheduler-safe name ([0-9A-Za-z-_.], ≤ 64) for the final reminder of one plan revision. */
export const reminderScheduleName = (planId: string, revision: number): string =>
  `dp-${planId.replace(/[^0-9A-Za-z_.-]/g, '-')}-r${revision}`;

export interface DisconnectionTimes {
  noticeAt: string;
  disconnectAt: string;
  reminderAt: string;
}

/** A disconnection search that found no working day this far ahead means the calendar is wrong. */
const SEARCH_HORIZON_DAYS = 120;

/** The instant of the daily scan on a day: notices are sent at scan times. */
export const scanMsOn = (date: string, policy: ArrearsPolicy): number => msAt(date, policy.scanTime);

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
 * Null when even `earliestNoticeMs` is too late for the minimum lead.
 */
export function noticeTimeFor(
  earliestNoticeMs: number,
  disconnectMs: number,
  policy: ArrearsPolicy,
): number | null {
  const { min, max } = policy.disconnection.noticeLeadDays;
  const lead = disconnectMs - earliestNoticeMs;
  if (lead < min * DAY_MS) return null;
  if (lead <= max * DAY_MS) return earliestNoticeMs;
  // Scans are a day apart and the window is at least a day wide (max ≥ min + 1), so this lands in it.
  let day = addDays(shanghaiDateOfMs(disconnectMs), -max);
  while (disconnectMs - scanMsOn(day, policy) > max * DAY_MS) day = addDays(day, 1);
  return scanMsOn(day, policy);
}

/** The earliest disconnection a notice going out at `earliestNoticeMs` (or later) allows. */
export function planDisconnectionTimes(earliestNoticeMs: number, policy: ArrearsPolicy): DisconnectionTimes {
  const first = shanghaiDateOfMs(earliestNoticeMs);
  for (let k = 0; k <= SEARCH_HORIZON_DAYS; k++) {
    const date = addDays(first, k);
    if (!isWorkingDay(date, policy.disconnection)) continue;
    const disconnectMs = msAt(date, policy.disconnection.preferredTime);
    const noticeMs = noticeTimeFor(earliestNoticeMs, disconnectMs, policy);
    if (noticeMs !== null) return times(noticeMs, disconnectMs, policy);
  }
  throw new RangeError(
    `no working day within ${SEARCH_HORIZON_DAYS} days of ${shanghaiInstant(earliestNoticeMs)}`,
  );
}

export type DisconnectionDateProblem = 'not-a-working-day' | 'too-soon';

/** Times for a disconnection on a chosen day (an operator's deferral), or why that day cannot be used. */
export function disconnectionTimesOn(
  date: string,
  earliestNoticeMs: number,
  policy: ArrearsPolicy,
): DisconnectionTimes | DisconnectionDateProblem {
  if (!isWorkingDay(date, policy.disconnection)) return 'not-a-working-day';
  const disconnectMs = msAt(date, policy.disconnection.preferredTime);
  const noticeMs = noticeTimeFor(earliestNoticeMs, disconnectMs, policy);
  return noticeMs === null ? 'too-soon' : times(noticeMs, disconnectMs, policy);
}
