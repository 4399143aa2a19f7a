import { describe, expect, it } from 'vitest';
import { policy } from './fixtures.ts';

describe('arrears policy document', () => {
  it.each([
    [{ ladder: { disconnectionNoticeDaysAfterDue: 30 } }, 'more than 30 days overdue'],
    [{ ladder: { paymentDemandDaysAfterDue: 1 } }, 'after the overdue notice'],
    [{ disconnection: { preferredTime: '09:15' } }, 'inside working hours'],
    [{ disconnection: { noticeLeadDays: { min: 3, max: 3 } } }, 'at least one day'],
    [{ authorityEmail: 'not-an-email' }, 'authorityEmail'],
  ])('refuses %j', (overrides, message) => {
    let error: unknown;
    try {
      policy(overrides as never);
    } catch (e) {
      error = e;
    }
    expect(String((error as Error)?.message)).toContain(message);
  });

  it('fills the spec defaults', () => {
    const p = policy();
    expect(p.ladder).toEqual({
      reminderDaysBeforeDue: 3,
      overdueNoticeDaysAfterDue: 1,
      paymentDemandDaysAfterDue: 15,
      disconnectionNoticeDaysAfterDue: 31,
      minDaysFromDemandToDisconnectionNotice: 7,
    });
    expect(p.disconnection.noticeLeadDays).toEqual({ min: 3, max: 7 });
    expect(p.disconnection.finalReminderMinutesBefore).toBe(30);
    expect(p.penalty).toEqual({
      currentYearPerMille: '2',
      carriedOverPerMille: '3',
      residentialPerMille: '1',
      minimumYuan: '1',
    });
  });
});
