import { describe, expect, it } from 'vitest';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { billWith, findingCodes, inputError, lineFacts, scWith, simpleRead, testAccount } from './helpers.ts';

describe('reads that cannot be billed are rejected, naming the CSV column', () => {
  it.each([
    ['no reads at all', [], 'reads'],
    ['a read of another account', [simpleRead({ accountId: 'B2' })], 'account_id'],
    ['a read of another period', [simpleRead({ period: '2026-09' })], 'period'],
    ['two actual reads of one meter', [simpleRead(), simpleRead()], 'meter_id'],
    [
      'a start register too large for register_digits',
      [simpleRead({ digits: '3', total: ['5000', '10'] })],
      'register_digits',
    ],
  ] as const)('%s', (_, reads, field) => {
    expect(inputError(() => billWith({ reads })).field).toBe(field);
  });

  it('rejects a register that is not a number in rows that bypassed the parser', () => {
    const row = simpleRead();
    const broken = { ...row, kwhTotal: { start: '0', end: 'NaN' } };
    expect(inputError(() => billWith({ reads: [broken] })).field).toBe('kwh_total_end');
  });

  it('rejects an end register too large for register_digits', () => {
    expect(
      inputError(() => billWith({ reads: [simpleRead({ digits: '3', total: ['10', '5000'] })] })).field,
    ).toBe('register_digits');
  });

  it('rejects a share of peak energy to move that is not between 0 and 1', () => {
    const run = () =>
      computeBill({
        account: testAccount(),
        tariffs: SAMPLE_TARIFFS,
        reads: [simpleRead()],
        period: '2026-10',
        advice: { peakShiftShare: '1.5' },
      });
    expect(inputError(run).field).toBe('advice.peakShiftShare');
  });

  it('rejects a period that is not YYYY-MM', () => {
    expect(inputError(() => billWith({ period: '2026-13' })).field).toBe('period');
  });
});

describe('consumption findings (billed, and reported rather than fixed)', () => {
  it('reports band registers that miss the total beyond the resolution, bills bands as read and funds on the total', () => {
    // total 300 but bands 100 + 100 + 90 = 290: a 10 kWh gap, far beyond 3 × 0.01.
    const b = billWith({
      reads: [simpleRead({ total: ['0.00', '300.00'], valley: ['0.00', '90.00'] })],
    });
    expect(findingCodes(b)).toEqual(['BAND_SUM_MISMATCH']);
    expect(b.findings[0]!.message).toContain('difference -10 kWh');
    expect(b.consumption.byBand.valley).toBe('90');
    expect(b.lines.find((l) => l.code === 'FUND_RENEWABLE')!.quantity).toBe('300');
  });

  it('accepts band registers within one resolution step per band', () => {
    // bands 100.01 + 100.00 + 99.98 = 299.99 vs 300.00: 0.01 ≤ 3 × 0.01
    const b = billWith({
      reads: [
        simpleRead({
          total: ['0.00', '300.00'],
          peak: ['0.00', '100.01'],
          flat: ['0.00', '100.00'],
          valley: ['0.00', '99.98'],
        }),
      ],
    });
    expect(findingCodes(b)).toEqual([]);
  });

  it('reports an estimated read', () => {
    expect(findingCodes(billWith({ reads: [simpleRead({ readType: 'estimated' })] }))).toEqual([
      'ESTIMATED_READ',
    ]);
  });

  it('reports a meter_out without its meter_in and adds its demand as a line of its own', () => {
    const b = billWith({
      account: testAccount({ basicChargeMethod: 'actual-demand', capacityKva: '100' }),
      reads: [simpleRead({ meterId: 'L1' }), simpleRead({ meterId: 'L2', readType: 'meter_out' })],
    });
    expect(findingCodes(b)).toEqual(['UNPAIRED_METER_CHANGE']);
    expect(b.demand.maxDemandKw).toBe('200');
  });

  it('reports a roll-over that implies more than half the register', () => {
    // 4 inferred digits: 10,000 − 2,000 + 1,000 = 9,000 register units
    const b = billWith({
      reads: [
        simpleRead({
          total: ['2000', '1000'],
          peak: ['0', '3000'],
          flat: ['0', '3000'],
          valley: ['0', '3000'],
        }),
      ],
    });
    expect(findingCodes(b)).toEqual(['REGISTER_ROLLOVER', 'IMPLAUSIBLE_ROLLOVER']);
    expect(b.consumption.totalKwh).toBe('9000');
  });

  it('bills sharp-register energy at the peak price under a tariff without a sharp price, and says so', () => {
    const noSharp = scWith((t) => {
      Reflect.deleteProperty(t.energyPrices, 'sharp');
      t.touWindows = t.touWindows.filter((w: { band: string }) => w.band !== 'sharp');
    });
    const b = billWith({
      tariffs: [noSharp],
      reads: [simpleRead({ total: ['0', '400'], sharp: ['0', '100'] })],
    });
    expect(lineFacts(b).filter(([code]) => code.startsWith('ENERGY_'))).toEqual([
      ['ENERGY_PEAK', '200', '0.9200', '184.00'],
      ['ENERGY_FLAT', '100', '0.5750', '57.50'],
      ['ENERGY_VALLEY', '100', '0.2300', '23.00'],
    ]);
    expect(findingCodes(b)).toEqual(['SHARP_WITHOUT_PRICE']);
  });
});
