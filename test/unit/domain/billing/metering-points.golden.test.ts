import { describe, expect, it } from 'vitest';
import { type BillDocument, findingsThatHold } from '#domain/bill.ts';
import { type BillInput, computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { referenceComputeBill } from '../../../oracle/billing-reference/index.ts';
import { findingCodes, lineFacts, type ReadSpec, readRow, testAccount } from './helpers.ts';

/*
 * Successive meters of one metering point (issue #12): worked by hand below with the sample tariff
 * SC-LI-1-10KV (peak 0.9200, flat 0.5750, valley 0.2300 元/kWh; 38.00 元/kW·month; funds per kWh
 * 0.0023 + 0.0062 + 0.0190), and computed by both the engine and the reference engine
 * (test/oracle/billing-reference), which must agree to the byte.
 */

/** The bill of both engines, after checking that they print the same one. */
function billOfBoth(input: Omit<BillInput, 'tariffs' | 'advice'>): BillDocument {
  const full: BillInput = { ...input, tariffs: SAMPLE_TARIFFS, advice: { enabled: false } };
  const bill = computeBill(full);
  expect(JSON.stringify(bill)).toBe(JSON.stringify(referenceComputeBill(full)));
  return bill;
}

const at = (day: string, time: string) => `2026-10-${day}T${time}:00+08:00`;

/** A read with the metering point it serves (none: undefined), as a drop with the column carries it. */
function pointRead(point: string | undefined, spec: ReadSpec): MeterReadRow {
  const row = readRow(spec);
  return point === undefined ? row : { ...row, meteringPointId: point };
}

/*
 * Two meter changes on metering point P1 (A → B → C), and meter D on a line of its own (no point named).
 *   A meter_out ×100 (10-08): total 1000 → 1040 = 40 → 4,000 kWh; peak 12 → 1,200; flat 16 → 1,600;
 *                             valley 12 → 1,200; kvarh 18 → 1,800; demand 6.1 → 610 kW
 *   B meter_out ×100 (10-19): total 0 → 50 → 5,000; peak 1,500; flat 2,000; valley 1,500; kvarh 2,200; 6.8 → 680 kW
 *   C meter_in  ×100 (10-31): total 0 → 60 → 6,000; peak 1,800; flat 2,400; valley 1,800; kvarh 2,600; 6.5 → 650 kW
 *   D actual    ×200:         total 5000 → 5100 = 100 → 20,000; peak 6,000; flat 8,000; valley 6,000;
 *                             kvarh 36 → 7,200; demand 2.2 → 440 kW
 */
const TWO_CHANGES: readonly [string | undefined, ReadSpec][] = [
  [
    'P1',
    {
      meterId: 'A',
      readType: 'meter_out',
      readAt: at('08', '10:00'),
      multiplier: '100',
      total: ['1000', '1040'],
      peak: ['300', '312'],
      flat: ['400', '416'],
      valley: ['300', '312'],
      kvarh: ['100', '118'],
      demand: '6.1',
    },
  ],
  [
    'P1',
    {
      meterId: 'B',
      readType: 'meter_out',
      readAt: at('19', '15:00'),
      multiplier: '100',
      total: ['0', '50'],
      peak: ['0', '15'],
      flat: ['0', '20'],
      valley: ['0', '15'],
      kvarh: ['0', '22'],
      demand: '6.8',
    },
  ],
  [
    'P1',
    {
      meterId: 'C',
      readType: 'meter_in',
      readAt: at('31', '23:45'),
      multiplier: '100',
      total: ['0', '60'],
      peak: ['0', '18'],
      flat: ['0', '24'],
      valley: ['0', '18'],
      kvarh: ['0', '26'],
      demand: '6.5',
    },
  ],
  [
    undefined,
    {
      meterId: 'D',
      multiplier: '200',
      total: ['5000', '5100'],
      peak: ['1000', '1030'],
      flat: ['2000', '2040'],
      valley: ['3000', '3030'],
      kvarh: ['800', '836'],
      demand: '2.2',
    },
  ],
];

/*
 * Three meter changes on metering point P1 (A → B → C → D), and meter E on metering point P2.
 *   A meter_out ×50  (10-05): total 2000 → 2100 = 100 → 5,000 kWh; peak 30 → 1,500; flat 40 → 2,000;
 *                             valley 30 → 1,500; kvarh 40 → 2,000; demand 20 → 1,000 kW
 *   B meter_out ×80  (10-12): total 75 → 6,000; peak 2,000; flat 2,000; valley 2,000; kvarh 30 → 2,400;
 *                             demand 14.375 → 1,150 kW
 *   C meter_out ×100 (10-20): total 80 → 8,000; peak 2,400; flat 3,200; valley 2,400; kvarh 3,000; 11.2 → 1,120 kW
 *   D meter_in  ×120 (10-31): total 100 → 12,000; peak 3,600; flat 4,800; valley 3,600; kvarh 4,800; 9 → 1,080 kW
 *   E actual    ×10  (P2):    total 1,000 → 10,000; peak 3,000; flat 4,000; valley 3,000; kvarh 4,000; 10 → 100 kW
 */
const band = (start: string, end: string) => [start, end] as const;
const THREE_CHANGES: readonly [string | undefined, ReadSpec][] = [
  [
    'P1',
    {
      meterId: 'A',
      readType: 'meter_out',
      readAt: at('05', '09:00'),
      multiplier: '50',
      total: band('2000', '2100'),
      peak: band('600', '630'),
      flat: band('700', '740'),
      valley: band('700', '730'),
      kvarh: band('400', '440'),
      demand: '20',
    },
  ],
  [
    'P1',
    {
      meterId: 'B',
      readType: 'meter_out',
      readAt: at('12', '14:30'),
      multiplier: '80',
      total: band('0', '75'),
      peak: band('0', '25'),
      flat: band('0', '25'),
      valley: band('0', '25'),
      kvarh: band('0', '30'),
      demand: '14.375',
    },
  ],
  [
    'P1',
    {
      meterId: 'C',
      readType: 'meter_out',
      readAt: at('20', '11:00'),
      multiplier: '100',
      total: band('0', '80'),
      peak: band('0', '24'),
      flat: band('0', '32'),
      valley: band('0', '24'),
      kvarh: band('0', '30'),
      demand: '11.2',
    },
  ],
  [
    'P1',
    {
      meterId: 'D',
      readType: 'meter_in',
      readAt: at('31', '23:45'),
      multiplier: '120',
      total: band('0', '100'),
      peak: band('0', '30'),
      flat: band('0', '40'),
      valley: band('0', '30'),
      kvarh: band('0', '40'),
      demand: '9',
    },
  ],
  [
    'P2',
    {
      meterId: 'E',
      multiplier: '10',
      total: band('10000', '11000'),
      peak: band('3000', '3300'),
      flat: band('4000', '4400'),
      valley: band('5000', '5300'),
      kvarh: band('2000', '2400'),
      demand: '10',
    },
  ],
];

const reads = (spec: readonly [string | undefined, ReadSpec][], withPoints = true): MeterReadRow[] =>
  spec.map(([point, read]) => pointRead(withPoints ? point : undefined, read));

const actualDemandAccount = testAccount({ basicChargeMethod: 'actual-demand', capacityKva: '2000' });
const contractedAccount = testAccount({
  basicChargeMethod: 'contracted-demand',
  capacityKva: '2500',
  contractedDemandKw: '1000',
});

describe('successive meters of one metering point are one incoming line', () => {
  it('two changes in a period: energy of the three meters adds, the line takes the largest demand (SC, 2026-10)', () => {
    /*
     * energy 4,000 + 5,000 + 6,000 + 20,000 = 35,000 kWh: peak 10,500, flat 14,000, valley 10,500
     * kvarh 1,800 + 2,200 + 2,600 + 7,200 = 13,800
     * demand: P1 max(610, 680, 650) = 680, plus D's own line 440 = 1,120 kW (40 % floor 800 kW: not reached)
     * basic  1,120 kW × 38.00                      = 42,560.00
     * peak   10,500 × 0.9200                       =  9,660.00
     * flat   14,000 × 0.5750                       =  8,050.00
     * valley 10,500 × 0.2300                       =  2,415.00
     * base                                          = 62,685.00
     * PF 35,000/√(35,000² + 13,800²) = 35,000/37,622.33 = 0.93030 → 0.93 under 0.90 → −0.45 %:
     *   −282.0825 → −282.08
     * funds 35,000 × 0.0023 / 0.0062 / 0.0190      = 80.50 / 217.00 / 665.00
     * total 62,685.00 − 282.08 + 962.50             = 63,365.42
     */
    const b = billOfBoth({ account: actualDemandAccount, period: '2026-10', reads: reads(TWO_CHANGES) });
    expect(lineFacts(b)).toEqual([
      ['BASIC_ACTUAL_DEMAND', '1120', '38.00', '42560.00'],
      ['ENERGY_PEAK', '10500', '0.9200', '9660.00'],
      ['ENERGY_FLAT', '14000', '0.5750', '8050.00'],
      ['ENERGY_VALLEY', '10500', '0.2300', '2415.00'],
      ['POWER_FACTOR_ADJUSTMENT', '62685.00', '-0.0045', '-282.08'],
      ['FUND_MAJOR_WATER', '35000', '0.0023', '80.50'],
      ['FUND_RESERVOIR', '35000', '0.0062', '217.00'],
      ['FUND_RENEWABLE', '35000', '0.0190', '665.00'],
    ]);
    expect(b.total).toBe('63365.42');
    expect(b.consumption).toMatchObject({ totalKwh: '35000', kvarh: '13800', maxDemandKw: '1120' });
    expect(b.findings).toEqual([]);
  });

  it('three changes in a period: the line takes the largest of four meters, above 105 % of contract (SC, 2026-10)', () => {
    /*
     * energy 5,000 + 6,000 + 8,000 + 12,000 + 10,000 = 41,000 kWh: peak 12,500, flat 16,000, valley 12,500
     * kvarh 2,000 + 2,400 + 3,000 + 4,800 + 4,000 = 16,200
     * demand: P1 max(1,000, 1,150, 1,120, 1,080) = 1,150, plus P2 100 = 1,250 kW
     *   contract 1,000 kW: 105 % = 1,050 kW at the price, the 200 kW above at double
     * basic  1,050 kW × 38.00                      = 39,900.00
     * excess   200 kW × 76.00                      = 15,200.00
     * peak   12,500 × 0.9200                       = 11,500.00
     * flat   16,000 × 0.5750                       =  9,200.00
     * valley 12,500 × 0.2300                       =  2,875.00
     * base                                          = 78,675.00
     * PF 41,000/√(41,000² + 16,200²) = 41,000/44,084.46 = 0.93003 → 0.93 → −0.45 %: −354.0375 → −354.04
     * funds 41,000 × 0.0023 / 0.0062 / 0.0190      = 94.30 / 254.20 / 779.00
     * total 78,675.00 − 354.04 + 1,127.50           = 79,448.46
     */
    const b = billOfBoth({ account: contractedAccount, period: '2026-10', reads: reads(THREE_CHANGES) });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '1050', '38.00', '39900.00'],
      ['BASIC_CONTRACTED_DEMAND_EXCESS', '200', '76.00', '15200.00'],
      ['ENERGY_PEAK', '12500', '0.9200', '11500.00'],
      ['ENERGY_FLAT', '16000', '0.5750', '9200.00'],
      ['ENERGY_VALLEY', '12500', '0.2300', '2875.00'],
      ['POWER_FACTOR_ADJUSTMENT', '78675.00', '-0.0045', '-354.04'],
      ['FUND_MAJOR_WATER', '41000', '0.0023', '94.30'],
      ['FUND_RESERVOIR', '41000', '0.0062', '254.20'],
      ['FUND_RENEWABLE', '41000', '0.0190', '779.00'],
    ]);
    expect(b.total).toBe('79448.46');
    expect(b.demand.maxDemandKw).toBe('1250');
    // Nothing about the meters: the sequence is complete. The excess is reported as always.
    expect(findingCodes(b)).toEqual(['DEMAND_OVER_CONTRACT']);
  });

  it('bills the same energy whatever order the reads arrive in', () => {
    const shuffled = reads(THREE_CHANGES).reverse();
    const b = billOfBoth({ account: contractedAccount, period: '2026-10', reads: shuffled });
    expect(b.total).toBe('79448.46');
  });
});

