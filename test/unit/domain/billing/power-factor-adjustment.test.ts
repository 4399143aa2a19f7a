import { describe, expect, it } from 'vitest';
import { billWith, findingCodes, simpleRead } from './helpers.ts';

describe('power factor without active energy', () => {
  it('prints no PF line, applies no adjustment and reports why', () => {
    const b = billWith({
      reads: [
        simpleRead({
          total: ['5', '5'],
          peak: ['1', '1'],
          flat: ['1', '1'],
          valley: ['3', '3'],
          kvarh: ['0', '40'],
          demand: '0',
        }),
      ],
    });
    expect(b.lines.map((l) => l.code)).not.toContain('POWER_FACTOR_ADJUSTMENT');
    expect(b.powerFactor).toMatchObject({ value: '0.00', adjustmentPercent: '0.00', applied: false });
    expect(findingCodes(b)).toEqual(['POWER_FACTOR_UNDEFINED']);
    // the basic charge is still due: 1,000 kVA × 26.00
    expect(b.total).toBe('26000.00');
  });
});
