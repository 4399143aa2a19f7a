import { describe, expect, it } from 'vitest';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { basicLines, findingCodes, testAccount } from '../helpers.ts';
import { basic, read } from './fixtures.ts';

describe('pro-rating in the month of a connection change (1/30 per day used)', () => {
  it('charges a new connection from its connection day: connected 04-19 → 12 days → 1,000 × 26.00 × 12/30 = 10,400.00', () => {
    expect(basic({ connectedOn: '2026-04-19' }).lines).toEqual([
      ['BASIC_CAPACITY', '1000', '26.00', '10400.00'],
    ]);
  });

  it('counts the termination day as a day used: terminated 04-10 → 10 days → 1,000 × 26.00 × 10/30 = 8,666.67', () => {
    const { bill, lines } = basic({ terminatedOn: '2026-04-10' });
    expect(lines).toEqual([['BASIC_CAPACITY', '1000', '26.00', '8666.67']]);
    expect(bill.lines[0]!.explanation).toBe('1,000 kVA × 26.00 元 × 10/30 = 8,666.67');
  });

  it('charges a connection made and ended in the month for its days: 04-05 … 04-06 → 2 days → 1,733.33', () => {
    expect(basic({ connectedOn: '2026-04-05', terminatedOn: '2026-04-06' }).lines).toEqual([
      ['BASIC_CAPACITY', '1000', '26.00', '1733.33'],
    ]);
  });

  it('pro-rates demand charges the same way: 600 kW × 38.00 × 12/30 = 9,120.00', () => {
    expect(
      basic({ basicChargeMethod: 'actual-demand', connectedOn: '2026-04-19' }, [read('10000', '600')]).lines,
    ).toEqual([['BASIC_ACTUAL_DEMAND', '600', '38.00', '9120.00']]);
  });

  it('charges 1/30 per day even in a 31-day month: connected 2026-05-02 → 30 days → 30/30 = 26,000.00', () => {
    const bill = computeBill({
      account: testAccount({ connectedOn: '2026-05-02' }),
      tariffs: SAMPLE_TARIFFS,
      reads: [{ ...read('100', '10'), period: '2026-05' }],
      period: '2026-05',
      advice: { enabled: false },
    });
    expect(basicLines(bill).map((l) => l.amount)).toEqual(['26000.00']);
  });

  it('charges a capacity change from the change day, the old capacity before it: 10/30 × 1,000 + 20/30 × 1,250 kVA', () => {
    // 1,000 × 26.00 × 10/30 = 8,666.67; 1,250 × 26.00 × 20/30 = 21,666.666… → 21,666.67
    expect(
      basic({ capacityKva: '1250', previousCapacityKva: '1000', capacityChangedOn: '2026-04-11' }).lines,
    ).toEqual([
      ['BASIC_CAPACITY', '1000', '26.00', '8666.67'],
      ['BASIC_CAPACITY', '1250', '26.00', '21666.67'],
    ]);
  });

  it('reports a capacity change without the previous capacity, and charges the days from the change', () => {
    // 1,250 × 26.00 × 20/30 = 21,666.67
    const { bill, lines } = basic({ capacityKva: '1250', capacityChangedOn: '2026-04-11' });
    expect(lines).toEqual([['BASIC_CAPACITY', '1250', '26.00', '21666.67']]);
    expect(findingCodes(bill)).toEqual(['PREVIOUS_CAPACITY_UNKNOWN']);
  });

  it('does not pro-rate a change on the first day, nor a connection in an earlier month', () => {
    expect(basic({ capacityChangedOn: '2026-04-01', connectedOn: '2025-01-15' }).lines).toEqual([
      ['BASIC_CAPACITY', '1000', '26.00', '26000.00'],
    ]);
  });

  it('charges no basic charge outside the connection and says so', () => {
    const { bill, lines } = basic({ terminatedOn: '2026-03-31' });
    expect(lines).toEqual([]);
    expect(findingCodes(bill)).toEqual(['NOT_CONNECTED_IN_PERIOD']);
  });
});
