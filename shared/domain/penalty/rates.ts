import { z } from 'zod';
import { dec } from '../money.ts';
import { DecimalString, NonNegativeDecimalString } from '../primitives.ts';

/*
 * The late-payment penalty rates (电费违约金, 供电营业规则 1996 Art. 98; billing-rules.md §7), in ‰ a day
 * as the supply contract and the arrears policy document state them. The one shape of the rates: the bill
 * engine's penalty and the arrears ledger both read it.
 */

/** Daily penalty rate in ‰; the supply contract may set it within 1–3 ‰ (条例 Art. 39). */
const PerMille = DecimalString.refine((v) => dec(v).gte(1) && dec(v).lte(3), {
  message: 'a penalty rate is 1 to 3 ‰ per day',
});

export const PenaltyRatesSchema = z.object({
  /** Days up to 31 December of the bill's year. */
  currentYearPerMille: PerMille.default('2'),
  /** Days from 1 January after the bill's year on. */
  carriedOverPerMille: PerMille.default('3'),
  /** Residential users pay this on every day, with no year split. */
  residentialPerMille: PerMille.default('1'),
  /** A total below this is charged as this (yuan). */
  minimumYuan: NonNegativeDecimalString.default('1'),
});
export type PenaltyRates = z.infer<typeof PenaltyRatesSchema>;

/** The 1996 rules: residential 1 ‰; others 2 ‰ in the bill's year, 3 ‰ from 1 January after; minimum ¥1. */
export const DEFAULT_PENALTY_RATES: PenaltyRates = PenaltyRatesSchema.parse({});
