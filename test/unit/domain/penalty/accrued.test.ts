import { describe, expect, it } from 'vitest';
import { accruedPenalty, computeLatePaymentPenalty } from '#domain/penalty/index.ts';
import { policy } from '../arrears/fixtures.ts';

const rates = policy().penalty;

describe('late-payment penalty (billing-rules §7)', () => {
  it('splits at the year boundary: due 2026-12-20, paid 2027-01-10 is 11 days at 2‰ and 10 days at 3‰', () => {
    // 21 Dec … 31 Dec = 11 days; 1 Jan … 10 Jan = 10 days.
    // 10,000.00 × 0.002 × 11 = 220.00; 10,000.00 × 0.003 × 10 = 300.00; total 520.00.
    const result = computeLatePaymentPenalty({
      unpaid: '10000.00',
      dueDate: '2026-12-20',
      paidOn: '2027-01-10',
      rates,
    });
    expect(result.days).toBe(21);
    expect(result.segments).toEqual([
      {
        from: '2026-12-21',
        to: '2026-12-31',
        days: 11,
        base: '10000.00',
        ratePerMille: '2',
        kind: 'current-year',
        amount: '220.00',
      },
      {
        from: '2027-01-01',
        to: '2027-01-10',
        days: 10,
        base: '10000.00',
        ratePerMille: '3',
        kind: 'carried-over',
        amount: '300.00',
      },
    ]);
    expect(result.total).toBe('520.00');
  });

  it.each([
    ['paid on the due date', '2026-11-20', 0, '0.00'],
    ['paid the day after', '2026-11-21', 1, '256.00'],
    ['paid five days late', '2026-11-25', 5, '1280.01'],
  ])('%s: %i days', (_label, paidOn, days, amount) => {
    // 128,000.50 × 0.002 = 256.001 a day; 5 days = 1,280.005 → 1,280.01 (half-up).
    const result = computeLatePaymentPenalty({ unpaid: '128000.50', dueDate: '2026-11-20', paidOn, rates });
    expect(result.days).toBe(days);
    expect(result.total).toBe(amount);
  });

  it('charges a total below ¥1 as ¥1', () => {
    // 100.00 × 0.002 × 2 = 0.40.
    const result = computeLatePaymentPenalty({
      unpaid: '100.00',
      dueDate: '2026-11-20',
      paidOn: '2026-11-22',
      rates,
    });
    expect(result.segments[0]?.amount).toBe('0.40');
    expect(result.total).toBe('1.00');
    expect(result.minimumApplied).toBe(true);
  });

  it('takes the rates from the policy (a contract at 1.5‰ / 2.5‰)', () => {
    const contract = policy({ penalty: { currentYearPerMille: '1.5', carriedOverPerMille: '2.5' } }).penalty;
    // 10,000.00 × 0.0015 × 11 = 165.00; 10,000.00 × 0.0025 × 10 = 250.00.
    const result = computeLatePaymentPenalty({
      unpaid: '10000.00',
      dueDate: '2026-12-20',
      paidOn: '2027-01-10',
      rates: contract,
    });
    expect(result.segments.map((s) => s.amount)).toEqual(['165.00', '250.00']);
    expect(result.total).toBe('415.00');
  });

  it('charges residential accounts 1‰ with no year split', () => {
    const result = computeLatePaymentPenalty({
      unpaid: '10000.00',
      dueDate: '2026-12-20',
      paidOn: '2027-01-10',
      rates,
      residential: true,
    });
    expect(result.segments).toHaveLength(1);
    expect(result.total).toBe('210.00');
  });

  it('accrues each day on what was unpaid at the end of the day before', () => {
    // 10,000 unpaid 21–25 Nov (5 days), 4,000 paid on the 25th, so 6,000 from the 26th to the 30th (5 days).
    // 10,000 × 0.002 × 5 = 100.00; 6,000 × 0.002 × 5 = 60.00.
    const result = accruedPenalty({
      dueDate: '2026-11-20',
      through: '2026-11-30',
      steps: [
        { effectiveFrom: '2026-11-20', balance: '10000.00' },
        { effectiveFrom: '2026-11-26', balance: '6000.00' },
      ],
      rates,
    });
    expect(result.segments.map((s) => [s.from, s.to, s.base, s.amount])).toEqual([
      ['2026-11-21', '2026-11-25', '10000.00', '100.00'],
      ['2026-11-26', '2026-11-30', '6000.00', '60.00'],
    ]);
    expect(result.total).toBe('160.00');
  });

  it.each([
    ['2026-11-20', '2026-11-22', '100.00'],
    ['2026-12-20', '2027-02-03', '98765.43'],
    ['2026-11-20', '2026-11-20', '5000.00'],
  ])(
    'accrues on a constant unpaid amount what the single-amount penalty charges (due %s, paid %s, %s)',
    (dueDate, paidOn, unpaid) => {
      const single = computeLatePaymentPenalty({ unpaid, dueDate, paidOn, rates });
      const accrued = accruedPenalty({
        dueDate,
        through: paidOn,
        steps: [{ effectiveFrom: dueDate, balance: unpaid }],
        rates,
      });
      expect([accrued.days, accrued.total, accrued.minimumApplied]).toEqual([
        single.days,
        single.total,
        single.minimumApplied,
      ]);
    },
  );

  it('refuses a policy rate outside 1–3‰', () => {
    expect(() => policy({ penalty: { currentYearPerMille: '5' } })).toThrow(/1 to 3 ‰/);
  });
});
