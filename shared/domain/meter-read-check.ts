import { regexes } from 'zod';
import {
  METER_READ_FEED_COLUMNS,
  type MeterReadFeedColumn,
  type MeterReadRow,
  type ReadType,
  type RegisterPair,
} from './meter-read.ts';
import { meterReadMagnitudeBreach } from './meter-read-bounds.ts';
import type { TouBand } from './primitives.ts';

/*
 * The row check on the ingest path. Every row of a drop must be accepted or rejected exactly as
 * MeterReadRowSchema decides, but the zod parse of a row costs more than splitting it out of the file.
 * This recognises, with plain checks on the cells, the rows the schema certainly accepts, and builds the
 * MeterReadRow the schema would return for them. Anything else (undefined here) goes through
 * MeterReadRowSchema itself, which stays the one source of reject reasons.
 * test/unit/ingest/meter-read-check.property.test.ts compares the two on generated and mutated rows.
 *
 * The cells come as an array in METER_READ_FEED_COLUMNS order: the drop reader fills that more cheaply than
 * the schema's object keyed by column, which it then builds only for the rows zod has to see.
 */

/** The patterns of primitives.ts (AccountId, MeterId, Period), tested on the same untrimmed cell. */
const ACCOUNT_ID = /^[A-Za-z0-9]{1,20}$/;
const METER_ID = /^[A-Za-z0-9_-]{1,32}$/;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
/** z.iso.datetime({ offset: true }) builds its pattern from these settings. */
const READ_AT = regexes.datetime({ offset: true, local: false, precision: null });
/** PositiveDecimalString after trimming: an unsigned decimal with a non-zero digit. */
const UNSIGNED_DECIMAL = /^\d+(?:\.\d+)?$/;
const NONZERO_DIGIT = /[1-9]/;
const REGISTER_DIGITS = /^\d{1,2}$/;
/** MeteringPointId's pattern, on the untrimmed cell as the schema tests it. */
const METERING_POINT_ID = /^[A-Za-z0-9_-]{1,32}$/;
const isReadType = (v: unknown): v is ReadType =>
  v === 'actual' || v === 'estimated' || v === 'meter_out' || v === 'meter_in';

/**
 * A register after trimming: DecimalString, not negative, at most 4 decimals (the three checks of the
 * Register schema in one), i.e. /^\d+(\.\d{1,4})?$/, written out: it runs on eleven to fifteen cells of
 * every row of a drop.
 */
