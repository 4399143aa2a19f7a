import { describe, expect, it } from 'vitest';
import {
  firingsAt,
  firingsOn,
  scheduledInput,
  type TemplateSchedule,
} from '../../../local/runner/schedule-firing.ts';

const schedule = (expression: string, timeZone = 'Asia/Shanghai', input?: string): TemplateSchedule => ({
  name: 'keybill-test',
  expression,
  timeZone,
  ...(input === undefined ? {} : { input }),
});

describe('the instants a template schedule fires on a day of its time zone', () => {
  it('fires the daily scan at 09:00 China Standard Time, 01:00 UTC', () => {
    expect(firingsOn(schedule('cron(0 9 * * ? *)'), '2026-11-21')).toEqual(['2026-11-21T01:00:00Z']);
  });

  it('fires a 06:00 schedule on the previous UTC day when the zone is ahead of UTC', () => {
    expect(firingsOn(schedule('cron(0 6 3 * ? *)'), '2026-12-03')).toEqual(['2026-12-02T22:00:00Z']);
  });

  it('fires a monthly schedule on its day of the month only', () => {
    expect(firingsOn(schedule('cron(0 6 3 * ? *)'), '2026-12-04')).toEqual([]);
  });

  it('fires every hour of a weekday range, and not at the weekend', () => {
    const office = schedule('cron(0 9-17 ? * MON-FRI *)');
    expect(firingsOn(office, '2026-12-04')).toHaveLength(9); // a Friday
    expect(firingsOn(office, '2026-12-05')).toEqual([]); // a Saturday
  });

  it('follows daylight saving time in a zone that has it', () => {
    const berlin = schedule('cron(0 9 * * ? *)', 'Europe/Berlin');
    expect(firingsOn(berlin, '2026-07-01')).toEqual(['2026-07-01T07:00:00Z']);
    expect(firingsOn(berlin, '2026-12-01')).toEqual(['2026-12-01T08:00:00Z']);
  });

  it('refuses what it does not play rather than firing at the wrong time', () => {
    expect(() => firingsOn(schedule('rate(1 hour)'), '2026-11-21')).toThrow(/is not a cron expression/);
    expect(() => firingsOn(schedule('cron(0/5 9 * * ? *)'), '2026-11-21')).toThrow(/not supported/);
    expect(() => firingsOn(schedule('cron(0 25 * * ? *)'), '2026-11-21')).toThrow(/not supported/);
    expect(() => firingsOn(schedule('cron(0 9 L * ? *)'), '2026-11-21')).toThrow(/not supported/);
    expect(() => firingsOn(schedule('cron(0 9 * *)'), '2026-11-21')).toThrow(/is not a cron expression/);
  });
});

describe('one firing, named by its instant', () => {
  const hourly = schedule('cron(15 * * * ? *)');

  it('plays the one firing at that instant, in any spelling of it', () => {
    expect(firingsAt(hourly, '2026-11-03T05:15:00Z')).toEqual(['2026-11-03T05:15:00Z']);
    expect(firingsAt(hourly, '2026-11-03T13:15:00+08:00')).toEqual(['2026-11-03T05:15:00Z']);
    expect(firingsAt(hourly, '2026-11-03T05:15:00.000Z')).toEqual(['2026-11-03T05:15:00Z']);
  });

  it("finds the firing on the zone's day, not UTC's", () => {
    // 23:15 UTC on the 2nd is 07:15 on the 3rd in Shanghai: a firing of a schedule on the 3rd only.
    expect(firingsAt(schedule('cron(15 7 3 * ? *)'), '2026-11-02T23:15:00Z')).toEqual([
      '2026-11-02T23:15:00Z',
    ]);
  });

  it('plays every firing of a day given a day', () => {
    expect(firingsAt(hourly, '2026-11-03')).toHaveLength(24);
  });

  it('refuses an instant the schedule never fires at, and text that is no instant', () => {
    expect(() => firingsAt(hourly, '2026-11-03T05:00:00Z')).toThrow(/does not fire at 2026-11-03T05:00:00Z/);
    expect(() => firingsAt(hourly, '2026-11-03Tnoon')).toThrow(/neither a day nor an instant/);
  });
});

describe("the input Scheduler hands the schedule's target", () => {
  it('fills in the scheduled time', () => {
    const daily = schedule(
      'cron(0 9 * * ? *)',
      'Asia/Shanghai',
      '{"task":"daily-arrears-scan","scheduledTime":"<aws.scheduler.scheduled-time>"}',
    );
    expect(scheduledInput(daily, '2026-11-21T01:00:00Z')).toEqual({
      task: 'daily-arrears-scan',
      scheduledTime: '2026-11-21T01:00:00Z',
    });
  });

  it('hands an empty object when the schedule has no input', () => {
    expect(scheduledInput(schedule('cron(0 9 * * ? *)'), '2026-11-21T01:00:00Z')).toEqual({});
  });

  it('refuses a context attribute it does not play', () => {
    const attempt = schedule('cron(0 9 * * ? *)', 'UTC', '{"n":"<aws.scheduler.attempt-number>"}');
    expect(() => scheduledInput(attempt, '2026-11-21T01:00:00Z')).toThrow(/attempt-number/);
  });
});
