import { utcOffsetMs, wallClockIn, wallClockIso } from '#domain/calendar/index.ts';

/*
 * EventBridge Scheduler's part, from a schedule of the template: the instants a cron expression fires on a
 * calendar day in the schedule's time zone, and the input the target receives at each (its context
 * attributes filled in). The runner fires scheduled functions through these, so a schedule's expression,
 * time zone and input are the template's, never a copy.
 */

export interface TemplateSchedule {
  name: string;
  expression: string;
  timeZone: string;
  input?: string;
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A cron field's values: `*`/`?` (any), a number, a range `a-b`, a list `a,b`; day names for the weekday. */
function fieldValues(field: string, min: number, max: number, names: string[] = []): number[] {
  if (field === '*' || field === '?') return range(min, max);
  const value = (v: string) => {
    const named = names.indexOf(v.toUpperCase());
    const n = named >= 0 ? named + 1 : Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`cron field '${field}' is not supported by the local runner`);
    return n;
  };
  return field.split(',').flatMap((part) => {
    const [from, to] = part.split('-');
    return to === undefined ? [value(from!)] : range(value(from!), value(to));
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The instant of a wall-clock time in a time zone. */
function instantOf(day: string, hour: number, minute: number, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  const first = wall - utcOffsetMs(wall, timeZone);
  // Once more at the guessed instant: right across a daylight-saving change too.
  return new Date(wall - utcOffsetMs(first, timeZone));
}

/** Every instant a `cron(...)` schedule fires on a calendar day (YYYY-MM-DD) of its time zone, in order. */
export function firingsOn(schedule: TemplateSchedule, day: string): string[] {
  const cron = /^cron\((.+)\)$/.exec(schedule.expression)?.[1]?.split(' ');
  if (cron?.length !== 6)
    throw new Error(`schedule ${schedule.name}: '${schedule.expression}' is not a cron expression`);
  const [minutes, hours, daysOfMonth, months, weekdays, years] = cron as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;
  const firesThatDay =
    fieldValues(years, 1970, 2199).includes(y) &&
    fieldValues(months, 1, 12).includes(m) &&
    fieldValues(daysOfMonth, 1, 31).includes(d) &&
    fieldValues(weekdays, 1, 7, DAYS).includes(weekday);
  if (!firesThatDay) return [];
  return fieldValues(hours, 0, 23).flatMap((hour) =>
    fieldValues(minutes, 0, 59).map((minute) =>
      instantOf(day, hour, minute, schedule.timeZone)
        .toISOString()
        .replace(/\.000Z$/, 'Z'),
    ),
  );
}

/**
 * The firings to play: every one of a calendar day (YYYY-MM-DD), or the one at an instant (an ISO time),
 * which must be a firing of the schedule; a time it never fires at is a mistake in the caller.
 */
export function firingsAt(schedule: TemplateSchedule, dayOrInstant: string): string[] {
  if (!dayOrInstant.includes('T')) return firingsOn(schedule, dayOrInstant);
  const instant = new Date(dayOrInstant);
  if (Number.isNaN(instant.getTime())) throw new Error(`'${dayOrInstant}' is neither a day nor an instant`);
  const day = wallClockIso(wallClockIn(instant, schedule.timeZone)).slice(0, 10);
  const at = instant.toISOString().replace(/\.000Z$/, 'Z');
  if (!firingsOn(schedule, day).includes(at))
    throw new Error(
      `schedule ${schedule.name} (${schedule.expression}, ${schedule.timeZone}) does not fire at ${at}`,
    );
  return [at];
}

/** The payload Scheduler hands the target at `scheduledTime`: the schedule's input, its context filled in. */
export function scheduledInput(schedule: TemplateSchedule, scheduledTime: string): unknown {
  const text = (schedule.input ?? '{}').replaceAll('<aws.scheduler.scheduled-time>', scheduledTime);
  const unknown = /<aws\.scheduler\.[^>]+>/.exec(text);
  if (unknown !== null)
    throw new Error(`schedule ${schedule.name}: the context attribute ${unknown[0]} is not played locally`);
  return JSON.parse(text);
}
