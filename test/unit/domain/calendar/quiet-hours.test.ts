import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUIET_HOURS,
  isQuietTime,
  parseQuietHours,
  quietHoursEnd,
} from '#domain/calendar/quiet-hours.ts';

describe('SMS quiet hours (21:00–08:00 Asia/Shanghai)', () => {
  it.each([
    ['2026-11-22T12:59:00Z', false], // 20:59 Shanghai
    ['2026-11-22T13:00:00Z', true], // 21:00
    ['2026-11-22T18:30:00Z', true], // 02:30
    ['2026-11-22T23:59:00Z', true], // 07:59
    ['2026-11-23T00:00:00Z', false], // 08:00
    ['2026-11-23T04:00:00Z', false], // 12:00
  ])('at %s quiet is %s', (iso, quiet) => {
    expect(isQuietTime(new Date(iso), DEFAULT_QUIET_HOURS)).toBe(quiet);
  });

  it('defers a 23:10 SMS to 08:00 the next morning', () => {
    expect(quietHoursEnd(new Date('2026-11-22T15:10:00Z'), DEFAULT_QUIET_HOURS).toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    );
  });

  it('leaves a daytime SMS where it is', () => {
    const noon = new Date('2026-11-22T04:00:00Z');
    expect(quietHoursEnd(noon, DEFAULT_QUIET_HOURS)).toBe(noon);
  });

  it('supports a window that does not wrap midnight', () => {
    const lunch = parseQuietHours('12:00-13:30')!;
    expect(isQuietTime(new Date('2026-11-22T04:45:00Z'), lunch)).toBe(true);
    expect(isQuietTime(new Date('2026-11-22T05:30:00Z'), lunch)).toBe(false);
  });

  it('rejects a malformed window', () => {
    expect(() => parseQuietHours('9pm-8am')).toThrow(/HH:MM/);
  });

  it('treats an empty setting as no quiet hours', () => {
    expect(parseQuietHours('')).toBeNull();
  });
});
