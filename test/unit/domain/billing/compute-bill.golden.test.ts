import { describe, expect, it } from 'vitest';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { dec } from '#domain/money.ts';
import { findingCodes, lineFacts, readRow, testAccount } from './helpers.ts';

/*
 * Golden bills, each worked by hand below with the sample tariffs (prices in 元):
 *   SC-LI-1-10KV (2023-06-01): sharp 1.1040, peak 0.9200, flat 0.5750, valley 0.2300
 *   GD-LI-1-10KV (2026-01-01): sharp 1.2750, peak 1.0200, flat 0.6000, valley 0.2280
 *   GD-LI-1-10KV (2026-06-16): sharp 1.3175, peak 1.0540, flat 0.6200, valley 0.2356
 *   basic 26.00 /kVA·month, 38.00 /kW·month; funds per kWh 0.0023 + 0.0062 + 0.0190.
 * Advice is switched off: these pin the charge lines (advice has its own tests).
 */

const bill = (input: Omit<Parameters<typeof computeBill>[0], 'tariffs' | 'advice'>) =>
  computeBill({ ...input, tariffs: SAMPLE_TARIFFS, advice: { enabled: false } });

const sumOfLines = (b: ReturnType<typeof bill>) =>
  b.lines.reduce((s, l) => s.plus(l.amount), dec(0)).toFixed(2);

