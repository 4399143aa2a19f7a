import { z } from 'zod';
import { AccountId, DecimalString } from './primitives.ts';

/** The columns of the payments feed (upstream-feeds.md §2), by their canonical lower-case names. */
export const PAYMENT_COLUMNS = [
  'payment_id',
  'account_id',
  'amount',
  'paid_at',
  'bill_id',
  'reverses',
] as const;
export type PaymentColumn = (typeof PAYMENT_COLUMNS)[number];

export const OPTIONAL_PAYMENT_COLUMNS: readonly PaymentColumn[] = ['bill_id', 'reverses'];
export const REQUIRED_PAYMENT_COLUMNS: readonly PaymentColumn[] = PAYMENT_COLUMNS.filter(
  (c) => !OPTIONAL_PAYMENT_COLUMNS.includes(c),
);

/**
 * An identifier from the collection system (payment or bill). The feed does not fix a format, so this
 * is deliberately loose: printable ASCII without spaces, starting with a letter or digit (which also
 * keeps spreadsheet formulas out of anything that later exports it).
 */
export const ExternalId = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][!-~]{0,63}$/,
    'expected 1–64 printable characters without spaces, starting with a letter or digit',
  );

const OptionalExternalId = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(ExternalId.optional());

/** Yuan with at most 2 decimals; the sign is checked against `reverses` below. */
const Amount = DecimalString.refine((v) => !/\.\d{3,}$/.test(v), { message: 'at most 2 decimals (fen)' });

/**
 * One validated row of the payments feed. Input: the row's cells keyed by canonical column name;
 * output: typed camelCase fields. A payment is positive; a reversal (`reverses` set) is negative.
 */
export const PaymentRowSchema = z
  .object({
    payment_id: ExternalId,
    account_id: AccountId,
    amount: Amount,
    paid_at: z.iso.datetime({ offset: true }),
    bill_id: OptionalExternalId.optional(),
    reverses: OptionalExternalId.optional(),
  })
  .superRefine((r, ctx) => {
    const negative = r.amount.startsWith('-');
    const zero = !/[1-9]/.test(r.amount);
    if (r.reverses === undefined && (negative || zero)) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'must be greater than zero (a reversal is negative and sets reverses)',
      });
    } else if (r.reverses !== undefined && (!negative || zero)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a reversal must have a negative amount' });
    }
    if (r.reverses !== undefined && r.reverses === r.payment_id) {
      ctx.addIssue({ code: 'custom', path: ['reverses'], message: 'a payment cannot reverse itself' });
    }
  })
  .transform((r) => ({
    paymentId: r.payment_id,
    accountId: r.account_id,
    amount: r.amount,
    paidAt: r.paid_at,
    ...(r.bill_id !== undefined ? { billId: r.bill_id } : {}),
    ...(r.reverses !== undefined ? { reverses: r.reverses } : {}),
  }));
export type PaymentRow = z.output<typeof PaymentRowSchema>;
export type PaymentCells = z.input<typeof PaymentRowSchema>;
