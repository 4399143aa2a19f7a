import { DAY_MS, periodsBetween, shanghaiDateOfMs, startOfDayMs } from './calendar/index.ts';
import { dayAfterPeriod } from './calendar/periods.ts';
import type { MeterReadRow, RegisterPair } from './meter-read.ts';

/*
 * Bounds a meter-read row must keep to before anything is billed from it (issue #11): register sizes,
 * the multiplier's range, reversed readings, and the window of periods and read times around today.
 * Pure: "today" is the caller's `now`.
 */

/** Integer digits of a register without register_digits (leading zeros not counted): 10^12 kWh is no meter. */
export const MAX_REGISTER_INTEGER_DIGITS = 12;
/** A meter-read cell longer than this is rejected before it is parsed (the longest valid cell, read_at, is ~35). */
export const MAX_METER_READ_CELL_CHARS = 64;
/**
 * The largest plausible multiplier (CT ratio × PT ratio): 220 kV via a 100 V PT (2,200) and a 3000/5 A
 * CT (600) is 1,320,000; ten million leaves room without letting a typo through.
 */
export const MAX_MULTIPLIER_INTEGER_DIGITS = 7;

/** The window of periods and read times a drop may carry, around the caller's today (Asia/Shanghai). */
export interface ReadWindow {
  /** A period more than this many months before the current month is stale. */
  readonly maxPeriodAgeMonths: number;
  /** read_at may fall this many days after its period's month (readings taken on the 1st–5th). */
  readonly readAtGraceDays: number;
  /** read_at may be this far after `now` (the meter's clock drifting ahead). */
  readonly readAtFutureToleranceMs: number;
}

export const DEFAULT_READ_WINDOW: ReadWindow = {
  maxPeriodAgeMonths: 12,
  readAtGraceDays: 10,
  readAtFutureToleranceMs: 60 * 60 * 1000,
};

export interface RowBreach {
  readonly column: string;
  readonly reason: string;
}

/** Integer digits of an unsigned decimal string, leading zeros not counted ("0.5" has 0, "007" has 1). */
export function integerDigits(value: string): number {
  let end = value.indexOf('.');
  if (end === -1) end = value.length;
  let start = 0;
  while (start < end && value.charCodeAt(start) === 48) start++;
  return end - start;
}

