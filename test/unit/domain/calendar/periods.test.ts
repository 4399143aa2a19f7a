import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateOf,
  dayAfterPeriod,
  daysInPeriod,
  parsePeriod,
  periodBefore,
  periodOf,
  periodsBetween,
  periodWindow,
  shiftPeriod,
} from '#domain/calendar/periods.ts';
import { shanghaiDate } from '#domain/calendar/shanghai.ts';

describe('billing periods', () => {
  it('parses a period with its number of days', () => {
    expect(parsePeriod('2026-02')).toEqual({ year: 2026, month: 2, days: 28 });
    expect(parsePeriod('2028-02')).toEqual({ year: 2028, month: 2, days: 29 });
    expect(daysInPeriod('2026-11')).toBe(30);
    expect(daysInPeriod('2028-02')).toBe(29);
  });

  it('shifts periods across years, in both directions', () => {
    expect(shiftPeriod('2026-12', 1)).toBe('2027-01');
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('2026-10', -24)).toBe('2024-10');
    expect(periodOf(2026, 0)).toBe('2025-12');
    expect(periodOf(2026, 13)).toBe('2027-01');
    expect(periodsBetween('2025-11', '2026-02')).toBe(3);
  });

  it('lists a window of periods, oldest first', () => {
    expect(periodWindow('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('names the period before a date and the day after a period', () => {
    expect(periodBefore('2026-11-01')).toBe('2026-10');
    expect(periodBefore('2027-01-15')).toBe('2026-12');
    expect(dayAfterPeriod('2026-12')).toBe('2027-01-01');
    expect(dateOf(parsePeriod('2026-03'), 7)).toBe('2026-03-07');
  });

  it('gives the last closed period as the local runner computed it with Date (month before, in Shanghai)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const shanghai = new Date(ms + 8 * 3600_000);
        const d = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() - 1, 1));
        const viaDate = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
        expect(periodBefore(shanghaiDate(new Date(ms)))).toBe(viaDate);
      }),
    );
  });
});
