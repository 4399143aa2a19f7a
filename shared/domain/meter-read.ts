import { z } from 'zod';
import { meterReadMagnitudeBreach } from './meter-read-bounds.ts';
import {
  AccountId,
  MeterId,
  MeteringPointId,
  NonNegativeDecimalString,
  Period,
  PositiveDecimalString,
  type TouBand,
} from './primitives.ts';

/** The columns of the meter-read drop (upstream-feeds.md §1), by their canonical lower-case names. */
export const METER_READ_COLUMNS = [
  'account_id',
  'meter_id',
  'period',
  'read_at',
  'read_type',
  'multiplier',
  'kwh_total_start',
  'kwh_total_end',
  'kwh_sharp_start',
  'kwh_sharp_end',
  'kwh_peak_start',
  'kwh_peak_end',
  'kwh_flat_start',
  'kwh_flat_end',
  'kwh_valley_start',
  'kwh_valley_end',
  'kvarh_start',
  'kvarh_end',
  'kvarh_export_start',
  'kvarh_export_end',
  'max_demand_kw',
  'register_digits',
] as const;
export type MeterReadColumn = (typeof METER_READ_COLUMNS)[number];

/**
 * The optional metering point column (issue #12): kept apart from METER_READ_COLUMNS, the columns every
 * file and generator has always had, so that files written without it keep their shape byte for byte.
 */
export const METERING_POINT_COLUMN = 'metering_point_id';
/** Every column the meter-read feed knows, in the order the drop reader hands cells to the fast path. */
export const METER_READ_FEED_COLUMNS = [...METER_READ_COLUMNS, METERING_POINT_COLUMN] as const;
export type MeterReadFeedColumn = (typeof METER_READ_FEED_COLUMNS)[number];

export const OPTIONAL_METER_READ_COLUMNS: readonly MeterReadColumn[] = [
  'kwh_sharp_start',
  'kwh_sharp_end',
  'kvarh_export_start',
  'kvarh_export_end',
  'register_digits',
];
export const REQUIRED_METER_READ_COLUMNS: readonly MeterReadColumn[] = METER_READ_COLUMNS.filter(
  (c) => !OPTIONAL_METER_READ_COLUMNS.includes(c),
);

const Register = NonNegativeDecimalString.refine((v) => !/\.\d{5,}$/.test(v), {
  message: 'at most 4 decimals',
});
const OptionalRegister = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(Register.optional());

export const ReadType = z.enum(['actual', 'estimated', 'meter_out', 'meter_in']);
export type ReadType = z.infer<typeof ReadType>;

export interface RegisterPair {
  start: string;
  end: string;
}

/**
 * The shape of a meter-read row. Input: the row's cells keyed by canonical column name (strings, as the
 * CSV parser delivers them); output: typed fields with registers paired.
 */
