import type { z } from 'zod';
import {
  METER_READ_COLUMNS,
  type MeterReadRow,
  MeterReadRowSchema,
  REQUIRED_METER_READ_COLUMNS,
} from '../domain/meter-read.ts';
import {
  PAYMENT_COLUMNS,
  type PaymentRow,
  PaymentRowSchema,
  REQUIRED_PAYMENT_COLUMNS,
} from '../domain/payment.ts';

/** What a drop of one upstream feed looks like: its columns and the schema one row must pass. */
export interface FeedDefinition<T> {
  readonly name: string;
  /** Every column the feed knows, lower-case; other header names are ignored. */
  readonly columns: readonly string[];
  /** Columns the header must contain; a missing one refuses the file. */
  readonly requiredColumns: readonly string[];
  /** Input: the row's cells keyed by column name (only columns present in the header). */
  readonly schema: z.ZodType<T>;
}

export const METER_READ_FEED: FeedDefinition<MeterReadRow> = {
  name: 'meter-read',
  columns: METER_READ_COLUMNS,
  requiredColumns: REQUIRED_METER_READ_COLUMNS,
  schema: MeterReadRowSchema,
};

export const PAYMENT_FEED: FeedDefinition<PaymentRow> = {
  name: 'payment',
  columns: PAYMENT_COLUMNS,
  requiredColumns: REQUIRED_PAYMENT_COLUMNS,
  schema: PaymentRowSchema,
};
