import { describe, expect, it } from 'vitest';
import { demoOptions, MAX_DEMO_ACCOUNTS } from '../../../scripts/demo-options.ts';

// 2026-12-03 13:00 in Shanghai: November is the latest period that has ended.
const NOW = new Date('2026-12-03T05:00:00Z');

describe("the demo's options", () => {
  it('takes the defaults: 50 accounts, the period the billing cycle picks', () => {
    expect(demoOptions({ accounts: '50' }, NOW)).toEqual({ accounts: 50, period: undefined });
  });

  it.each([
    ['2026-11', 'the month that just ended'],
    ['2025-02', 'a month long past'],
  ])('bills %s (%s)', (period) => {
    expect(demoOptions({ accounts: '1', period }, NOW)).toEqual({ accounts: 1, period });
  });

  it('takes a period that ended at midnight in Shanghai, while it is still the day before in UTC', () => {
    // 2026-12-31T16:30Z is 00:30 on 1 January in Shanghai: December has ended there.
    expect(demoOptions({ accounts: '5', period: '2026-12' }, new Date('2026-12-31T16:30:00Z')).period).toBe(
      '2026-12',
    );
  });

  it.each([
    ['2026-12', /--period 2026-12 has not ended in Asia\/Shanghai \(the latest that has is 2026-11\)/],
    ['2031-01', /has not ended/],
    ['2026-13', /--period "2026-13" is not YYYY-MM/],
    ['2026-1', /is not YYYY-MM/],
    ['', /is not YYYY-MM/],
    ['2026-11\n{"level":"ERROR"}', /is not YYYY-MM/],
  ])('refuses --period %j', (period, message) => {
    expect(() => demoOptions({ accounts: '50', period }, NOW)).toThrow(message);
  });

  it.each([
    ['0'],
    ['-5'],
    ['1.5'],
    ['abc'],
    [''],
    ['1e3'],
    [' 50'],
    [String(MAX_DEMO_ACCOUNTS + 1)],
    ['9'.repeat(400)],
  ])('refuses --accounts %j, quoting at most 40 characters of it', (accounts) => {
    let message = '';
    try {
      demoOptions({ accounts }, NOW);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^--accounts .* is not a whole number from 1 to 5000$/);
    expect(message.length).toBeLessThan(110);
  });
});