export const MeterReadRowShapeSchema = z
  .object({
    account_id: AccountId,
    meter_id: MeterId,
    period: Period,
    read_at: z.iso.datetime({ offset: true }),
    read_type: ReadType,
    multiplier: PositiveDecimalString,
    kwh_total_start: Register,
    kwh_total_end: Register,
    kwh_sharp_start: OptionalRegister.optional(),
    kwh_sharp_end: OptionalRegister.optional(),
    kwh_peak_start: Register,
    kwh_peak_end: Register,
    kwh_flat_start: Register,
    kwh_flat_end: Register,
    kwh_valley_start: Register,
    kwh_valley_end: Register,
    kvarh_start: Register,
    kvarh_end: Register,
    kvarh_export_start: OptionalRegister.optional(),
    kvarh_export_end: OptionalRegister.optional(),
    max_demand_kw: Register,
    // Blank is no metering point; an id is not trimmed (blanks around it are a producer's mistake to see).
    metering_point_id: z
      .string()
      .transform((v) => (v.trim() === '' ? undefined : v))
      .pipe(MeteringPointId.optional())
      .optional(),
    register_digits: z
      .string()
      .trim()
      .transform((v) => (v === '' ? undefined : v))
      .pipe(
        z
          .string()
          .regex(/^\d{1,2}$/, 'expected the number of integer digits, 1–15')
          .transform(Number)
          .pipe(z.number().int().min(1).max(15))
          .optional(),
      )
      .optional(),
  })
  .superRefine((r, ctx) => {
    for (const [start, end] of [
      ['kwh_sharp_start', 'kwh_sharp_end'],
      ['kvarh_export_start', 'kvarh_export_end'],
    ] as const) {
      if ((r[start] === undefined) !== (r[end] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [r[start] === undefined ? start : end],
          message: `${start} and ${end} go together`,
        });
      }
    }
  })
  .transform((r) => {
    const pair = (start: string, end: string): RegisterPair => ({ start, end });
    const bands: Partial<Record<TouBand, RegisterPair>> = {
      peak: pair(r.kwh_peak_start, r.kwh_peak_end),
      flat: pair(r.kwh_flat_start, r.kwh_flat_end),
      valley: pair(r.kwh_valley_start, r.kwh_valley_end),
    };
    if (r.kwh_sharp_start !== undefined && r.kwh_sharp_end !== undefined) {
      bands.sharp = pair(r.kwh_sharp_start, r.kwh_sharp_end);
    }
    return {
      accountId: r.account_id,
      meterId: r.meter_id,
      period: r.period,
      readAt: r.read_at,
      readType: r.read_type,
      multiplier: r.multiplier,
      kwhTotal: pair(r.kwh_total_start, r.kwh_total_end),
      kwhBands: bands,
      kvarh: pair(r.kvarh_start, r.kvarh_end),
      kvarhExport:
        r.kvarh_export_start !== undefined && r.kvarh_export_end !== undefined
          ? pair(r.kvarh_export_start, r.kvarh_export_end)
          : undefined,
      maxDemandKw: r.max_demand_kw,
      registerDigits: r.register_digits,
      // Only when given: a row without it is stored and printed exactly as before the column existed.
      ...(r.metering_point_id === undefined ? {} : { meteringPointId: r.metering_point_id }),
    };
  });

/**
 * One validated row of a meter-read drop: the shape, then the magnitudes (register sizes, the
 * multiplier's range, reversed readings) on the typed row, so that the fast path (meter-read-check.ts)
 * applies the very same function. The shape alone (MeterReadRowShapeSchema) is for tests of the billing
 * engine, which stays defensive about rows these bounds would have rejected.
 */
export const MeterReadRowSchema = MeterReadRowShapeSchema.superRefine((row, ctx) => {
  const breach = meterReadMagnitudeBreach(row);
  if (breach !== undefined) ctx.addIssue({ code: 'custom', path: [breach.column], message: breach.reason });
});
export type MeterReadRow = z.output<typeof MeterReadRowSchema>;
export type MeterReadCells = z.input<typeof MeterReadRowSchema>;

/**
 * A validated row back in the upstream column order, e.g. for a reject report written after parsing; the
 * metering point follows as one more cell when the row has one.
 */
export function meterReadRowToCsvLine(row: MeterReadRow): string {
  const cells: Record<MeterReadColumn, string> = {
    account_id: row.accountId,
    meter_id: row.meterId,
    period: row.period,
    read_at: row.readAt,
    read_type: row.readType,
    multiplier: row.multiplier,
    kwh_total_start: row.kwhTotal.start,
    kwh_total_end: row.kwhTotal.end,
    kwh_sharp_start: row.kwhBands.sharp?.start ?? '',
    kwh_sharp_end: row.kwhBands.sharp?.end ?? '',
    kwh_peak_start: row.kwhBands.peak?.start ?? '',
    kwh_peak_end: row.kwhBands.peak?.end ?? '',
    kwh_flat_start: row.kwhBands.flat?.start ?? '',
    kwh_flat_end: row.kwhBands.flat?.end ?? '',
    kwh_valley_start: row.kwhBands.valley?.start ?? '',
    kwh_valley_end: row.kwhBands.valley?.end ?? '',
    kvarh_start: row.kvarh.start,
    kvarh_end: row.kvarh.end,
    kvarh_export_start: row.kvarhExport?.start ?? '',
    kvarh_export_end: row.kvarhExport?.end ?? '',
    max_demand_kw: row.maxDemandKw,
    register_digits: row.registerDigits === undefined ? '' : String(row.registerDigits),
  };
  const line = METER_READ_COLUMNS.map((c) => cells[c]).join(',');
  return row.meteringPointId === undefined ? line : `${line},${row.meteringPointId}`;
}
