import { describe, expect, it } from 'vitest';
import { checkReadContinuity } from '#domain/continuity.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';

const read = (
  period: string,
  start: string,
  end: string,
  overrides: Partial<MeterReadRow> = {},
): MeterReadRow => ({
  accountId: '3100012345',
  meterId: 'M-1',
  period,
  readAt: `${period}-28T23:45:00+08:00`,
  readType: 'actual',
  multiplier: '1000',
  kwhTotal: { start, end },
  kwhBands: {
    peak: { start: '10', end: '20' },
    flat: { start: '10', end: '20' },
    valley: { start: '10', end: '20' },
  },
  kvarh: { start: '5', end: '9' },
  kvarhExport: undefined,
  maxDemandKw: '0.5',
  registerDigits: undefined,
  ...overrides,
});

describe('reading continuity', () => {
  it('finds nothing when this period starts where the last one ended', () => {
    const continued = read('2026-10', '200.00', '300', {
      kwhBands: {
        peak: { start: '20', end: '30' },
        flat: { start: '20.0', end: '30' },
        valley: { start: '20', end: '30' },
      },
      kvarh: { start: '9', end: '12' },
    });
    expect(checkReadContinuity([continued], [read('2026-09', '100', '200')])).toEqual([]);
  });

  it('reports a total register that does not start where it ended', () => {
    const [finding] = checkReadContinuity([read('2026-10', '205', '300')], [read('2026-09', '100', '200')]);
    expect(finding).toMatchObject({ code: 'READ_CONTINUITY_BREAK', meterId: 'M-1' });
    expect(finding!.message).toContain('kwh_total_start 205 ≠ 2026-09 kwh_total_end 200');
  });

  it('does not expect a new meter to continue the old one', () => {
    expect(
      checkReadContinuity(
        [read('2026-10', '0', '50', { readType: 'meter_in' })],
        [read('2026-09', '100', '200')],
      ),
    ).toEqual([]);
  });

  it('has nothing to compare for a meter it has never seen', () => {
    expect(
      checkReadContinuity(
        [read('2026-10', '205', '300', { meterId: 'M-2' })],
        [read('2026-09', '100', '200')],
      ),
    ).toEqual([]);
  });
});
