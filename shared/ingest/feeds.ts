import type { z } from 'zod';
import {
  METER_READ_FEED_COLUMNS,
  type MeterReadRow,
  MeterReadRowSchema,
  REQUIRED_METER_READ_COLUMNS,
} from '#domain/meter-read.ts';
import {
  MAX_METER_READ_CELL_CHARS,
  meterReadWindowBreach,
  type ReadWindow,
  type RowBreach,
} from '#domain/meter-read-bounds.ts';
import { certainMeterRead } from '#domain/meter-read-check.ts';
import { meteringPointConsistency } from '#domain/metering-point-check.ts';
import {
  PAYMENT_COLUMNS,
  type PaymentRow,
  PaymentRowSchema,
  REQUIRED_PAYMENT_COLUMNS,
} from '#domain/payment.ts';

/** What a drop of one upstream feed looks like: its columns and the schema one row must pass. */
export interface FeedDefinition<T> {
  readonly name: string;
  /** Every column the feed knows, lower-case; other header names are ignored. */
  readonly columns: readonly string[];
  /** Columns the header must contain; a missing one refuses the file. */
  readonly requiredColumns: readonly string[];
  /** Input: the row's cells keyed by column name (only columns present in the header). */
  readonly schema: z.ZodType<T>;
  /**
   * Optional fast path: the row exactly as `schema` would return it when the cells certainly pass, or
   * undefined to let `schema` decide (and word the reject); it must never accept what `schema` rejects.
   * Input: the row's cells in the order of `columns`, undefined for a column the header lacks (an array
   * rather than the schema's object, which costs more to build than this check).
   */
  readonly certainRow?: (cells: readonly (string | undefined)[]) => T | undefined;
  /** Longest cell of `columns` read at all (longer is a reject before any parsing). @default DEFAULT_MAX_CELL_CHARS */
  readonly maxCellChars?: number;
  /** A file with a header and no data row is refused whole (nothing to do would hide a broken file). */
  readonly requireRows?: boolean;
  /**
   * A check of a valid row against policy that depends on the caller's clock (readDrop's `now`); the
   * column at fault and the reason, or undefined when the row is within policy.
   */
  readonly rowPolicy?: (row: T, now: Date) => RowBreach | undefined;
  /**
   * A check of each valid row against the drop's earlier valid rows, for what two rows can contradict (a
   * metering point named by two accounts): made fresh for each drop from its header's column names, or
   * undefined when that drop needs none.
   */
  readonly acrossRows?: (
    columns: readonly string[],
  ) => ((row: T, rowNumber: number) => RowBreach | undefined) | undefined;
}

/** The meter-read feed whose rows must fall in this window of periods and read times. */
export const meterReadFeed = (window: ReadWindow): FeedDefinition<MeterReadRow> => ({
  ...METER_READ_FEED,
  rowPolicy: (row, now) => meterReadWindowBreach(row, now, window),
});

export const METER_READ_FEED: FeedDefinition<MeterReadRow> = {
  name: 'meter-read',
  columns: METER_READ_FEED_COLUMNS,
  requiredColumns: REQUIRED_METER_READ_COLUMNS,
  schema: MeterReadRowSchema,
  certainRow: certainMeterRead,
  acrossRows: meteringPointConsistency,
  maxCellChars: MAX_METER_READ_CELL_CHARS,
  requireRows: true,
  rowPolicy: (row, now) => meterReadWindowBreach(row, now),
};

export const PAYMENT_FEED: FeedDefinition<PaymentRow> = {
  name: 'payment',
  columns: PAYMENT_COLUMNS,
  requiredColumns: REQUIRED_PAYMENT_COLUMNS,
  schema: PaymentRowSchema,
};
