import { DAY_MS, dayNumber, MINUTE_MS, minutesOfDay } from './dates.ts';

/*
 * Instants and the Asia/Shanghai wall clock. Every date is a calendar day in Asia/Shanghai (YYYY-MM-DD)
 * and every instant an ISO 8601 string; the domain never reads the system clock: callers pass "now".
 * China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
 */

export const SHANGHAI_TIME_ZONE = 'Asia/Shanghai';

/** Asia/Shanghai's offset from UTC. */
export const SHANGHAI_OFFSET_MS = 8 * 60 * MINUTE_MS;

/** Milliseconds since the epoch of an ISO 8601 instant with an offset (or Z). */
export function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${JSON.stringify(instant)}`);
  return ms;
}

/** The canonical form the domain writes instants in: `2026-12-24T10:00:00+08:00`. */
export function shanghaiInstant(ms: number): string {
  return `${new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** The Asia/Shanghai calendar day an instant (milliseconds since the epoch) falls on. */
export function shanghaiDateOfMs(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai calendar day (YYYY-MM-DD) an instant falls on. */
export const shanghaiDate = (instant: string | Date): string =>
  shanghaiDateOfMs(typeof instant === 'string' ? instantMs(instant) : instant.getTime());

/** The instant of a wall-clock time (HH:MM) on a Shanghai calendar day. */
export function msAt(date: string, time: string): number {
  return dayNumber(date) * DAY_MS + minutesOfDay(time) * MINUTE_MS - SHANGHAI_OFFSET_MS;
}

/** Start of a Shanghai calendar day. */
export const startOfDayMs = (date: string): number => dayNumber(date) * DAY_MS - SHANGHAI_OFFSET_MS;

/** Minutes after Shanghai midnight of an instant. */
export function shanghaiMinutesOfDay(ms: number): number {
  const local = ms + SHANGHAI_OFFSET_MS;
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/** `2026-12-24 10:00`, the wall-clock form printed in messages. */
export function formatShanghaiTime(ms: number): string {
  const iso = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
