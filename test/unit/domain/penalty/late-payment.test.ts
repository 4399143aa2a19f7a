import { describe, expect, it } from 'vitest';
import { BillingInputError } from '#domain/billing/index.ts';
import {
  computeLatePaymentPenalty,
  DEFAULT_PENALTY_RATES,
  type PenaltyRates,
} from '#domain/penalty/index.ts';

const RATES = DEFAULT_PENALTY_RATES;

describe('late-payment penalty', () => {
  it('is nothing when paid on the due date (0 days) or before', () => {
    for (const paidOn of ['2026-11-20', '2026-11-02']) {
      expect(
        computeLatePaymentPenalty({ unpaid: '100000.00', dueDate: '2026-11-20', paidOn, rates: RATES }),
      ).toEqual({
        days: 0,
        segments: [],
        computed: '0.00',
        total: '0.00',
        minimumApplied: false,
      });
    }
  });

  it('charges 2 ‰ a day in the bill’s year: 100,000.00 × 0.002 × 10 days (11-21 … 11-30) = 2,000.00', () => {
    const p = computeLatePaymentPenalty({
      unpaid: '100000.00',
      dueDate: '2026-11-20',
      paidOn: '2026-11-30',
      rates: RATES,
    });
    expect(p).toEqual({
      days: 10,
      segments: [
        {
          kind: 'current-year',
          from: '2026-11-21',
          to: '2026-11-30',
          days: 10,
          base: '100000.00',
          ratePerMille: '2',
          amount: '2000.00',
        },
      ],
      computed: '2000.00',
      total: '2000.00',
      minimumApplied: false,
    });
  });

  it('switches to 3 ‰ on 1 January: 50,000.00 × (0.002 × 11 + 0.003 × 10) = 1,100.00 + 1,500.00', () => {
    const p = computeLatePaymentPenalty({
      unpaid: '50000.00',
      dueDate: '2026-12-20',
      paidOn: '2027-01-10',
      rates: RATES,
    });
    expect(p.days).toBe(21);
    expect(p.segments).toEqual([
      {
        kind: 'current-year',
        from: '2026-12-21',
        to: '2026-12-31',
        days: 11,
        base: '50000.00',
        ratePerMille: '2',
        amount: '1100.00',
      },
      {
        kind: 'carried-over',
        from: '2027-01-01',
        to: '2027-01-10',
        days: 10,
        base: '50000.00',
        ratePerMille: '3',
        amount: '1500.00',
      },
    ]);
    expect(p.total).toBe('2600.00');
  });

  it('charges residential users 1 ‰ on every day, across the year end too: 300.00 × 0.001 × 11 = 3.30', () => {
    const p = computeLatePaymentPenalty({
      unpaid: '300.00',
      dueDate: '2026-12-25',
      paidOn: '2027-01-05',
      rates: RATES,
      residential: true,
    });
    expect(p.segments).toEqual([
      {
        kind: 'residential',
        from: '2026-12-26',
        to: '2027-01-05',
        days: 11,
        base: '300.00',
        ratePerMille: '1',
        amount: '3.30',
      },
    ]);
    expect(p.total).toBe('3.30');
  });

  it('charges at least 1 yuan: 100.00 × 0.002 × 2 = 0.40 → 1.00', () => {
    const p = computeLatePaymentPenalty({
      unpaid: '100.00',
      dueDate: '2026-11-20',
      paidOn: '2026-11-22',
      rates: RATES,
    });
    expect(p).toMatchObject({ days: 2, computed: '0.40', total: '1.00', minimumApplied: true });
  });

  it('charges the minimum even when the exact amount rounds to 0.00, and nothing on nothing owed', () => {
    expect(
      computeLatePaymentPenalty({
        unpaid: '0.01',
        dueDate: '2026-11-20',
        paidOn: '2026-11-21',
        rates: RATES,
      }),
    ).toMatchObject({ computed: '0.00', total: '1.00', minimumApplied: true });
    expect(
      computeLatePaymentPenalty({
        unpaid: '0.00',
        dueDate: '2026-11-20',
        paidOn: '2026-12-21',
        rates: RATES,
      }),
    ).toMatchObject({ days: 31, total: '0.00', minimumApplied: false });
  });

  it('rounds each segment half-up to the fen: 12,345.67 × 0.002 × 3 = 74.07402 → 74.07', () => {
    expect(
      computeLatePaymentPenalty({
        unpaid: '12345.67',
        dueDate: '2026-05-20',
        paidOn: '2026-05-23',
        rates: RATES,
      }).total,
    ).toBe('74.07');
  });

  it('counts 29 February: due 2028-02-27, paid 2028-03-01 → 3 days', () => {
    expect(
      computeLatePaymentPenalty({
        unpaid: '1000.00',
        dueDate: '2028-02-27',
        paidOn: '2028-03-01',
        rates: RATES,
      }).days,
    ).toBe(3);
  });

  it('takes the bill’s year when given: a December 2026 bill due 2027-01-20 is carried over from 1 January', () => {
    // 10,000.00 × 0.003 × 5 = 150.00
    const p = computeLatePaymentPenalty({
      unpaid: '10000.00',
      dueDate: '2027-01-20',
      paidOn: '2027-01-25',
      rates: RATES,
      billYear: 2026,
    });
    expect(p.segments.map((s) => [s.kind, s.days, s.amount])).toEqual([['carried-over', 5, '150.00']]);
  });

  it('uses the contract’s rates from the policy: 3 ‰ current year → 10,000.00 × 0.003 × 4 = 120.00', () => {
    const rates: PenaltyRates = { ...RATES, currentYearPerMille: '3' };
    expect(
      computeLatePaymentPenalty({ unpaid: '10000.00', dueDate: '2026-03-20', paidOn: '2026-03-24', rates })
        .total,
    ).toBe('120.00');
  });

  it.each([
    ['a rate above 3 ‰', { ...RATES, carriedOverPerMille: '5' }, {}, 'rates.carriedOverPerMille'],
    ['a negative unpaid amount', RATES, { unpaid: '-5' }, 'unpaid'],
    ['a malformed date', RATES, { paidOn: '2026-11-31' }, 'paidOn'],
  ] as const)('rejects %s, naming the field', (_, rates, change, field) => {
    const run = () =>
      computeLatePaymentPenalty({
        unpaid: '100.00',
        dueDate: '2026-11-20',
        paidOn: '2026-11-25',
        rates: rates as PenaltyRates,
        ...change,
      });
    expect(run).toThrow(BillingInputError);
    expect(run).toThrow(expect.objectContaining({ field }) as unknown as Error);
  });
});
