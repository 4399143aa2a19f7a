import { Dec, dec, toFen } from '#domain/money.ts';
import type { Language } from '#domain/primitives.ts';

/*
 * Customer-facing number and date formatting. Money and energy arrive as decimal strings and are only
 * ever handled as strings or Decimals: a binary float could print ¥0.30 as ¥0.29.
 */

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

function parseDecimal(value: string, what: string): Dec {
  const trimmed = value.trim();
  // A malformed amount must stop the notice, not print as "NaN" or "¥0.00" to a customer.
  if (!DECIMAL.test(trimmed)) throw new Error(`not a decimal ${what}: ${JSON.stringify(value)}`);
  return dec(trimmed.replace(/^\+/, ''));
}

/** "1234567" → "1,234,567" (integer digits only). */
export function groupDigits(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Groups a fixed-point string ("-1234.50" → "-1,234.50"); avoids "-0.00". */
function groupFixed(fixed: string): string {
  const negative = fixed.startsWith('-');
  const [intPart = '0', fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  const isZero = /^[0.]*$/.test(fixed.replace('-', ''));
  const sign = negative && !isZero ? '-' : '';
  return `${sign}${groupDigits(intPart)}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Money: `¥1,234,567.89`, always two decimals, half-up; negative as `-¥1,897.92`. */
export function formatMoney(value: string): string {
  const grouped = groupFixed(toFen(parseDecimal(value, 'amount')).toFixed(2));
  return grouped.startsWith('-') ? `-¥${grouped.slice(1)}` : `¥${grouped}`;
}

/** A price per unit, with the decimals the tariff states (two to six): `0.9600` → `¥0.9600`, `38` → `¥38.00`. */
export function formatUnitPrice(value: string): string {
  const stated = value.trim().split('.')[1]?.length ?? 0;
  const decimals = Math.min(6, Math.max(2, stated));
  const grouped = groupFixed(
    parseDecimal(value, 'unit price').toDecimalPlaces(decimals, Dec.ROUND_HALF_UP).toFixed(decimals),
  );
  return grouped.startsWith('-') ? `-¥${grouped.slice(1)}` : `¥${grouped}`;
}

/** A quantity (kWh, kW, kVA): grouped, half-up to `maxDecimals`, no trailing zeros (`1050.00` → `1,050`). */
export function formatQuantity(value: string, maxDecimals = 2): string {
  const d = parseDecimal(value, 'quantity').toDecimalPlaces(maxDecimals, Dec.ROUND_HALF_UP);
  return groupFixed(d.toFixed(d.decimalPlaces()));
}

/** A signed percent with one decimal: `+6.5%`, `-3.1%`, `0.0%`. */
export function formatSignedPercent(value: string, decimals = 1): string {
  const fixed = parseDecimal(value, 'percent').toDecimalPlaces(decimals, Dec.ROUND_HALF_UP).toFixed(decimals);
  const grouped = groupFixed(fixed);
  if (/^[0.]+$/.test(grouped)) return `${grouped}%`;
  return grouped.startsWith('-') ? `${grouped}%` : `+${grouped}%`;
}

/** A plain percent: `10.3%`. */
export function formatPercent(value: Dec | string, decimals = 1): string {
  const d = typeof value === 'string' ? parseDecimal(value, 'percent') : value;
  return `${groupFixed(d.toDecimalPlaces(decimals, Dec.ROUND_HALF_UP).toFixed(decimals))}%`;
}

/** Percent change from `before` to `after`, one decimal, or null when `before` is zero. */
export function percentChange(before: string, after: string): string | null {
  const b = parseDecimal(before, 'value');
  if (b.isZero()) return null;
  return parseDecimal(after, 'value')
    .minus(b)
    .div(b)
    .times(100)
    .toDecimalPlaces(1, Dec.ROUND_HALF_UP)
    .toFixed(1);
}

/** Direction of a signed decimal string: 1, -1 or 0. */
export function signOf(value: string): 1 | -1 | 0 {
  const d = parseDecimal(value, 'value');
  return d.isZero() ? 0 : d.isNegative() ? -1 : 1;
}

export { parseDecimal };

const MONTHS_EN = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

function splitDate(value: string, pattern: RegExp, what: string): number[] {
  const match = pattern.exec(value);
  if (match === null) throw new Error(`not a ${what}: ${JSON.stringify(value)}`);
  return match.slice(1).map((part) => Number.parseInt(part, 10));
}

function monthName(month: number): string {
  const name = MONTHS_EN[month - 1];
  if (name === undefined) throw new Error(`month out of range: ${month}`);
  return name;
}

/** `2026-11-20` → `2026年11月20日` / `20 Nov 2026`. */
export function formatDate(iso: string, language: Language): string {
  const [year, month, day] = splitDate(iso, /^(\d{4})-(\d{2})-(\d{2})$/, 'date') as [number, number, number];
  return language === 'zh-CN' ? `${year}年${month}月${day}日` : `${day} ${monthName(month)} ${year}`;
}

/** `2026-10` → `2026年10月` / `Oct 2026`. */
export function formatPeriod(period: string, language: Language): string {
  const [year, month] = splitDate(period, /^(\d{4})-(\d{2})$/, 'period') as [number, number];
  return language === 'zh-CN' ? `${year}年${month}月` : `${monthName(month)} ${year}`;
}

/** `2026-10` → `10月` / `Oct`: labels under a chart whose caption names the years. */
export function formatMonthShort(period: string, language: Language): string {
  const [, month] = splitDate(period, /^(\d{4})-(\d{2})$/, 'period') as [number, number];
  return language === 'zh-CN' ? `${month}月` : monthName(month);
}

/**
 * Customer-entered text (names) made safe for one line of a subject, SMS or text part: control
 * characters (CR/LF could forge lines) and bidi overrides (could disguise text) become spaces.
 * HTML escaping is separate and done by the template engine.
 */
export function singleLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
