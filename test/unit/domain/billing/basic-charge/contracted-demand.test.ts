import { describe, expect, it } from 'vitest';
import { findingCodes } from '../helpers.ts';
import { basic, read } from './fixtures.ts';

describe('basic charge by contracted maximum demand', () => {
  const contract = {
    basicChargeMethod: 'contracted-demand',
    capacityKva: '2500',
    contractedDemandKw: '1000',
  };

  it('charges the contract while demand stays within 105 %: 1,040 kW ≤ 1,050 kW → 1,000 kW × 38.00 = 38,000.00', () => {
    expect(basic(contract, [read('10000', '1040')]).lines).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '1000', '38.00', '38000.00'],
    ]);
  });

  it('charges exactly 105 % as within: 1,050 kW → 1,000 kW × 38.00 = 38,000.00', () => {
    expect(basic(contract, [read('10000', '1050')]).lines).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '1000', '38.00', '38000.00'],
    ]);
  });

  it('charges the part above 105 % at double: 1,200 kW → 1,050 × 38.00 + 150 × 76.00 = 39,900.00 + 11,400.00', () => {
    const { bill, lines } = basic(contract, [read('10000', '1200')]);
    expect(lines).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '1050', '38.00', '39900.00'],
      ['BASIC_CONTRACTED_DEMAND_EXCESS', '150', '76.00', '11400.00'],
    ]);
    expect(bill.lines[1]!.explanation).toBe('(1,200 − 1,050) kW × 76.00 元 (2 × 38.00) = 11,400.00');
    expect(findingCodes(bill)).toContain('DEMAND_OVER_CONTRACT');
  });

  it('never charges less than 40 % of the capacity: contract 300 kW, 1,000 kVA → 400 kW × 38.00 = 15,200.00', () => {
    const { bill, lines } = basic({ ...contract, capacityKva: '1000', contractedDemandKw: '300' }, [
      read('10000', '350'),
    ]);
    expect(lines).toEqual([['BASIC_CONTRACTED_DEMAND', '400', '38.00', '15200.00']]);
    expect(findingCodes(bill)).toEqual(['CONTRACTED_DEMAND_BELOW_FLOOR']);
  });

  it('applies 105 % to the floored contract: floor 400 kW, demand 500 kW → 420 × 38.00 + 80 × 76.00 = 15,960.00 + 6,080.00', () => {
    expect(
      basic({ ...contract, capacityKva: '1000', contractedDemandKw: '300' }, [read('10000', '500')]).lines,
    ).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '420', '38.00', '15960.00'],
      ['BASIC_CONTRACTED_DEMAND_EXCESS', '80', '76.00', '6080.00'],
    ]);
  });

  it('takes the 40 % floor of the capacity in operation: (1,000 − 500) × 40 % = 200 kW ≤ contract 250 kW → 9,500.00', () => {
    expect(
      basic({ ...contract, capacityKva: '1000', suspendedKva: '500', contractedDemandKw: '250' }, [
        read('1000', '100'),
      ]).lines,
    ).toEqual([['BASIC_CONTRACTED_DEMAND', '250', '38.00', '9500.00']]);
  });

  it('pays 90 % of the demand price at 260 kWh/kVA or more: 650,000 kWh / 2,500 kVA = 260 → 1,000 × 34.20 = 34,200.00', () => {
    const { bill, lines } = basic(contract, [read('650000', '900')]);
    expect(lines).toEqual([['BASIC_CONTRACTED_DEMAND', '1000', '34.20', '34200.00']]);
    expect(bill.demand.kwhPerKva).toBe('260.00');
  });

  it('pays the full price just below 260 kWh/kVA: 649,999 kWh / 2,500 kVA = 259.9996 → 38,000.00', () => {
    expect(basic(contract, [read('649999', '900')]).lines).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '1000', '38.00', '38000.00'],
    ]);
  });

  it('doubles the discounted price for the excess: 1,200 kW at 300 kWh/kVA → 1,050 × 34.20 + 150 × 68.40 = 35,910.00 + 10,260.00', () => {
    expect(basic(contract, [read('750000', '1200')]).lines).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '1050', '34.20', '35910.00'],
      ['BASIC_CONTRACTED_DEMAND_EXCESS', '150', '68.40', '10260.00'],
    ]);
  });
});
