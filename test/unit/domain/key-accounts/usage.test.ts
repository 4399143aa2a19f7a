import { describe, expect, it } from 'vitest';
import type { BillDocument } from '#domain/bill.ts';
import { daysInPeriod } from '#domain/calendar/index.ts';
import { indexBills, UsageBillSchema, usageProfile } from '#domain/key-accounts/usage.ts';
import { dec } from '#domain/money.ts';
import { history, LAST_PERIOD } from './fixtures.ts';

describe('usage profile from bill history', () => {
  it('computes load factor as energy ÷ (maximum demand × hours in the periods)', () => {
    const bills = history('A1', { kwh: 72_000, loadFactor: 0.5 });
    const profile = usageProfile('A1', indexBills(bills).get('A1'), LAST_PERIOD, 12);
    const demandHours = bills.reduce(
      (acc, b) => acc.plus(dec(b.consumption.maxDemandKw).times(daysInPeriod(b.period) * 24)),
      dec(0),
    );
    expect(profile.loadFactor?.toFixed(6)).toBe(dec(864_000).div(demandHours).toFixed(6));
    expect(profile.loadFactor?.toFixed(2)).toBe('0.50');
    expect(profile.energyKwh.toFixed()).toBe('864000');
  });

  it('takes time-of-use shares from the band registers, and month-on-month from the period before', () => {
    const bills = history('A1', {
      kwh: [...Array(11).fill(100_000), 90_000],
      sharpShare: 0.1,
      peakShare: 0.3,
      valleyShare: 0.2,
    });
    const profile = usageProfile('A1', indexBills(bills).get('A1'), LAST_PERIOD, 12);
    expect(profile.peakSharpShare?.toFixed(2)).toBe('0.40');
    expect(profile.valleyShare?.toFixed(2)).toBe('0.20');
    expect(profile.momChangePercent?.toFixed(1)).toBe('-10.0');
    expect(profile.yoyChangePercent).toBeNull();
  });

  it('reads year on year from the bill’s own comparison when the older bill is not given', () => {
    const bills = history('A1', { kwh: 110_000, lastYearKwh: 100_000 });
    const profile = usageProfile('A1', indexBills(bills).get('A1'), LAST_PERIOD, 12);
    expect(profile.yoyChangePercent?.toFixed(1)).toBe('10.0');
    expect(profile.growth?.basis).toBe('year-on-year');
  });

  it('uses the later bill when a period is billed twice (a re-bill)', () => {
    const bills = history('A1');
    const rebill = { ...bills[11]!, total: '1.00' };
    const profile = usageProfile('A1', indexBills([...bills, rebill]).get('A1'), LAST_PERIOD, 12);
    expect(profile.revenue.toFixed(2)).toBe(dec('70000.00').times(11).plus(1).toFixed(2));
  });

  it('reads a full BillDocument as it is', () => {
    const document: BillDocument = {
      accountId: 'A1',
      period: LAST_PERIOD,
      currency: 'CNY',
      tariffVersions: [{ tariffId: 'T', effectiveFrom: '2026-01-01', days: 31 }],
      lines: [],
      total: '70000.00',
      consumption: {
        totalKwh: '100000',
        byBand: { peak: '40000', valley: '60000' },
        kvarh: '30000',
        maxDemandKw: '250',
      },
      powerFactor: { value: '0.96', standard: '0.90', adjustmentPercent: '-0.75' },
      demand: { maxDemandKw: '250', capacityKva: '1000' },
      findings: [],
      comparison: {
        previousPeriod: {
          period: '2026-09',
          total: '60000.00',
          totalKwh: '80000',
          totalChangePercent: '16.7',
        },
      },
      advice: [],
      dueDate: '2026-11-20',
    };
    expect(UsageBillSchema.safeParse(document).success).toBe(true);
    const profile = usageProfile('A1', indexBills([document]).get('A1'), LAST_PERIOD, 12);
    expect(profile.momChangePercent?.toFixed(1)).toBe('25.0');
    expect(profile.peakSharpShare?.toFixed(2)).toBe('0.40');
  });
});
