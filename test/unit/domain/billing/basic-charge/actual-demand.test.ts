import { describe, expect, it } from 'vitest';
import { findingCodes } from '../helpers.ts';
import { basic, read } from './fixtures.ts';

describe('basic charge by actual maximum demand', () => {
  const actual = { basicChargeMethod: 'actual-demand', capacityKva: '1000' };

  it('charges the metered maximum demand × multiplier: 3.5 × 200 = 700 kW × 38.00 = 26,600.00', () => {
    expect(
      basic(actual, [read('10000', '3.5', { multiplier: '200', total: ['0', '50'], flat: ['0', '50'] })])
        .lines,
    ).toEqual([['BASIC_ACTUAL_DEMAND', '700', '38.00', '26600.00']]);
  });

  it('has the same 40 % floor: 250 kW on 1,000 kVA → 400 kW × 38.00 = 15,200.00', () => {
    const { bill, lines } = basic(actual, [read('10000', '250')]);
    expect(lines).toEqual([['BASIC_ACTUAL_DEMAND', '400', '38.00', '15200.00']]);
    expect(bill.lines[0]!.explanation).toBe('400 kW (40% × 1,000 kVA; actual 250 kW) × 38.00 元 = 15,200.00');
    expect(findingCodes(bill)).toEqual(['DEMAND_FLOOR_APPLIED']);
  });

  it('sums the maximum demand over incoming lines: 320 + 280 = 600 kW × 38.00 = 22,800.00', () => {
    expect(
      basic(actual, [read('5000', '320', { meterId: 'L1' }), read('5000', '280', { meterId: 'L2' })]).lines,
    ).toEqual([['BASIC_ACTUAL_DEMAND', '600', '38.00', '22800.00']]);
  });

  it('takes the larger of a changed meter’s two demands, added to the other lines: 300 + max(450, 420) = 750 kW → 28,500.00', () => {
    const lines = basic(actual, [
      read('5000', '300', { meterId: 'L1' }),
      read('2000', '450', { meterId: 'L2-OLD', readType: 'meter_out', readAt: '2026-04-10T09:00:00+08:00' }),
      read('3000', '420', { meterId: 'L2-NEW', readType: 'meter_in', readAt: '2026-04-30T23:45:00+08:00' }),
    ]).lines;
    expect(lines).toEqual([['BASIC_ACTUAL_DEMAND', '750', '38.00', '28500.00']]);
  });

  it('pays 90 % at 260 kWh/kVA: 300,000 kWh / 1,000 kVA = 300 → 700 kW × 34.20 = 23,940.00', () => {
    expect(basic(actual, [read('300000', '700')]).lines).toEqual([
      ['BASIC_ACTUAL_DEMAND', '700', '34.20', '23940.00'],
    ]);
  });
});