describe('without metering points, several changes are paired by a guess that holds the bill', () => {
  it('two changes without the column: A pairs with C by reading time, B is left alone, and the bill is held', () => {
    /*
     * A (10-08) pairs with the only meter_in C: max(610, 650) = 650; B is unpaired: 680 on a line of its
     * own; D 440 → 1,770 kW (the same energy: 35,000 kWh)
     * basic  1,770 kW × 38.00                      = 67,260.00
     */
    const b = billOfBoth({
      account: actualDemandAccount,
      period: '2026-10',
      reads: reads(TWO_CHANGES, false),
    });
    expect(b.demand.maxDemandKw).toBe('1770');
    expect(lineFacts(b)[0]).toEqual(['BASIC_ACTUAL_DEMAND', '1770', '38.00', '67260.00']);
    expect(b.consumption.totalKwh).toBe('35000');
    expect(findingCodes(b)).toEqual(['METER_PAIRING_GUESSED', 'UNPAIRED_METER_CHANGE']);
    expect(findingsThatHold(b).map((f) => f.meterId)).toEqual(['A']);
    expect(b.findings[0]!.message).toBe(
      "meter_out of meter A (read_at 2026-10-08T10:00:00+08:00, kwh_total 1000 → 1040) paired with meter_in of meter C (read_at 2026-10-31T23:45:00+08:00, kwh_total 0 → 60) by reading time, a guess: the account has 2 meter_out and 1 meter_in reads in 2026-10 without a metering_point_id, so nothing says which meters share an incoming line; the line's demand is the larger of the two. The bill is held until an operator checks the pairing",
    );
    expect(b.findings[1]).toEqual({
      code: 'UNPAIRED_METER_CHANGE',
      meterId: 'B',
      message:
        'meter_out of meter B (read_at 2026-10-19T15:00:00+08:00, kwh_total 0 → 50) cannot be paired: no meter_in is left to pair it with: the account has 2 meter_out and 1 meter_in reads in 2026-10 without a metering_point_id; its demand is added as a line of its own',
    });
  });

  it('one meter_out and one meter_in without the column are one line, as they always were, and hold nothing', () => {
    const pair = reads(TWO_CHANGES, false).filter((r) => r.meterId !== 'B');
    const b = billOfBoth({ account: actualDemandAccount, period: '2026-10', reads: pair });
    expect(b.demand.maxDemandKw).toBe('1090'); // max(610, 650) + 440
    expect(b.findings).toEqual([]);
  });
});
