import { describe, expect, it } from 'vitest';
import {
  accountsExpectedIn,
  DEFAULT_FEED_CALENDAR,
  dropsDueBy,
  FeedCalendarSchema,
  missingAccounts,
} from '#domain/feed-calendar.ts';

const calendar = DEFAULT_FEED_CALENDAR; // reads by the 3rd 12:00; payments every weekday by 18:00; 3 days back

describe('feed calendar', () => {
  describe('meter reads for period P are due by day N of the next month', () => {
    it('expects October on 3 November from 12:00', () => {
      expect(dropsDueBy(calendar, '2026-11-03', '12:00')[0]).toEqual({
        feed: 'meter-reads',
        covers: '2026-10',
        due: '2026-11-03 12:00',
      });
    });

    it('still expects only September before 12:00 on 3 November', () => {
      expect(dropsDueBy(calendar, '2026-11-03', '11:59')[0]?.covers).toBe('2026-09');
    });

    it('expects December on 3 January across the year end', () => {
      expect(dropsDueBy(calendar, '2027-01-20', '08:00')[0]?.covers).toBe('2026-12');
    });
  });

  describe('payments every working day', () => {
    const paymentDays = (today: string, time: string, cal = calendar) =>
      dropsDueBy(cal, today, time)
        .filter((d) => d.feed === 'payments')
        .map((d) => d.covers);

    it('expects the weekdays of the look-back and today once its due time has passed', () => {
      // 2026-11-09 is a Monday: Friday the 6th, and Monday itself after 18:00; not the weekend.
      expect(paymentDays('2026-11-09', '17:59')).toEqual(['2026-11-06']);
      expect(paymentDays('2026-11-09', '18:00')).toEqual(['2026-11-06', '2026-11-09']);
    });

    it('skips public holidays and expects make-up working days (调休)', () => {
      const holidays = {
        ...calendar,
        payments: {
          ...calendar.payments,
          nonWorkingDates: ['2026-11-06'],
          extraWorkingDates: ['2026-11-08'],
        },
      };
      expect(paymentDays('2026-11-09', '18:30', holidays)).toEqual(['2026-11-08', '2026-11-09']);
    });
  });

  describe('configuration', () => {
    it('accepts the default calendar', () => {
      expect(FeedCalendarSchema.parse(DEFAULT_FEED_CALENDAR)).toEqual(DEFAULT_FEED_CALENDAR);
    });

    it.each([
      [
        'a due day of 31 (not in every month)',
        { meterReads: { dueDay: 31, dueTime: '12:00' } },
        'meterReads.dueDay',
      ],
      ['a due time of 24:00', { meterReads: { dueDay: 3, dueTime: '24:00' } }, 'meterReads.dueTime'],
      [
        'weekday 8',
        { payments: { ...calendar.payments, workingWeekdays: [8] } },
        'payments.workingWeekdays.0',
      ],
      [
        'a holiday that is not a date',
        { payments: { ...calendar.payments, nonWorkingDates: ['<script>'] } },
        'payments.nonWorkingDates.0',
      ],
      ['a look-back of a year', { lookbackDays: 365 }, 'lookbackDays'],
      ['an unknown field', { extra: 1 }, ''],
    ])('refuses %s, naming the field', (_, change, path) => {
      const parsed = FeedCalendarSchema.safeParse({ ...calendar, ...change });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
    });
  });

  describe('the key accounts a drop should bill', () => {
    const account = (accountId: string, extra: Record<string, string> = {}) =>
      ({ accountId, ...extra }) as never;

    it('are the accounts connected before the period ended and not terminated before it began', () => {
      const accounts = [
        account('3'),
        account('1', { connectedOn: '2026-10-31' }),
        account('2', { connectedOn: '2026-11-01' }),
        account('4', { terminatedOn: '2026-09-30' }),
        account('5', { terminatedOn: '2026-10-01' }),
      ];
      expect(accountsExpectedIn(accounts, '2026-10')).toEqual(['1', '3', '5']);
    });

    it('missing: the expected accounts without a bill, in order', () => {
      expect(missingAccounts(['1', '2', '3'], ['3', '9'])).toEqual(['1', '2']);
    });
  });
});