/** Sign of a − b for two unsigned decimal strings (digits, an optional point and decimals). */
export function compareDecimals(a: string, b: string): number {
  // Written without slicing: it runs on six register pairs of every row of a drop.
  let aDot = a.indexOf('.');
  if (aDot === -1) aDot = a.length;
  let bDot = b.indexOf('.');
  if (bDot === -1) bDot = b.length;
  let i = 0;
  while (i < aDot && a.charCodeAt(i) === 48) i++;
  let j = 0;
  while (j < bDot && b.charCodeAt(j) === 48) j++;
  if (aDot - i !== bDot - j) return aDot - i < bDot - j ? -1 : 1;
  for (; i < aDot; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  // Decimals, a missing digit read as 0.
  for (let k = 1; aDot + k < a.length || bDot + k < b.length; k++) {
    const x = aDot + k < a.length ? a.charCodeAt(aDot + k) : 48;
    const y = bDot + k < b.length ? b.charCodeAt(bDot + k) : 48;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** An unsigned decimal with at most 4 decimals as an integer number of 1/10,000 units. */
function units(value: string): bigint {
  const dot = value.indexOf('.');
  if (dot === -1) return BigInt(value) * 10_000n;
  return BigInt(value.slice(0, dot) + value.slice(dot + 1).padEnd(4, '0'));
}

type PairCheck = (prefix: string, pair: RegisterPair) => RowBreach | undefined;

/** The first breach `check` finds among the cumulative registers (prefix `kwh_total` → kwh_total_start/_end). */
function firstRegisterBreach(row: MeterReadRow, check: PairCheck): RowBreach | undefined {
  const { kwhBands } = row;
  return (
    check('kwh_total', row.kwhTotal) ??
    (kwhBands.sharp === undefined ? undefined : check('kwh_sharp', kwhBands.sharp)) ??
    (kwhBands.peak === undefined ? undefined : check('kwh_peak', kwhBands.peak)) ??
    (kwhBands.flat === undefined ? undefined : check('kwh_flat', kwhBands.flat)) ??
    (kwhBands.valley === undefined ? undefined : check('kwh_valley', kwhBands.valley)) ??
    check('kvarh', row.kvarh) ??
    (row.kvarhExport === undefined ? undefined : check('kvarh_export', row.kvarhExport))
  );
}

function oversizedReading(
  prefix: string,
  side: string,
  value: string,
  registerDigits: number | undefined,
): RowBreach | undefined {
  const digits = integerDigits(value);
  const max = registerDigits ?? MAX_REGISTER_INTEGER_DIGITS;
  if (digits <= max) return undefined;
  const size =
    registerDigits === undefined ? 'the largest register read (no register_digits)' : 'register_digits';
  return {
    column: prefix + side,
    reason: `reading ${value} has ${digits} integer digits, more than the ${max} of ${size}`,
  };
}

/**
 * A reading whose end is below its start is a roll-over only when wrapping at 10^digits (register_digits,
 * else the start's integer digits) advances at most half the register; otherwise it is reversed.
 */
function reversedReading(
  prefix: string,
  pair: RegisterPair,
  registerDigits: number | undefined,
): RowBreach | undefined {
  if (compareDecimals(pair.end, pair.start) >= 0) return undefined;
  const digits = registerDigits ?? integerDigits(pair.start);
  const size = 10n ** BigInt(digits) * 10_000n;
  const advance = units(pair.end) + size - units(pair.start);
  if (advance * 2n <= size) return undefined;
  return {
    column: `${prefix}_end`,
    reason:
      `reversed reading: ${prefix}_end ${pair.end} is below ${prefix}_start ${pair.start}, and a roll-over at ` +
      `10^${digits} would mean more than half the register`,
  };
}

/**
 * The first magnitude a row must not have: a register reading with more integer digits than its register
 * (register_digits, else MAX_REGISTER_INTEGER_DIGITS), a multiplier of more than
 * MAX_MULTIPLIER_INTEGER_DIGITS integer digits, or a reversed reading. Decimals (at most 4) and cell
 * lengths are checked before, on the cells.
 */
export function meterReadMagnitudeBreach(row: MeterReadRow): RowBreach | undefined {
  const digits = row.registerDigits;
  if (integerDigits(row.multiplier) > MAX_MULTIPLIER_INTEGER_DIGITS) {
    return {
      column: 'multiplier',
      reason: `multiplier ${row.multiplier} is implausible: at most ${MAX_MULTIPLIER_INTEGER_DIGITS} integer digits (below 10,000,000)`,
    };
  }
  return (
    firstRegisterBreach(
      row,
      (prefix, pair) =>
        oversizedReading(prefix, '_start', pair.start, digits) ??
        oversizedReading(prefix, '_end', pair.end, digits),
    ) ??
    oversizedReading('max_demand_kw', '', row.maxDemandKw, undefined) ??
    firstRegisterBreach(row, (prefix, pair) => reversedReading(prefix, pair, digits))
  );
}

/** `YYYY-MM` of the Asia/Shanghai month an instant falls in. */
const shanghaiPeriodOf = (ms: number): string => shanghaiDateOfMs(ms).slice(0, 7);

/**
 * Whether a row's period and read_at fall in the window around `now` (the caller's clock): the period
 * is not after the current Asia/Shanghai month nor more than maxPeriodAgeMonths before it; read_at lies
 * in the period's month or within readAtGraceDays after it, and not after `now`.
 */
export function meterReadWindowBreach(
  row: Pick<MeterReadRow, 'period' | 'readAt'>,
  now: Date,
  window: ReadWindow = DEFAULT_READ_WINDOW,
): RowBreach | undefined {
  const current = shanghaiPeriodOf(now.getTime());
  const age = periodsBetween(row.period, current);
  if (age < 0)
    return { column: 'period', reason: `period ${row.period} is in the future (this month is ${current})` };
  if (age > window.maxPeriodAgeMonths) {
    return {
      column: 'period',
      reason: `period ${row.period} is more than ${window.maxPeriodAgeMonths} months before ${current}`,
    };
  }
  const readMs = Date.parse(row.readAt);
  const monthStart = startOfDayMs(`${row.period}-01`);
  const graceEnd = startOfDayMs(dayAfterPeriod(row.period)) + window.readAtGraceDays * DAY_MS;
  if (readMs < monthStart || readMs >= graceEnd) {
    return {
      column: 'read_at',
      reason: `read_at ${row.readAt} is outside period ${row.period} (its month or the ${window.readAtGraceDays} days after)`,
    };
  }
  if (readMs > now.getTime() + window.readAtFutureToleranceMs) {
    return { column: 'read_at', reason: `read_at ${row.readAt} is in the future` };
  }
  return undefined;
}
