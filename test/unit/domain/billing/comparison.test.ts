import { describe, expect, it } from 'vitest';
import { type BillingInputError, billSummary, computeBill } from '#domain/billing/index.ts';
import { goldenOne } from './helpers.ts';

describe('comparison with earlier periods', () => {
  it('compares with the previous period and the same period last year', () => {
    // 55,878.62 vs 50,000.00: +11.757… % → +11.8; vs 60,000.00: −6.868… % → −6.9
    const bill = computeBill({
      ...goldenOne,
      advice: { enabled: false },
      history: [
        { period: '2026-02', total: '50000.00', totalKwh: '45000' },
        { period: '2025-03', total: '60000.00', totalKwh: '52000' },
        { period: '2025-12', total: '1.00', totalKwh: '1' },
      ],
    });
    expect(bill.comparison).toEqual({
      previousPeriod: { period: '2026-02', total: '50000.00', totalKwh: '45000', totalChangePercent: '11.8' },
      samePeriodLastYear: {
        period: '2025-03',
        total: '60000.00',
        totalKwh: '52000',
        totalChangePercent: '-6.9',
      },
    });
  });

  it('gives no percentage against a zero total, and no comparison without matching history', () => {
    const zero = computeBill({
      ...goldenOne,
      history: [{ period: '2026-02', total: '0.00', totalKwh: '0' }],
    });
    expect(zero.comparison?.previousPeriod?.totalChangePercent).toBeNull();
    expect(
      computeBill({ ...goldenOne, history: [{ period: '2024-01', total: '1', totalKwh: '1' }] }).comparison,
    ).toBeUndefined();
  });

  it('rejects a history entry whose total is not a decimal', () => {
    expect(() =>
      computeBill({ ...goldenOne, history: [{ period: '2026-02', total: 'n/a', totalKwh: '1' }] }),
    ).toThrow(expect.objectContaining({ field: 'history.0.total' }) as unknown as BillingInputError);
  });

  it('summarises a bill for the next one’s history', () => {
    expect(billSummary(computeBill(goldenOne))).toEqual({
      period: '2026-03',
      total: '55878.62',
      totalKwh: '50000',
    });
  });
});
