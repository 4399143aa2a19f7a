import { describe, expect, it } from 'vitest';
import { basic, read } from './fixtures.ts';

describe('basic charge by transformer capacity', () => {
  it('charges the contracted kVA × price: 1,000 kVA × 26.00 = 26,000.00', () => {
    expect(basic({ capacityKva: '1000' }).lines).toEqual([['BASIC_CAPACITY', '1000', '26.00', '26000.00']]);
  });

  it('excludes capacity under suspension: (1,250 − 250) kVA × 26.00 = 26,000.00', () => {
    const { bill, lines } = basic({ capacityKva: '1250', suspendedKva: '250' });
    expect(lines).toEqual([['BASIC_CAPACITY', '1000', '26.00', '26000.00']]);
    expect(bill.lines[0]!.explanation).toBe('1,000 kVA (1,250 − 250 suspended) × 26.00 元 = 26,000.00');
  });

  it('does not take the 260 kWh/kVA discount (demand-based users only): 100 kVA, 30,000 kWh → 2,600.00', () => {
    expect(basic({ capacityKva: '100' }, [read('30000', '80')]).lines).toEqual([
      ['BASIC_CAPACITY', '100', '26.00', '2600.00'],
    ]);
  });
});
