import { describe, expect, it } from 'vitest';
import {
  disconnectionTimesOn,
  instantMs,
  isInsideWorkingHours,
  planDisconnectionTimes,
} from '#domain/arrears/index.ts';
import { policy } from '../fixtures.ts';

const plan = (noticeAt: string, p = policy()) => planDisconnectionTimes(instantMs(noticeAt), p);

describe('disconnection times (billing-rules §8, Art. 67)', () => {
  it.each([
    // notice                       disconnection                reason
    [
      '2026-12-21T09:00:00+08:00',
      '2026-12-24T10:00:00+08:00',
      'Monday notice: Thursday, 3 days 1 hour later',
    ],
    [
      '2026-12-23T09:00:00+08:00',
      '2026-12-28T10:00:00+08:00',
      'Wednesday notice: Saturday is no working day',
    ],
    ['2026-12-22T11:00:00+08:00', '2026-12-28T10:00:00+08:00', 'Friday 10:00 would be under 3 days'],
    ['2026-12-29T09:00:00+08:00', '2027-01-04T10:00:00+08:00', 'New Year holiday in the policy'],
  ])('notice at %s → disconnection at %s (%s)', (noticeAt, disconnectAt) => {
    expect(plan(noticeAt)).toEqual({
      noticeAt,
      disconnectAt,
      reminderAt: disconnectAt.replace('10:00:00', '09:30:00'),
    });
  });

  it('holds the notice back when a long holiday pushes the disconnection past the 7-day window', () => {
    // National Day week: 1–7 October are holidays, 10 October (a Saturday) is a make-up working day.
    const golden = policy({
      disconnection: {
        nonWorkingDates: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
        extraWorkingDates: ['2026-10-10'],
      },
    });
    const times = plan('2026-09-29T09:00:00+08:00', golden);
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
