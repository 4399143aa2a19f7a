/**
 * The wall-clock reading of an instant in an IANA time zone. The domain's own dates are Asia/Shanghai with
 * its fixed offset (shanghai.ts); this serves what takes its zone from configuration or from a template
 * (quiet hours, Scheduler's `at(...)` and `cron(...)`), where a zone with daylight saving is possible.
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** What a clock in `timeZone` shows at `instant` (a RangeError for a zone Intl does not know). */
export function wallClockIn(instant: Date, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** A wall-clock reading as ISO 8601 without offset: `2026-11-23T11:15:00` (its date is the first 10). */
export const wallClockIso = (w: WallClock): string =>
  `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;

/** The UTC offset of `timeZone` at an instant, in milliseconds (+08:00 → 28,800,000). */
export function utcOffsetMs(instantMs: number, timeZone: string): number {
  const wall = wallClockIn(new Date(instantMs), timeZone);
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallMs - Math.floor(instantMs / 1000) * 1000;
}