function isRegister(value: string): boolean {
  const length = value.length;
  let i = 0;
  while (i < length && isDigit(value.charCodeAt(i))) i++;
  if (i === 0) return false;
  if (i === length) return true;
  const decimals = length - i - 1;
  if (value.charCodeAt(i) !== 46 || decimals < 1 || decimals > 4) return false;
  for (i++; i < length; i++) if (!isDigit(value.charCodeAt(i))) return false;
  return true;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** A required register cell, trimmed, or undefined when it is not certainly valid. */
function register(cell: unknown): string | undefined {
  if (typeof cell !== 'string') return undefined;
  const value = cell.trim();
  return isRegister(value) ? value : undefined;
}

/** An optional cell, trimmed: `null` when absent or blank (the schema's undefined), undefined when not text. */
function optionalCell(cell: unknown): string | null | undefined {
  if (cell === undefined) return null;
  if (typeof cell !== 'string') return undefined;
  const value = cell.trim();
  return value === '' ? null : value;
}

/**
 * An optional register cell: `null` when absent or blank, the trimmed reading when valid, undefined when
 * not certainly valid.
 */
function optionalRegister(cell: unknown): string | null | undefined {
  const value = optionalCell(cell);
  if (value == null) return value;
  return isRegister(value) ? value : undefined;
}

/** register_digits as the schema reads it: `null` when absent or blank, 1–15, or undefined when not sure. */
function registerDigits(cell: unknown): number | null | undefined {
  const value = optionalCell(cell);
  if (value == null) return value;
  if (!REGISTER_DIGITS.test(value)) return undefined;
  const digits = Number(value);
  return digits >= 1 && digits <= 15 ? digits : undefined;
}

/** metering_point_id as the schema reads it: `null` when absent or blank, the id, or undefined when not valid. */
function meteringPointId(cell: unknown): string | null | undefined {
  if (cell === undefined) return null;
  if (typeof cell !== 'string') return undefined;
  if (cell.trim() === '') return null;
  return METERING_POINT_ID.test(cell) ? cell : undefined;
}

/** Where a column's cell sits in the array certainMeterRead reads. */
const at = (column: MeterReadFeedColumn): number => METER_READ_FEED_COLUMNS.indexOf(column);

const ACCOUNT_ID_AT = at('account_id');
const METER_ID_AT = at('meter_id');
const PERIOD_AT = at('period');
const READ_AT_AT = at('read_at');
const READ_TYPE_AT = at('read_type');
const MULTIPLIER_AT = at('multiplier');
const TOTAL_START_AT = at('kwh_total_start');
const TOTAL_END_AT = at('kwh_total_end');
const SHARP_START_AT = at('kwh_sharp_start');
const SHARP_END_AT = at('kwh_sharp_end');
const PEAK_START_AT = at('kwh_peak_start');
const PEAK_END_AT = at('kwh_peak_end');
const FLAT_START_AT = at('kwh_flat_start');
const FLAT_END_AT = at('kwh_flat_end');
const VALLEY_START_AT = at('kwh_valley_start');
const VALLEY_END_AT = at('kwh_valley_end');
const KVARH_START_AT = at('kvarh_start');
const KVARH_END_AT = at('kvarh_end');
const EXPORT_START_AT = at('kvarh_export_start');
const EXPORT_END_AT = at('kvarh_export_end');
const MAX_DEMAND_AT = at('max_demand_kw');
const REGISTER_DIGITS_AT = at('register_digits');
const METERING_POINT_AT = at('metering_point_id');

const pair = (start: string, end: string): RegisterPair => ({ start, end });

/**
 * The row as MeterReadRowSchema parses the same cells, when it certainly parses; undefined when zod must
 * decide. `cells`: the row's cells in METER_READ_FEED_COLUMNS order, undefined for a column the file lacks.
 */
export function certainMeterRead(cells: readonly unknown[]): MeterReadRow | undefined {
  const accountId = cells[ACCOUNT_ID_AT];
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) return undefined;
  const meterId = cells[METER_ID_AT];
  if (typeof meterId !== 'string' || !METER_ID.test(meterId)) return undefined;
  const period = cells[PERIOD_AT];
  if (typeof period !== 'string' || !PERIOD.test(period)) return undefined;
  const readAt = cells[READ_AT_AT];
  if (typeof readAt !== 'string' || !READ_AT.test(readAt)) return undefined;
  const readType = cells[READ_TYPE_AT];
  if (!isReadType(readType)) return undefined;
  const multiplierCell = cells[MULTIPLIER_AT];
  if (typeof multiplierCell !== 'string') return undefined;
  const multiplier = multiplierCell.trim();
  if (!UNSIGNED_DECIMAL.test(multiplier) || !NONZERO_DIGIT.test(multiplier)) return undefined;

  const totalStart = register(cells[TOTAL_START_AT]);
  const totalEnd = register(cells[TOTAL_END_AT]);
  const peakStart = register(cells[PEAK_START_AT]);
  const peakEnd = register(cells[PEAK_END_AT]);
  const flatStart = register(cells[FLAT_START_AT]);
  const flatEnd = register(cells[FLAT_END_AT]);
  const valleyStart = register(cells[VALLEY_START_AT]);
  const valleyEnd = register(cells[VALLEY_END_AT]);
  const kvarhStart = register(cells[KVARH_START_AT]);
  const kvarhEnd = register(cells[KVARH_END_AT]);
  const maxDemandKw = register(cells[MAX_DEMAND_AT]);
  if (
    totalStart === undefined ||
    totalEnd === undefined ||
    peakStart === undefined ||
    peakEnd === undefined ||
    flatStart === undefined ||
    flatEnd === undefined ||
    valleyStart === undefined ||
    valleyEnd === undefined ||
    kvarhStart === undefined ||
    kvarhEnd === undefined ||
    maxDemandKw === undefined
  )
    return undefined;
  const sharpStart = optionalRegister(cells[SHARP_START_AT]);
  const sharpEnd = optionalRegister(cells[SHARP_END_AT]);
  const exportStart = optionalRegister(cells[EXPORT_START_AT]);
  const exportEnd = optionalRegister(cells[EXPORT_END_AT]);
  const digits = registerDigits(cells[REGISTER_DIGITS_AT]);
  if (
    sharpStart === undefined ||
    sharpEnd === undefined ||
    exportStart === undefined ||
    exportEnd === undefined ||
    digits === undefined
  )
    return undefined;
  const meteringPoint = meteringPointId(cells[METERING_POINT_AT]);
  if (meteringPoint === undefined) return undefined;
  // The schema's superRefine: the sharp pair and the export pair are each given whole or not at all.
  if ((sharpStart === null) !== (sharpEnd === null) || (exportStart === null) !== (exportEnd === null))
    return undefined;

  // Built as the schema's transform builds it, key for key and in the same order.
  const kwhBands: Partial<Record<TouBand, RegisterPair>> = {
    peak: pair(peakStart, peakEnd),
    flat: pair(flatStart, flatEnd),
    valley: pair(valleyStart, valleyEnd),
  };
  if (sharpStart !== null && sharpEnd !== null) kwhBands.sharp = pair(sharpStart, sharpEnd);
  const row: MeterReadRow = {
    accountId,
    meterId,
    period,
    readAt,
    readType,
    multiplier,
    kwhTotal: pair(totalStart, totalEnd),
    kwhBands,
    kvarh: pair(kvarhStart, kvarhEnd),
    kvarhExport: exportStart !== null && exportEnd !== null ? pair(exportStart, exportEnd) : undefined,
    maxDemandKw,
    registerDigits: digits === null ? undefined : digits,
  };
  if (meteringPoint !== null) row.meteringPointId = meteringPoint;
  // The schema's last refinement, the same function: a breach is zod's to word.
  return meterReadMagnitudeBreach(row) === undefined ? row : undefined;
}
