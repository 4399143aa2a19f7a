import { Decimal } from 'decimal.js';

/**
 * One Decimal constructor for every amount and quantity in the product: 40 significant digits and
 * half-up rounding, as the tariff regulation prints bills (billing-rules.md §6). Never a binary float.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

export type DecimalInput = Dec | string | number;

export const dec = (value: DecimalInput): Dec => new Dec(value);

/** Rounds to the fen (0.01 yuan), half-up. */
export const toFen = (value: DecimalInput): Dec => dec(value).toDecimalPlaces(2, Dec.ROUND_HALF_UP);

/** Fixed two-decimal string for a money amount, e.g. "1234.50". */
export const formatYuan = (value: DecimalInput): string => toFen(value).toFixed(2);

export const sum = (values: readonly DecimalInput[]): Dec =>
  values.reduce<Dec>((acc, v) => acc.plus(dec(v)), dec(0));
