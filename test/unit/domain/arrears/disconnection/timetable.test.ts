import { describe, expect, it } from 'vitest';
import {
  disconnectionTimesOn,
  instantMs,
  isCalendarGap,
  isInsideWorkingHours,
  planDisconnectionTimes,
} from '#domain/arrears/index.ts';
import { policy } from '../fixtures.ts';

const plan = (noticeAt: string, p = policy()) => {
  const times = planDisconnectionTimes(instantMs(noticeAt), p);
  if (isCalendarGap(times)) throw new Error(`calendar gap at ${times.date}`);
  return times;
};

describe('disconnection times (billing-rules §8, Art. 67)', () => {
  it.each([
    // notice                       disconnection                reason
    [
      '2026-12-21T09:00:00+08:00',
      '2026-12-24T11:15:00+08:00',
      'Monday notice: Thursday, 3 days and the 2-hour margin later',
    ],
    [
      '2026-12-23T09:00:00+08:00',
      '2026-12-28T10:00:00+08:00',
      'Wednesday notice: Saturday is no working day',
    ],
    [
      '2026-12-22T11:00:00+08:00',
      '2026-12-25T13:15:00+08:00',
      'Tuesday 11:00: Friday 13:00, inside the hours',
    ],
    ['2026-12-18T15:00:00+08:00', '2026-12-22T10:00:00+08:00', 'Monday 17:00 is after hours: Tuesday'],
  ])('notice at %s → disconnection at %s (%s)', (noticeAt, disconnectAt) => {
    const reminderAt = new Date(instantMs(disconnectAt) - 30 * 60_000).toISOString();
    const times = plan(noticeAt);
    expect(times.noticeAt).toBe(noticeAt);
    expect(times.disconnectAt).toBe(disconnectAt);
    expect(instantMs(times.reminderAt)).toBe(instantMs(reminderAt));
  });

  it('never plans a day the official calendar does not cover: the plan waits for an operator', () => {
    expect(planDisconnectionTimes(instantMs('2026-12-29T09:00:00+08:00'), policy())).toEqual({
      problem: 'beyond-calendar',
      date: '2027-01-01',
    });
  });

  it('skips the official public holidays and uses the adjusted working days (调休)', () => {
    // Mid-Autumn 25–27 Sep 2026 (Fri–Sun) are holidays; Sunday 20 Sep is a make-up working day.
    expect(plan('2026-09-16T09:00:00+08:00').disconnectAt).toBe('2026-09-20T10:00:00+08:00');
    expect(plan('2026-09-22T09:00:00+08:00').disconnectAt).toBe('2026-09-28T10:00:00+08:00');
    // The example: a bill due 2026-08-31 is no longer cut on 5 October (National Day).
    expect(plan('2026-10-01T09:00:00+08:00').disconnectAt).toBe('2026-10-08T10:00:00+08:00');
  });

  it('holds the notice back when a long holiday pushes the disconnection past the 7-day window', () => {
    // National Day week in the official calendar: 1–7 October are holidays.
    const times = plan('2026-09-29T09:00:00+08:00');
    expect(times.disconnectAt).toBe('2026-10-08T10:00:00+08:00');
    // 9 days away: the notice waits for the first morning scan inside the window.
    expect(times.noticeAt).toBe('2026-10-02T09:00:00+08:00');
  });

  it('uses the policy lead times and reminder (a province with 1-hour reminders)', () => {
    const province = policy({ disconnection: { finalReminderMinutesBefore: 60, preferredTime: '14:00' } });
    expect(plan('2026-12-21T09:00:00+08:00', province)).toEqual({
      noticeAt: '2026-12-21T09:00:00+08:00',
      disconnectAt: '2026-12-24T14:00:00+08:00',
      reminderAt: '2026-12-24T13:00:00+08:00',
    });
  });

  it('puts a chosen day at the preferred time, or says why it cannot', () => {
    const now = instantMs('2026-12-22T15:00:00+08:00');
    expect(disconnectionTimesOn('2026-12-28', now, policy())).toEqual({
      noticeAt: '2026-12-22T15:00:00+08:00',
      disconnectAt: '2026-12-28T10:00:00+08:00',
      reminderAt: '2026-12-28T09:30:00+08:00',
    });
    expect(disconnectionTimesOn('2026-12-26', now, policy())).toBe('not-a-working-day');
    expect(disconnectionTimesOn('2026-12-24', now, policy())).toBe('too-soon');
  });

  it('knows working hours: weekdays 09:00–16:00 in Asia/Shanghai', () => {
    const p = policy();
    expect(isInsideWorkingHours(instantMs('2026-12-24T02:00:00Z'), p.disconnection)).toBe(true); // 10:00 Shanghai
    expect(isInsideWorkingHours(instantMs('2026-12-24T16:01:00+08:00'), p.disconnection)).toBe(false);
    expect(isInsideWorkingHours(instantMs('2026-12-26T10:00:00+08:00'), p.disconnection)).toBe(false); // Saturday
  });
});