describe('golden bills', () => {
  it('single meter, capacity charge, PF above the standard (SC, 2026-03)', () => {
    /*
     * multiplier 100: total 1000.00→1500.00 = 500 × 100 = 50,000 kWh
     *   peak 150 → 15,000; flat 200 → 20,000; valley 150 → 15,000; kvarh 197.60 → 19,760
     * basic   1,000 kVA × 26.00                    = 26,000.00
     * peak   15,000 × 0.9200                       = 13,800.00
     * flat   20,000 × 0.5750                       = 11,500.00
     * valley 15,000 × 0.2300                       =  3,450.00
     * base                                          = 54,750.00
     * PF 50,000/√(50,000² + 19,760²) = 0.93001 → 0.93 → −0.45 %: −246.375 → −246.38 (half-up)
     * funds 50,000 × 0.0023 / 0.0062 / 0.0190      = 115.00 / 310.00 / 950.00
     * total 54,750.00 − 246.38 + 1,375.00           = 55,878.62
     */
    const b = bill({
      account: testAccount(),
      period: '2026-03',
      reads: [
        readRow({
          period: '2026-03',
          multiplier: '100',
          total: ['1000.00', '1500.00'],
          peak: ['300.00', '450.00'],
          flat: ['400.00', '600.00'],
          valley: ['300.00', '450.00'],
          kvarh: ['200.00', '397.60'],
          demand: '3.2',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CAPACITY', '1000', '26.00', '26000.00'],
      ['ENERGY_PEAK', '15000', '0.9200', '13800.00'],
      ['ENERGY_FLAT', '20000', '0.5750', '11500.00'],
      ['ENERGY_VALLEY', '15000', '0.2300', '3450.00'],
      ['POWER_FACTOR_ADJUSTMENT', '54750.00', '-0.0045', '-246.38'],
      ['FUND_MAJOR_WATER', '50000', '0.0023', '115.00'],
      ['FUND_RESERVOIR', '50000', '0.0062', '310.00'],
      ['FUND_RENEWABLE', '50000', '0.0190', '950.00'],
    ]);
    expect(b.total).toBe('55878.62');
    expect(b.powerFactor).toMatchObject({ value: '0.93', standard: '0.90', adjustmentPercent: '-0.45' });
    expect(b.consumption).toEqual({
      totalKwh: '50000',
      byBand: { peak: '15000', flat: '20000', valley: '15000' },
      kvarh: '19760',
      maxDemandKw: '320',
    });
    expect(b.dueDate).toBe('2026-04-20');
    expect(b.tariffVersions).toEqual([{ tariffId: 'SC-LI-1-10KV', effectiveFrom: '2023-06-01', days: 31 }]);
    expect(b.lines[0]!.explanation).toBe('1,000 kVA × 26.00 元 = 26,000.00');
    expect(b.findings).toEqual([]);
  });

  it('two incoming lines, actual demand summed over the meters (GD, 2026-03)', () => {
    /*
     * meter A ×200: total 250 → 50,000; peak 100 → 20,000; flat 100 → 20,000; valley 50 → 10,000;
     *               kvarh 100 → 20,000; demand 2.5 → 500 kW
     * meter B ×100: total 300 → 30,000; peak/flat/valley 100 each → 10,000; kvarh 120 → 12,000;
     *               demand 4.1 → 410 kW
     * sums: 80,000 kWh (peak 30,000, flat 30,000, valley 20,000), 32,000 kvarh, demand 500 + 410 = 910 kW
     * 40 % floor 0.4 × 2,000 = 800 < 910; 80,000 / 2,000 = 40 kWh/kVA < 260 → full price
     * basic  910 kW × 38.00                        = 34,580.00
     * peak   30,000 × 1.0200                       = 30,600.00
     * flat   30,000 × 0.6000                       = 18,000.00
     * valley 20,000 × 0.2280                       =  4,560.00
     * base                                          = 87,740.00
     * PF 80,000/√(80,000² + 32,000²) = 0.92848 → 0.93 → −0.45 % = −394.83
     * funds 80,000 × 0.0023 / 0.0062 / 0.0190      = 184.00 / 496.00 / 1,520.00
     * total 87,740.00 − 394.83 + 2,200.00           = 89,545.17
     */
    const b = bill({
      account: testAccount({
        tariffId: 'GD-LI-1-10KV',
        basicChargeMethod: 'actual-demand',
        capacityKva: '2000',
      }),
      period: '2026-03',
      reads: [
        readRow({
          period: '2026-03',
          meterId: 'A',
          multiplier: '200',
          total: ['100', '350'],
          peak: ['40', '140'],
          flat: ['30', '130'],
          valley: ['30', '80'],
          kvarh: ['10', '110'],
          demand: '2.5',
        }),
        readRow({
          period: '2026-03',
          meterId: 'B',
          multiplier: '100',
          total: ['500', '800'],
          peak: ['100', '200'],
          flat: ['100', '200'],
          valley: ['100', '200'],
          kvarh: ['50', '170'],
          demand: '4.1',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_ACTUAL_DEMAND', '910', '38.00', '34580.00'],
      ['ENERGY_PEAK', '30000', '1.0200', '30600.00'],
      ['ENERGY_FLAT', '30000', '0.6000', '18000.00'],
      ['ENERGY_VALLEY', '20000', '0.2280', '4560.00'],
      ['POWER_FACTOR_ADJUSTMENT', '87740.00', '-0.0045', '-394.83'],
      ['FUND_MAJOR_WATER', '80000', '0.0023', '184.00'],
      ['FUND_RESERVOIR', '80000', '0.0062', '496.00'],
      ['FUND_RENEWABLE', '80000', '0.0190', '1520.00'],
    ]);
    expect(b.total).toBe('89545.17');
    expect(b.demand).toMatchObject({ maxDemandKw: '910', billedDemandKw: '910', capacityKva: '2000' });
  });

  it('meter change: two segments of energy, the larger demand (SC, 2026-07, standard 0.85)', () => {
    /*
     * meter_out M-OLD ×100: total 100 → 10,000; sharp 10 → 1,000; peak 30 → 3,000; flat 40 → 4,000;
     *                       valley 20 → 2,000; kvarh 50 → 5,000; demand 5.5 → 550 kW
     * meter_in  M-NEW ×200: total 150 → 30,000; sharp 15 → 3,000; peak 45 → 9,000; flat 60 → 12,000;
     *                       valley 30 → 6,000; kvarh 70 → 14,000; demand 2.9 → 580 kW
     * energy 40,000 (sharp 4,000, peak 12,000, flat 16,000, valley 8,000), kvarh 19,000
     * demand: one line, so max(550, 580) = 580 kW (not 1,130); ≤ 105 % × 600 = 630 → contract charged
     * basic  600 kW × 38.00                        = 22,800.00
     * sharp   4,000 × 1.1040                       =  4,416.00
     * peak   12,000 × 0.9200                       = 11,040.00
     * flat   16,000 × 0.5750                       =  9,200.00
     * valley  8,000 × 0.2300                       =  1,840.00
     * base                                          = 49,296.00
     * PF 40,000/√(40,000² + 19,000²) = 0.90328 → 0.90 under 0.85 → −0.50 % = −246.48
     * funds 40,000 × 0.0023 / 0.0062 / 0.0190      = 92.00 / 248.00 / 760.00
     * total 49,296.00 − 246.48 + 1,100.00           = 50,149.52
     */
    const b = bill({
      account: testAccount({
        basicChargeMethod: 'contracted-demand',
        capacityKva: '1250',
        contractedDemandKw: '600',
        powerFactorStandard: '0.85',
      }),
      period: '2026-07',
      reads: [
        readRow({
          period: '2026-07',
          meterId: 'M-OLD',
          readType: 'meter_out',
          readAt: '2026-07-12T10:00:00+08:00',
          multiplier: '100',
          total: ['2000', '2100'],
          sharp: ['100', '110'],
          peak: ['500', '530'],
          flat: ['700', '740'],
          valley: ['700', '720'],
          kvarh: ['300', '350'],
          demand: '5.5',
        }),
        readRow({
          period: '2026-07',
          meterId: 'M-NEW',
          readType: 'meter_in',
          readAt: '2026-07-31T23:45:00+08:00',
          multiplier: '200',
          total: ['0', '150'],
          sharp: ['0', '15'],
          peak: ['0', '45'],
          flat: ['0', '60'],
          valley: ['0', '30'],
          kvarh: ['0', '70'],
          demand: '2.9',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '600', '38.00', '22800.00'],
      ['ENERGY_SHARP', '4000', '1.1040', '4416.00'],
      ['ENERGY_PEAK', '12000', '0.9200', '11040.00'],
      ['ENERGY_FLAT', '16000', '0.5750', '9200.00'],
      ['ENERGY_VALLEY', '8000', '0.2300', '1840.00'],
      ['POWER_FACTOR_ADJUSTMENT', '49296.00', '-0.0050', '-246.48'],
      ['FUND_MAJOR_WATER', '40000', '0.0023', '92.00'],
      ['FUND_RESERVOIR', '40000', '0.0062', '248.00'],
      ['FUND_RENEWABLE', '40000', '0.0190', '760.00'],
    ]);
    expect(b.total).toBe('50149.52');
    expect(b.demand.maxDemandKw).toBe('580');
    expect(b.powerFactor).toMatchObject({ value: '0.90', standard: '0.85', adjustmentPercent: '-0.50' });
  });

  it('register roll-over at 10^register_digits and at the inferred size (SC, 2026-04)', () => {
    /*
     * meter R1 ×50, register_digits 5 (wraps at 100,000):
     *   total 99,800.5 → 120.5: 100,000 − 99,800.5 + 120.5 = 320 → 16,000 kWh
     *   peak 99,900 → 10: 110 → 5,500; flat 130 → 6,500; valley 80 → 4,000 (bands 320 = total)
     *   kvarh 99,990 → 86: 96 → 4,800; demand 6.2 → 310 kW
     * meter R2 ×10, no register_digits: total 9,990 → 30 wraps at 10^4 (4 integer digits): 40 → 400 kWh
     *   peak 10 → 100; flat 20 → 200; valley 10 → 100; kvarh 20 → 200; demand 1.5 → 15 kW
     * energy 16,400 (peak 5,600, flat 6,700, valley 4,100), kvarh 5,000
     * basic  400 kVA × 26.00                       = 10,400.00
     * peak    5,600 × 0.9200                       =  5,152.00
     * flat    6,700 × 0.5750                       =  3,852.50
     * valley  4,100 × 0.2300                       =    943.00
     * base                                          = 20,347.50
     * PF 16,400/√(16,400² + 5,000²) = 0.95653 → 0.96 → −0.75 %: −152.60625 → −152.61
     * funds 16,400 × 0.0023 / 0.0062 / 0.0190      = 37.72 / 101.68 / 311.60
     * total 20,347.50 − 152.61 + 451.00             = 20,645.89
     */
    const b = bill({
      account: testAccount({ capacityKva: '400' }),
      period: '2026-04',
      reads: [
        readRow({
          period: '2026-04',
          meterId: 'R1',
          multiplier: '50',
          digits: '5',
          total: ['99800.5', '120.5'],
          peak: ['99900', '10'],
          flat: ['5000', '5130'],
          valley: ['2000', '2080'],
          kvarh: ['99990', '86'],
          demand: '6.2',
        }),
        readRow({
          period: '2026-04',
          meterId: 'R2',
          multiplier: '10',
          total: ['9990', '30'],
          peak: ['1000', '1010'],
          flat: ['2000', '2020'],
          valley: ['3000', '3010'],
          kvarh: ['500', '520'],
          demand: '1.5',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CAPACITY', '400', '26.00', '10400.00'],
      ['ENERGY_PEAK', '5600', '0.9200', '5152.00'],
      ['ENERGY_FLAT', '6700', '0.5750', '3852.50'],
      ['ENERGY_VALLEY', '4100', '0.2300', '943.00'],
      ['POWER_FACTOR_ADJUSTMENT', '20347.50', '-0.0075', '-152.61'],
      ['FUND_MAJOR_WATER', '16400', '0.0023', '37.72'],
      ['FUND_RESERVOIR', '16400', '0.0062', '101.68'],
      ['FUND_RENEWABLE', '16400', '0.0190', '311.60'],
    ]);
    expect(b.total).toBe('20645.89');
    expect(findingCodes(b)).toEqual([
      'REGISTER_ROLLOVER',
      'REGISTER_ROLLOVER',
      'REGISTER_ROLLOVER',
      'REGISTER_ROLLOVER',
    ]);
    expect(b.findings.map((f) => f.meterId)).toEqual(['R1', 'R1', 'R1', 'R2']);
  });

  it('maximum demand above 105 % of the contract: the excess at double price, PF exactly the standard (GD, 2026-05)', () => {
    /*
     * ×1000: total 200 → 200,000 kWh; peak 80,000; flat 70,000; valley 50,000; kvarh 96.86 → 96,860
     * demand 1.2 → 1,200 kW against 1,000 kW contracted: 105 % = 1,050 kW, excess 150 kW
     * basic  1,050 kW × 38.00                      = 39,900.00
     * excess   150 kW × 76.00 (2 × 38.00)          = 11,400.00
     * peak   80,000 × 1.0200                       = 81,600.00
     * flat   70,000 × 0.6000                       = 42,000.00
     * valley 50,000 × 0.2280                       = 11,400.00
     * base                                          = 186,300.00
     * PF 200,000/√(200,000² + 96,860²) = 0.90001 → 0.90 = standard → 0 % = 0.00
     * funds 200,000 × 0.0023 / 0.0062 / 0.0190     = 460.00 / 1,240.00 / 3,800.00
     * total 186,300.00 + 0.00 + 5,500.00            = 191,800.00
     */
    const b = bill({
      account: testAccount({
        tariffId: 'GD-LI-1-10KV',
        basicChargeMethod: 'contracted-demand',
        capacityKva: '2500',
        contractedDemandKw: '1000',
      }),
      period: '2026-05',
      reads: [
        readRow({
          period: '2026-05',
          multiplier: '1000',
          total: ['0', '200'],
          peak: ['0', '80'],
          flat: ['0', '70'],
          valley: ['0', '50'],
          kvarh: ['0', '96.86'],
          demand: '1.2',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '1050', '38.00', '39900.00'],
      ['BASIC_CONTRACTED_DEMAND_EXCESS', '150', '76.00', '11400.00'],
      ['ENERGY_PEAK', '80000', '1.0200', '81600.00'],
      ['ENERGY_FLAT', '70000', '0.6000', '42000.00'],
      ['ENERGY_VALLEY', '50000', '0.2280', '11400.00'],
      ['POWER_FACTOR_ADJUSTMENT', '186300.00', '0.0000', '0.00'],
      ['FUND_MAJOR_WATER', '200000', '0.0023', '460.00'],
      ['FUND_RESERVOIR', '200000', '0.0062', '1240.00'],
      ['FUND_RENEWABLE', '200000', '0.0190', '3800.00'],
    ]);
    expect(b.total).toBe('191800.00');
    expect(b.demand).toMatchObject({
      maxDemandKw: '1200',
      contractedDemandKw: '1000',
      demandOfContractPercent: '120.0',
    });
    expect(findingCodes(b)).toEqual(['DEMAND_OVER_CONTRACT']);
  });

  it('contracted demand below the 40 % floor is billed at the floor (SC, 2026-09, standard 0.80)', () => {
    /*
     * ×40: total 500 → 20,000 kWh; peak 6,000; flat 8,000; valley 6,000; kvarh 300 → 12,000; demand 350 kW
     * contract 300 kW < 40 % × 1,000 kVA = 400 kW → 400 kW; 105 % = 420 ≥ 350 → no excess
     * basic  400 kW × 38.00                        = 15,200.00
     * peak    6,000 × 0.9200                       =  5,520.00
     * flat    8,000 × 0.5750                       =  4,600.00
     * valley  6,000 × 0.2300                       =  1,380.00
     * base                                          = 26,700.00
     * PF 20,000/√(20,000² + 12,000²) = 0.85749 → 0.86 under 0.80 → −0.60 % = −160.20
     * funds 20,000 × 0.0023 / 0.0062 / 0.0190      = 46.00 / 124.00 / 380.00
     * total 26,700.00 − 160.20 + 550.00             = 27,089.80
     */
    const b = bill({
      account: testAccount({
        category: 'agricultural',
        basicChargeMethod: 'contracted-demand',
        contractedDemandKw: '300',
        powerFactorStandard: '0.80',
      }),
      period: '2026-09',
      reads: [
        readRow({
          period: '2026-09',
          multiplier: '40',
          total: ['1000', '1500'],
          peak: ['200', '350'],
          flat: ['300', '500'],
          valley: ['100', '250'],
          kvarh: ['100', '400'],
          demand: '8.75',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '400', '38.00', '15200.00'],
      ['ENERGY_PEAK', '6000', '0.9200', '5520.00'],
      ['ENERGY_FLAT', '8000', '0.5750', '4600.00'],
      ['ENERGY_VALLEY', '6000', '0.2300', '1380.00'],
      ['POWER_FACTOR_ADJUSTMENT', '26700.00', '-0.0060', '-160.20'],
      ['FUND_MAJOR_WATER', '20000', '0.0023', '46.00'],
      ['FUND_RESERVOIR', '20000', '0.0062', '124.00'],
      ['FUND_RENEWABLE', '20000', '0.0190', '380.00'],
    ]);
    expect(b.total).toBe('27089.80');
    expect(b.lines[0]!.explanation).toBe('400 kW (40% × 1,000 kVA; contract 300 kW) × 38.00 元 = 15,200.00');
    expect(findingCodes(b)).toEqual(['CONTRACTED_DEMAND_BELOW_FLOOR']);
  });

  it('pro-rated month of a new connection: 1/30 per day used, PF below the standard (SC, 2026-04)', () => {
    /*
     * connected 2026-04-19: days 19–30 = 12 days → 12/30 of the monthly basic charge
     * ×20: total 500 → 10,000 kWh; peak 3,000; flat 4,000; valley 3,000; kvarh 300 → 6,000; demand 200 kW
     * basic  800 kVA × 26.00 × 12/30               =  8,320.00
     * peak    3,000 × 0.9200                       =  2,760.00
     * flat    4,000 × 0.5750                       =  2,300.00
     * valley  3,000 × 0.2300                       =    690.00
     * base                                          = 14,070.00
     * PF 10,000/√(10,000² + 6,000²) = 0.85749 → 0.86 under 0.90 → +2.0 % = 281.40
     * funds 10,000 × 0.0023 / 0.0062 / 0.0190      = 23.00 / 62.00 / 190.00
     * total 14,070.00 + 281.40 + 275.00             = 14,626.40
     */
    const b = bill({
      account: testAccount({ capacityKva: '800', connectedOn: '2026-04-19' }),
      period: '2026-04',
      reads: [
        readRow({
          period: '2026-04',
          multiplier: '20',
          total: ['0', '500'],
          peak: ['0', '150'],
          flat: ['0', '200'],
          valley: ['0', '150'],
          kvarh: ['0', '300'],
          demand: '10',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CAPACITY', '800', '26.00', '8320.00'],
      ['ENERGY_PEAK', '3000', '0.9200', '2760.00'],
      ['ENERGY_FLAT', '4000', '0.5750', '2300.00'],
      ['ENERGY_VALLEY', '3000', '0.2300', '690.00'],
      ['POWER_FACTOR_ADJUSTMENT', '14070.00', '0.0200', '281.40'],
      ['FUND_MAJOR_WATER', '10000', '0.0023', '23.00'],
      ['FUND_RESERVOIR', '10000', '0.0062', '62.00'],
      ['FUND_RENEWABLE', '10000', '0.0190', '190.00'],
    ]);
    expect(b.total).toBe('14626.40');
    expect(b.lines[0]!.explanation).toBe('800 kVA × 26.00 元 × 12/30 = 8,320.00');
    expect(b.lines[0]!.label.en).toBe('Basic charge (capacity) (days 19–30)');
  });

  it('tariff change inside the period: every charge split by days (GD, 2026-06)', () => {
    /*
     * GD versions 2026-01-01 (days 1–15) and 2026-06-16 (days 16–30): 15/30 each
     * ×100: total 600 → 60,000 kWh; peak 24,000; flat 21,000; valley 15,000; kvarh 200 → 20,000; 400 kW
     * basic  1,000 kVA × 26.00 × 15/30 (twice)     = 13,000.00 + 13,000.00
     * peak   12,000 × 1.0200 | 12,000 × 1.0540     = 12,240.00 + 12,648.00
     * flat   10,500 × 0.6000 | 10,500 × 0.6200     =  6,300.00 +  6,510.00
     * valley  7,500 × 0.2280 |  7,500 × 0.2356     =  1,710.00 +  1,767.00
     * base                                          = 67,175.00
     * PF 60,000/√(60,000² + 20,000²) = 0.94868 → 0.95 → −0.75 %: −503.8125 → −503.81
     * funds on 30,000 + 30,000 kWh: 69.00, 186.00, 570.00 each half = 1,650.00
     * total 67,175.00 − 503.81 + 1,650.00           = 68,321.19
     */
    const b = bill({
      account: testAccount({ tariffId: 'GD-LI-1-10KV' }),
      period: '2026-06',
      reads: [
        readRow({
          period: '2026-06',
          multiplier: '100',
          total: ['0', '600'],
          peak: ['0', '240'],
          flat: ['0', '210'],
          valley: ['0', '150'],
          kvarh: ['0', '200'],
          demand: '4',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CAPACITY', '1000', '26.00', '13000.00'],
      ['BASIC_CAPACITY', '1000', '26.00', '13000.00'],
      ['ENERGY_PEAK', '12000', '1.0200', '12240.00'],
      ['ENERGY_PEAK', '12000', '1.0540', '12648.00'],
      ['ENERGY_FLAT', '10500', '0.6000', '6300.00'],
      ['ENERGY_FLAT', '10500', '0.6200', '6510.00'],
      ['ENERGY_VALLEY', '7500', '0.2280', '1710.00'],
      ['ENERGY_VALLEY', '7500', '0.2356', '1767.00'],
      ['POWER_FACTOR_ADJUSTMENT', '67175.00', '-0.0075', '-503.81'],
      ['FUND_MAJOR_WATER', '30000', '0.0023', '69.00'],
      ['FUND_MAJOR_WATER', '30000', '0.0023', '69.00'],
      ['FUND_RESERVOIR', '30000', '0.0062', '186.00'],
      ['FUND_RESERVOIR', '30000', '0.0062', '186.00'],
      ['FUND_RENEWABLE', '30000', '0.0190', '570.00'],
      ['FUND_RENEWABLE', '30000', '0.0190', '570.00'],
    ]);
    expect(b.total).toBe('68321.19');
    expect(b.tariffVersions).toEqual([
      { tariffId: 'GD-LI-1-10KV', effectiveFrom: '2026-01-01', days: 15 },
      { tariffId: 'GD-LI-1-10KV', effectiveFrom: '2026-06-16', days: 15 },
    ]);
    expect(b.lines.map((l) => l.tariffEffectiveFrom)).toEqual([
      ...Array.from({ length: 4 }, (_, i) => (i % 2 === 0 ? '2026-01-01' : '2026-06-16')),
      ...Array.from({ length: 4 }, (_, i) => (i % 2 === 0 ? '2026-01-01' : '2026-06-16')),
      undefined,
      ...Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? '2026-01-01' : '2026-06-16')),
    ]);
    expect(b.lines[3]!.label['zh-CN']).toBe('高峰电度电费（2026-06-16 起）');
  });

  it('high utilisation (≥ 260 kWh/kVA) pays 90 % of the demand price; exported kvarh counts (SC, 2026-10, 0.85)', () => {
    /*
     * ×500: total 300 → 150,000 kWh; peak 50,000; flat 60,000; valley 40,000;
     *       kvarh import 250 → 125,000, export 100 → 50,000: |125,000| + |50,000| = 175,000; demand 400 kW
     * 150,000 kWh / 500 kVA = 300 kWh/kVA ≥ 260 → 38.00 × 0.9 = 34.20; floor 200 kW < 400 kW
     * basic  400 kW × 34.20                        = 13,680.00
     * peak   50,000 × 0.9200                       = 46,000.00
     * flat   60,000 × 0.5750                       = 34,500.00
     * valley 40,000 × 0.2300                       =  9,200.00
     * base                                          = 103,380.00
     * PF 150,000/√(150,000² + 175,000²) = 0.65079 → 0.65 under 0.85 → +10 % = 10,338.00
     * funds 150,000 × 0.0023 / 0.0062 / 0.0190     = 345.00 / 930.00 / 2,850.00
     * total 103,380.00 + 10,338.00 + 4,125.00       = 117,843.00
     */
    const b = bill({
      account: testAccount({
        basicChargeMethod: 'actual-demand',
        capacityKva: '500',
        powerFactorStandard: '0.85',
      }),
      period: '2026-10',
      reads: [
        readRow({
          multiplier: '500',
          total: ['0', '300'],
          peak: ['0', '100'],
          flat: ['0', '120'],
          valley: ['0', '80'],
          kvarh: ['0', '250'],
          kvarhExport: ['0', '100'],
          demand: '0.8',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_ACTUAL_DEMAND', '400', '34.20', '13680.00'],
      ['ENERGY_PEAK', '50000', '0.9200', '46000.00'],
      ['ENERGY_FLAT', '60000', '0.5750', '34500.00'],
      ['ENERGY_VALLEY', '40000', '0.2300', '9200.00'],
      ['POWER_FACTOR_ADJUSTMENT', '103380.00', '0.1000', '10338.00'],
      ['FUND_MAJOR_WATER', '150000', '0.0023', '345.00'],
      ['FUND_RESERVOIR', '150000', '0.0062', '930.00'],
      ['FUND_RENEWABLE', '150000', '0.0190', '2850.00'],
    ]);
    expect(b.total).toBe('117843.00');
    expect(b.consumption.kvarh).toBe('175000');
    expect(b.demand.kwhPerKva).toBe('300.00');
    expect(b.lines[0]!.explanation).toBe('400 kW × 34.20 元 (38.00 × 0.9, 300 kWh/kVA ≥ 260) = 13,680.00');
  });

  it('capacity reduced inside the month: days before at the old capacity, from the change at the new (SC, 2026-04)', () => {
    /*
     * capacityChangedOn 2026-04-11, 1,000 → 630 kVA (pro-rated month, 1/30 per day):
     * basic days 1–10   1,000 kVA × 26.00 × 10/30 = 8,666.666… → 8,666.67
     * basic days 11–30    630 kVA × 26.00 × 20/30 = 10,920.00
     * ×10: total 1,000 → 10,000 kWh; peak 4,000; flat 4,000; valley 2,000; kvarh 0 → PF 1.00; 100 kW
     * peak    4,000 × 0.9200                       = 3,680.00
     * flat    4,000 × 0.5750                       = 2,300.00
     * valley  2,000 × 0.2300                       =   460.00
     * base 8,666.67 + 10,920.00 + 6,440.00          = 26,026.67
     * PF 1.00 → −0.75 %: −195.200025 → −195.20
     * funds 10,000 × 0.0023 / 0.0062 / 0.0190      = 23.00 / 62.00 / 190.00
     * total 26,026.67 − 195.20 + 275.00             = 26,106.47
     */
    const b = bill({
      account: testAccount({
        capacityKva: '630',
        previousCapacityKva: '1000',
        capacityChangedOn: '2026-04-11',
      }),
      period: '2026-04',
      reads: [
        readRow({
          period: '2026-04',
          multiplier: '10',
          total: ['0', '1000'],
          peak: ['0', '400'],
          flat: ['0', '400'],
          valley: ['0', '200'],
          kvarh: ['0', '0'],
          demand: '10',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CAPACITY', '1000', '26.00', '8666.67'],
      ['BASIC_CAPACITY', '630', '26.00', '10920.00'],
      ['ENERGY_PEAK', '4000', '0.9200', '3680.00'],
      ['ENERGY_FLAT', '4000', '0.5750', '2300.00'],
      ['ENERGY_VALLEY', '2000', '0.2300', '460.00'],
      ['POWER_FACTOR_ADJUSTMENT', '26026.67', '-0.0075', '-195.20'],
      ['FUND_MAJOR_WATER', '10000', '0.0023', '23.00'],
      ['FUND_RESERVOIR', '10000', '0.0062', '62.00'],
      ['FUND_RENEWABLE', '10000', '0.0190', '190.00'],
    ]);
    expect(b.total).toBe('26106.47');
    expect(b.lines.slice(0, 2).map((l) => l.label['zh-CN'])).toEqual([
      '基本电费（按容量）（1–10日）',
      '基本电费（按容量）（11–30日）',
    ]);
  });

  it('sharp-peak season with decimal registers and the sample CSV row (GD, 2026-10)', () => {
    /*
     * The upstream-feeds.md example row, ×2000:
     *   total 1,791.07 − 1,520.31 = 270.76 → 541,520 kWh
     *   sharp 21.55 → 43,100; peak 85.91 → 171,820; flat 91.23 → 182,460; valley 72.07 → 144,140 (sum 270.76)
     *   kvarh 112.68 → 225,360; demand 0.4123 → 824.6 kW
     * contract 1,000 kW (floor 1,000, 105 % = 1,050 ≥ 824.6) → 1,000 kW
     * basic  1,000 kW × 38.00                      =  38,000.00
     * sharp   43,100 × 1.3175                      =  56,784.25
     * peak   171,820 × 1.0540                      = 181,098.28 (181,098.28)
     * flat   182,460 × 0.6200                      = 113,125.20
     * valley 144,140 × 0.2356                      =  33,959.384 → 33,959.38
     * base                                          = 422,967.11
     * PF 541,520/√(541,520² + 225,360²) = 0.92325 → 0.92 → −0.30 %: −1,268.90133 → −1,268.90
     * funds 541,520 × 0.0023 / 0.0062 / 0.0190     = 1,245.496 → 1,245.50 / 3,357.424 → 3,357.42 / 10,288.88
     * total 422,967.11 − 1,268.90 + 14,891.80       = 436,590.01
     */
    const b = bill({
      account: testAccount({
        tariffId: 'GD-LI-1-10KV',
        basicChargeMethod: 'contracted-demand',
        capacityKva: '2500',
        contractedDemandKw: '1000',
      }),
      period: '2026-10',
      reads: [
        readRow({
          multiplier: '2000',
          total: ['1520.31', '1791.07'],
          sharp: ['120.05', '141.60'],
          peak: ['480.11', '566.02'],
          flat: ['510.10', '601.33'],
          valley: ['410.05', '482.12'],
          kvarh: ['630.20', '742.88'],
          demand: '0.4123',
        }),
      ],
    });
    expect(lineFacts(b)).toEqual([
      ['BASIC_CONTRACTED_DEMAND', '1000', '38.00', '38000.00'],
      ['ENERGY_SHARP', '43100', '1.3175', '56784.25'],
      ['ENERGY_PEAK', '171820', '1.0540', '181098.28'],
      ['ENERGY_FLAT', '182460', '0.6200', '113125.20'],
      ['ENERGY_VALLEY', '144140', '0.2356', '33959.38'],
      ['POWER_FACTOR_ADJUSTMENT', '422967.11', '-0.0030', '-1268.90'],
      ['FUND_MAJOR_WATER', '541520', '0.0023', '1245.50'],
      ['FUND_RESERVOIR', '541520', '0.0062', '3357.42'],
      ['FUND_RENEWABLE', '541520', '0.0190', '10288.88'],
    ]);
    expect(b.total).toBe('436590.01');
    expect(b.demand.maxDemandKw).toBe('824.6');
  });

  it.each([
    ['2026-12', 25, '2027-01-25'],
    ['2026-02', 1, '2026-03-01'],
  ])('a %s bill with payment day %i is due on %s', (period, paymentDueDay, due) => {
    const b = bill({
      account: testAccount({ paymentDueDay }),
      period,
      reads: [
        readRow({
          period,
          multiplier: '1',
          total: ['0', '3'],
          peak: ['0', '1'],
          flat: ['0', '1'],
          valley: ['0', '1'],
          kvarh: ['0', '1'],
          demand: '1',
        }),
      ],
    });
    expect(b.dueDate).toBe(due);
    expect(b.total).toBe(sumOfLines(b));
  });
});
