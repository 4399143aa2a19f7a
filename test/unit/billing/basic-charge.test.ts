import { describe, expect, it } from 'vitest';
import { computeBill, SAMPLE_TARIFFS } from '../../../shared/domain/billing/index.ts';
import type { MeterReadRow } from '../../../shared/domain/meter-read.ts';
import { basicLines, findingCodes, readRow, testAccount } from './helpers.ts';

/*
 * One worked example per basic-charge rule (billing-rules.md §3), with the sample SC tariff:
 * 26.00 元/kVA·month, 38.00 元/kW·month, 90 % of the demand price at ≥ 260 kWh/kVA.
 */

const PERIOD = '2026-04'; // 30 days

/** One meter, multiplier 1, all energy flat, no reactive energy. */
const read = (
  kwh: string,
  demandKw: string,
  extra: Partial<Parameters<typeof readRow>[0]> = {},
): MeterReadRow =>
  readRow({
    period: PERIOD,
    multiplier: '1',
    total: ['0', kwh],
    peak: ['0', '0'],
    flat: ['0', kwh],
    valley: ['0', '0'],
    kvarh: ['0', '0'],
    demand: demandKw,
    ...extra,
  });

const basic = (account: Record<string, unknown>, reads: MeterReadRow[] = [read('10000', '300')]) => {
  const bill = computeBill({
    account: testAccount(account),
    tariffs: SAMPLE_TARIFFS,
    reads,
    period: PERIOD,
    advice: { enabled: false },
  });
  return { bill, lines: basicLines(bill).map((l) => [l.code, l.quantity, l.unitPrice, l.amount]) };
};

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
