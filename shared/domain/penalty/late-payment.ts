import { BillingInputError, fieldPath } from '../billing/errors.ts';
import { dateOfDayNumber, dayNumber, isIsoDate } from '../calendar/index.ts';
import { type Dec, dec, toFen } from '../money.ts';
import { DecimalString } from '../primitives.ts';
import { type PenaltyRates, PenaltyRatesSchema } from './rates.ts';

/*
 * Late-payment penalty (电费违约金, 供电营业规则 1996 Art. 98; billing-rules.md §7) on an unpaid amount.
 * Pure: dates are calendar days in Asia/Shanghai given as YYYY-MM-DD, the rates come from the contract
 * (the arrears policy). Non-residential users pay the current-year rate up to 31 December of the bill's
 * year and the carried-over rate from 1 January on; each segment is rounded half-up to the fen.
 */

export interface LatePaymentInput {
  /** Unpaid amount, yuan. */
  unpaid: string;
  /** The bill's due date; the penalty runs from the day after. */
  dueDate: string;
  /** The payment date (or the date the penalty is computed for), counted in. */
  paidOn: string;
  rates: PenaltyRates;
  /** Residential users pay the residential rate on every day. */
  residential?: boolean;
  /** The year whose 31 December ends the current-year rate; default: the due date's year. */
  billYear?: number;
}

export interface PenaltySegment {
  kind: 'residential' | 'current-year' | 'carried-over';
  /** First and last day counted, inclusive. */
  from: string;
  to: string;
  days: number;
  /** The unpaid amount the rate applies to on each of these days. */
  base: string;
  ratePerMille: string;
  /** base × rate × days, rounded half-up to the fen. */
  amount: string;
}

export interface LatePaymentPenalty {
  /** Days on which something was unpaid, from the day after the due date; 0 when paid in time. */
  days: number;
  segments: PenaltySegment[];
  /** Sum of the segment amounts, before the minimum. */
  computed: string;
  /** What is charged: the computed amount, raised to the minimum when a day was late and it is below. */
  total: string;
  minimumApplied: boolean;
}

/** The segments of `unpaid` owed on the days `firstDay` … `lastDay` (day numbers, inclusive). */
export function penaltySegments(
  unpaid: Dec,
  firstDay: number,
  lastDay: number,
  rates: PenaltyRates,
  options: { residential: boolean; billYear: number },
): PenaltySegment[] {
  const segments: PenaltySegment[] = [];
  const add = (kind: PenaltySegment['kind'], from: number, to: number, perMille: string) => {
    if (to < from) return;
    const n = to - from + 1;
    segments.push({
      kind,
      from: dateOfDayNumber(from),
      to: dateOfDayNumber(to),
      days: n,
      base: unpaid.toFixed(2),
      ratePerMille: dec(perMille).toString(),
      amount: toFen(unpaid.times(dec(perMille).dividedBy(1000)).times(n)).toFixed(2),
    });
  };
  if (options.residential) {
    add('residential', firstDay, lastDay, rates.residentialPerMille);
  } else {
    const yearEnd = dayNumber(`${String(options.billYear).padStart(4, '0')}-12-31`);
    add('current-year', firstDay, Math.min(lastDay, yearEnd), rates.currentYearPerMille);
    add('carried-over', Math.max(firstDay, yearEnd + 1), lastDay, rates.carriedOverPerMille);
  }
  return segments;
}

/** Sums the segments and applies the minimum: any day late on a real debt costs at least the minimum. */
export function penaltyTotal(
  days: number,
  segments: PenaltySegment[],
  rates: PenaltyRates,
  owed: boolean,
): LatePaymentPenalty {
  const computed = segments.reduce((s, seg) => s.plus(seg.amount), dec(0));
  const minimum = toFen(rates.minimumYuan);
  // Even when the exact amount rounds to 0.00.
  const minimumApplied = days > 0 && owed && computed.lt(minimum);
  return {
    days,
    segments,
    computed: computed.toFixed(2),
    total: (minimumApplied ? minimum : computed).toFixed(2),
    minimumApplied,
  };
}

/** Throws BillingInputError naming the field the penalty cannot be computed from. */
function validRates(input: LatePaymentInput): PenaltyRates {
  const ratesResult = PenaltyRatesSchema.safeParse(input.rates);
  if (!ratesResult.success) {
    const issue = ratesResult.error.issues[0]!;
    throw new BillingInputError(fieldPath('rates', issue.path), issue.message);
  }
  if (typeof input.unpaid !== 'string' || !DecimalString.safeParse(input.unpaid).success)
    throw new BillingInputError('unpaid', `${JSON.stringify(input.unpaid)} is not a decimal amount`);
  if (dec(input.unpaid).isNegative()) throw new BillingInputError('unpaid', 'must not be negative');
  for (const field of ['dueDate', 'paidOn'] as const)
    if (typeof input[field] !== 'string' || !isIsoDate(input[field]))
      throw new BillingInputError(field, `${JSON.stringify(input[field])} is not a date YYYY-MM-DD`);
  return ratesResult.data;
}

/** The penalty on one unpaid amount, paid on `paidOn`. Throws BillingInputError for input it cannot use. */
export function computeLatePaymentPenalty(input: LatePaymentInput): LatePaymentPenalty {
  const rates = validRates(input);
  const unpaid = dec(input.unpaid);
  const billYear = input.billYear ?? Number(input.dueDate.slice(0, 4));
  if (!Number.isInteger(billYear)) throw new BillingInputError('billYear', 'must be a year');
  const firstDay = dayNumber(input.dueDate) + 1;
  const lastDay = dayNumber(input.paidOn);
  const days = Math.max(0, lastDay - firstDay + 1);
  const segments =
    days > 0
      ? penaltySegments(unpaid, firstDay, lastDay, rates, {
          residential: input.residential ?? false,
          billYear,
        })
      : [];
  return penaltyTotal(days, segments, rates, unpaid.gt(0));
}
