import { describe, expect, it } from 'vitest';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { dec } from '#domain/money.ts';
import { goldenOne, readRow, testAccount } from './helpers.ts';

/*
 * Advice savings are differences between two bills of the engine; these tests compute the changed bill
 * independently (hand-changed registers) and by hand.
 */

// Golden bill 7 (SC, 2026-04, connected 04-19, 800 kVA, PF 0.86 under 0.90 → +2 %): total 14,626.40.
const goldenSeven = {
  account: testAccount({ capacityKva: '800', connectedOn: '2026-04-19' }),
  tariffs: SAMPLE_TARIFFS,
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
};

describe('advice', () => {
  it('prices moving 10 % of peak energy to valley as the difference of two bills', () => {
    /*
     * 10 % of 15,000 peak kWh = 1,500 kWh: energy −1,500 × (0.9200 − 0.2300) = −1,035.00
     * base 54,750.00 → 53,715.00; PF −0.45 %: −246.38 → −241.7175 → −241.72 (+4.66)
     * saving 1,035.00 − 4.66 = 1,030.34
     */
    const bill = computeBill(goldenOne);
    const moved = computeBill({
      ...goldenOne,
      reads: [
        {
          ...goldenOne.reads[0]!,
          kwhBands: {
            peak: { start: '300.00', end: '435.00' },
            flat: goldenOne.reads[0]!.kwhBands.flat!,
            valley: { start: '300.00', end: '465.00' },
          },
        },
      ],
      advice: { enabled: false },
    });
    expect(moved.total).toBe('54848.28');
    const shift = bill.advice.find((a) => a.kind === 'shift-peak-to-valley')!;
    expect(shift.saving).toBe('1030.34');
    expect(shift.saving).toBe(dec(bill.total).minus(moved.total).toFixed(2));
    expect(shift.message['zh-CN']).toBe('将 10% 的高峰用电（约 1,500 kWh）移到低谷时段。');
    expect(shift.message.en).toBe('Move 10% of your peak consumption (about 1,500 kWh) to valley hours.');
  });

  it('takes the share to move from the input', () => {
    // 20 %: 3,000 kWh × 0.69 = 2,070.00; base 52,680.00 → PF −237.06 (+9.32); saving 2,060.68
    const bill = computeBill({ ...goldenOne, advice: { peakShiftShare: '0.2' } });
    expect(bill.advice.find((a) => a.kind === 'shift-peak-to-valley')).toMatchObject({
      scenario: 'move 20% of peak kWh to valley',
      saving: '2060.68',
    });
  });

  it('prices raising the power factor to the standard and to 0.95', () => {
    /*
     * base 14,070.00 at PF 0.86 → +2 % = +281.40
     * at 0.90: 0 %        → saving 281.40
     * at 0.95: −0.75 % = −105.525 → −105.53 → saving 281.40 + 105.53 = 386.93
     */
    const bill = computeBill(goldenSeven);
    const pf = bill.advice.filter((a) => a.kind === 'raise-power-factor');
    expect(pf.map((a) => [a.scenario, a.saving])).toEqual([
      ['power factor 0.90 (the standard)', '281.40'],
      ['power factor 0.95', '386.93'],
    ]);
    expect(pf[0]!.message.en).toBe(
      'Raise the power factor from 0.86 to 0.90 (the standard): the power-factor adjustment goes from 2.00% to 0.00%.',
    );
  });

  it('names the basic-charge method that would have been cheaper this period', () => {
    /*
     * actual demand 200 kW < floor 40 % × 800 = 320 kW: 320 × 38.00 × 12/30 = 4,864.00 vs 8,320.00
     * base 14,070.00 − 3,456.00 = 10,614.00; PF +2 % = 212.28; total 10,614.00 + 212.28 + 275.00 = 11,101.28
     * saving 14,626.40 − 11,101.28 = 3,525.12 (contracted demand: no contract value, not offered)
     */
    const bill = computeBill(goldenSeven);
    expect(bill.advice.find((a) => a.kind === 'basic-charge-method')).toMatchObject({
      scenario: 'basic charge actual-demand',
      saving: '3525.12',
    });
  });

  it('offers nothing where nothing is gained: PF at 0.95+, no peak energy, the method already cheapest', () => {
    const bill = computeBill({
      account: testAccount({ basicChargeMethod: 'actual-demand', capacityKva: '1000' }),
      tariffs: SAMPLE_TARIFFS,
      period: '2026-10',
      reads: [
        readRow({
          multiplier: '1',
          total: ['0', '1000'],
          peak: ['0', '0'],
          flat: ['0', '1000'],
          valley: ['0', '0'],
          kvarh: ['0', '10'],
          demand: '100',
        }),
      ],
    });
    // actual 100 kW floored at 400 kW × 38 = 15,200 < capacity 26,000
    expect(bill.advice).toEqual([]);
  });

  it('leaves the charges as they are: a bill with advice has the lines of the bill without', () => {
    const withAdvice = computeBill(goldenSeven);
    const without = computeBill({ ...goldenSeven, advice: { enabled: false } });
    expect(without.advice).toEqual([]);
    expect({ ...withAdvice, advice: [] }).toEqual(without);
  });
});