describe('a chosen day and the official calendar (billing-rules §8, working days)', () => {
  // The official calendar covers 2024–2026: 2027's public holidays and 调休 are not known yet.
  const local = policy({
    disconnection: { approvalRequiredFor: 'important', nonWorkingDates: ['2027-01-05'] },
  });
  it.each([
    // from (operator's instant)   day           confirmed  answer                         why
    ['2026-09-29T09:00:00+08:00', '2026-10-08', false, '2026-10-08T10:00:00+08:00', 'a covered working day'],
    [
      '2026-09-29T09:00:00+08:00',
      '2026-10-08',
      true,
      '2026-10-08T10:00:00+08:00',
      'the same with the flag: it changes nothing',
    ],
    [
      '2026-09-29T09:00:00+08:00',
      '2026-10-10',
      false,
      '2026-10-10T10:00:00+08:00',
      'a covered 调休 Saturday is a working day',
    ],
    ['2026-09-29T09:00:00+08:00', '2026-10-05', false, 'not-a-working-day', 'a National Day holiday'],
    [
      '2026-09-29T09:00:00+08:00',
      '2026-10-05',
      true,
      'not-a-working-day',
      'a holiday even when the operator confirms it',
    ],
    ['2026-12-28T09:00:00+08:00', '2027-01-04', false, 'beyond-calendar', 'a 2027 Monday cannot be checked'],
    [
      '2026-12-28T09:00:00+08:00',
      '2027-02-08',
      false,
      'beyond-calendar',
      'a 2027 Spring Festival Monday is not known as one',
    ],
    [
      '2026-12-28T09:00:00+08:00',
      '2027-01-04',
      true,
      '2027-01-04T10:00:00+08:00',
      'a 2027 Monday on the operator’s word',
    ],
    [
      '2026-12-28T09:00:00+08:00',
      '2027-01-02',
      false,
      'not-a-working-day',
      'a 2027 Saturday: no confirmation could help',
    ],
    [
      '2026-12-28T09:00:00+08:00',
      '2027-01-02',
      true,
      'not-a-working-day',
      'a 2027 Saturday even when confirmed',
    ],
    ['2026-12-30T09:00:00+08:00', '2027-01-01', true, 'too-soon', 'a 2027 day too near for the notice'],
    [
      '2026-12-28T09:00:00+08:00',
      '2023-06-01',
      false,
      'too-soon',
      'a day before the calendar begins is past',
    ],
  ])('from %s, %s (confirmed: %s) → %s: %s', (from, date, confirmed, answer) => {
    const times = disconnectionTimesOn(date, instantMs(from), policy(), { workingDayConfirmed: confirmed });
    expect(typeof times === 'string' ? times : times.disconnectAt).toBe(answer);
  });

  it('keeps a local holiday beyond the calendar a day off, confirmed or not', () => {
    const from = instantMs('2026-12-28T09:00:00+08:00');
    expect(disconnectionTimesOn('2027-01-05', from, local, { workingDayConfirmed: true })).toBe(
      'not-a-working-day',
    );
    expect(disconnectionTimesOn('2027-01-05', from, local)).toBe('not-a-working-day');
    expect(disconnectionTimesOn('2027-01-06', from, local, { workingDayConfirmed: true })).toMatchObject({
      disconnectAt: '2027-01-06T10:00:00+08:00',
    });
  });

  it('gives a confirmed day beyond the calendar the same notice window as any day', () => {
    const times = disconnectionTimesOn('2027-01-04', instantMs('2026-12-28T09:00:00+08:00'), policy(), {
      workingDayConfirmed: true,
    });
    // Seven days and an hour ahead is too early: the notice waits for the next morning's scan.
    expect(times).toEqual({
      noticeAt: '2026-12-29T09:00:00+08:00',
      disconnectAt: '2027-01-04T10:00:00+08:00',
      reminderAt: '2027-01-04T09:30:00+08:00',
    });
  });
});
