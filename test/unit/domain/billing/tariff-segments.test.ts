import { describe, expect, it } from 'vitest';
import { billWith, simpleRead, testAccount } from './helpers.ts';

describe('tariff split by days', () => {
  it('shares energy by days, the earlier shares cut to 0.01 kWh and the last taking the remainder', () => {
    // June 2026: GD 2026-01-01 for days 1–15, 2026-06-16 for days 16–30. 1,000.01 kWh flat:
    // 1,000.01 × 15/30 = 500.005 → 500.00; remainder 500.01.
    const b = billWith({
      account: testAccount({ tariffId: 'GD-LI-1-10KV' }),
      period: '2026-06',
      reads: [
        simpleRead({
          period: '2026-06',
          total: ['0.00', '1000.01'],
          peak: ['0.00', '0.00'],
          flat: ['0.00', '1000.01'],
          valley: ['0.00', '0.00'],
        }),
      ],
    });
    const flat = b.lines.filter((l) => l.code === 'ENERGY_FLAT');
    expect(flat.map((l) => [l.quantity, l.unitPrice, l.amount])).toEqual([
      ['500', '0.6000', '300.00'],
      ['500.01', '0.6200', '310.01'],
    ]);
  });

  it('uses the version in force: a July bill is wholly on the mid-year version', () => {
    const b = billWith({
      account: testAccount({ tariffId: 'GD-LI-1-10KV' }),
      period: '2026-07',
      reads: [simpleRead({ period: '2026-07' })],
    });
    expect(b.tariffVersions).toEqual([{ tariffId: 'GD-LI-1-10KV', effectiveFrom: '2026-06-16', days: 31 }]);
  });
});
