import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatPeriod, formatQuantity } from '#notify/index.ts';

describe('customer-facing formatting', () => {
  it.each([
    ['123456.78', '¥123,456.78'],
    ['1234567.89', '¥1,234,567.89'],
    ['0', '¥0.00'],
    ['5', '¥5.00'],
    ['999.995', '¥1,000.00'],
    ['0.004', '¥0.00'],
    ['-0.004', '¥0.00'],
    ['-1897.92', '-¥1,897.92'],
    ['12345678901234567.89', '¥12,345,678,901,234,567.89'],
  ])('prints the amount %s as %s', (value, printed) => {
    expect(formatMoney(value)).toBe(printed);
  });

  it.each(['', 'abc', '1e5', '1,234.00', 'NaN'])('refuses %j as an amount', (value) => {
    expect(() => formatMoney(value)).toThrow(/not a decimal/);
  });

  it.each([
    ['612000', '612,000'],
    ['1050.00', '1,050'],
    ['1234.567', '1,234.57'],
    ['0.5', '0.5'],
  ])('prints the quantity %s as %s', (value, printed) => {
    expect(formatQuantity(value)).toBe(printed);
  });

  it.each([
    ['2026-11-20', 'zh-CN', '2026年11月20日'],
    ['2026-11-20', 'en', '20 Nov 2026'],
    ['2027-01-05', 'zh-CN', '2027年1月5日'],
    ['2027-01-05', 'en', '5 Jan 2027'],
  ] as const)('prints the date %s in %s as %s', (iso, language, printed) => {
    expect(formatDate(iso, language)).toBe(printed);
  });

  it.each([
    ['2026-10', 'zh-CN', '2026年10月'],
    ['2026-10', 'en', 'Oct 2026'],
  ] as const)('prints the period %s in %s as %s', (period, language, printed) => {
    expect(formatPeriod(period, language)).toBe(printed);
  });
});
