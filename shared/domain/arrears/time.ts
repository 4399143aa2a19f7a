/*
 * Calendar and clock arithmetic for the arrears domain. Every date is a calendar day in Asia/Shanghai
 * (YYYY-MM-DD) and every instant is an ISO 8601 string; the domain never reads the system clock; callers
 * pass "now". China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Asia/Shanghai's offset from UTC. */
export const SHANGHAI_OFFSET_MS = 8 * 60 * MINUTE_MS;

export { DAY_MS, MINUTE_MS };

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export const addDays = (date: string, days: number): string => dateOfDayNumber(dayNumber(date) + days);

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

export const isIsoDate = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && dateOfDayNumber(dayNumber(value)) === value;

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

/** The Asia/Shanghai calendar day an instant falls on. */
export function shanghaiDateOfMs(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export const shanghaiDateOf = (instant: string): string => shanghaiDateOfMs(instantMs(instant));

/** Minutes after midnight of an `HH:MM` time of day. */
export function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

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
