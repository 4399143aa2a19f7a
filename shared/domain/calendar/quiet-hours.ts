import { wallClockIn } from './wall-clock.ts';

/**
 * Quiet hours for SMS (default 21:00–08:00 Asia/Shanghai): an SMS due inside them is deferred to their
 * end, never dropped. Times are wall-clock HH:MM in the configured zone; a window may wrap midnight.
 */
export interface QuietHours {
  start: string;
  end: string;
  timeZone: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00', timeZone: 'Asia/Shanghai' };

const minutesOf = (hhmm: string): number => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (match === null) throw new RangeError(`expected HH:MM, got ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
};

/** "21:00-08:00" → QuietHours in the given zone; empty → none. */
export function parseQuietHours(spec: string | undefined, timeZone = 'Asia/Shanghai'): QuietHours | null {
  if (spec === undefined || spec.trim() === '') return null;
  const [start, end] = spec.split('-').map((s) => s.trim());
  if (start === undefined || end === undefined) throw new RangeError(`expected HH:MM-HH:MM, got ${spec}`);
  minutesOf(start);
  minutesOf(end);
  return { start, end, timeZone };
}

function localMinutes(instant: Date, timeZone: string): number {
  const { hour, minute } = wallClockIn(instant, timeZone);
  return hour * 60 + minute;
}

export function isQuietTime(instant: Date, quiet: QuietHours): boolean {
  const now = localMinutes(instant, quiet.timeZone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** The first instant at or after `instant` that is outside the quiet hours (minute precision). */
export function quietHoursEnd(instant: Date, quiet: QuietHours): Date {
  if (!isQuietTime(instant, quiet)) return instant;
  const now = localMinutes(instant, quiet.timeZone);
  const end = minutesOf(quiet.end);
  const wait = (end - now + 24 * 60) % (24 * 60);
  const at = new Date(instant.getTime() + wait * 60_000);
  at.setUTCSeconds(0, 0);
  return at;
}
