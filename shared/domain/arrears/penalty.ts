import { computeLatePaymentPenalty, type LatePaymentPolicy } from '../billing/index.ts';
import { dateOfDayNumber, dayNumber } from '../calendar/index.ts';
import { dec, sum } from '../money.ts';
import type { PenaltyRates } from './policy.ts';

/*
 * Late-payment penalty (电费违约金, billing-rules.md §7) on an unpaid amount that changes over time
 * (partial payments, reversals). Each calendar day (Asia/Shanghai) from the day after the due date up to
 * and including `through` accrues on the amount open at the end of the day before, so a payment counts
 * the day it is made. The arithmetic of each constant-balance stretch is the bill engine's
 * computeLatePaymentPenalty (current-year rate up to 31 December of the due date's year, carried-over
 * rate from 1 January on, each segment rounded half-up to the fen); the minimum (¥1) applies once to the
 * bill's total, whenever at least one day was late.
 */

export interface AccruedPenaltySegment {
  /** First and last day of the segment, inclusive. */
  from: string;
  to: string;
  days: number;
  /** The unpaid amount the rate applies to on each of these days. */
  base: string;
  ratePerMille: string;
  /** True for days after 31 December of the bill's year. */
  carriedOver: boolean;
  /** base × rate × days, rounded half-up to the fen. */
  amount: string;
}

export interface PenaltyResult {
  /** Days on which something was unpaid. */
  days: number;
  segments: AccruedPenaltySegment[];
  /** Sum of the segments, raised to the minimum when a day was late and the sum is below it. */
  amount: string;
  minimumApplied: boolean;
}

/** The unpaid amount from `effectiveFrom` (inclusive) until the next step. */
export interface BalanceStep {
  effectiveFrom: string;
  balance: string;
}

export interface AccruedPenaltyInput {
  dueDate: string;
  /** Last day counted (the payment date, or "today" for a penalty so far). */
  through: string;
  /** A step function of the unpaid amount, sorted by effectiveFrom; before the first step it is zero. */
  steps: readonly BalanceStep[];
  rates: PenaltyRates;
  residential?: boolean;
}

const perDay = (perMille: string): string => dec(perMille).dividedBy(1000).toString();

/** The bill engine's policy document for the arrears policy's rates (‰ a day there, a fraction here). */
export function latePaymentPolicyOf(rates: PenaltyRates, residential = false): LatePaymentPolicy {
  return {
    customerClass: residential ? 'residential' : 'non-residential',
    rates: {
      residentialPerDay: perDay(rates.residentialPerMille),
      currentYearPerDay: perDay(rates.currentYearPerMille),
      crossYearPerDay: perDay(rates.carriedOverPerMille),
    },
    minimumYuan: rates.minimumYuan,
  };
}

export function accruedPenalty(input: AccruedPenaltyInput): PenaltyResult {
  const policy = latePaymentPolicyOf(input.rates, input.residential);
  const billYear = Number(input.dueDate.slice(0, 4));
  const first = dayNumber(input.dueDate) + 1;
  const last = dayNumber(input.through);
  // Stretches of days with one balance: equal neighbouring steps merge, so rounding is per stretch.
  const stretches: { from: number; to: number; balance: string }[] = [];
  input.steps.forEach((step, i) => {
    const next = input.steps[i + 1];
    const from = Math.max(first, dayNumber(step.effectiveFrom));
    const to = Math.min(last, next === undefined ? last : dayNumber(next.effectiveFrom) - 1);
    if (from > to || dec(step.balance).lte(0)) return;
    const open = stretches.at(-1);
    if (open !== undefined && open.to === from - 1 && dec(open.balance).eq(step.balance)) open.to = to;
    else stretches.push({ from, to, balance: step.balance });
  });
  const segments: AccruedPenaltySegment[] = [];
  let days = 0;
  for (const s of stretches) {
    const result = computeLatePaymentPenalty({
      unpaid: s.balance,
      dueDate: dateOfDayNumber(s.from - 1),
      paidOn: dateOfDayNumber(s.to),
      policy,
      billYear,
    });
    days += result.days;
    for (const seg of result.segments) {
      segments.push({
        from: seg.from,
        to: seg.to,
        days: seg.days,
        base: dec(s.balance).toFixed(2),
        ratePerMille: dec(seg.ratePerDay).times(1000).toString(),
        carriedOver: seg.kind === 'cross-year',
        amount: seg.amount,
      });
    }
  }
  const total = sum(segments.map((s) => s.amount));
  const minimum = dec(input.rates.minimumYuan);
  const minimumApplied = days > 0 && total.lt(minimum);
  return { days, segments, amount: (minimumApplied ? minimum : total).toFixed(2), minimumApplied };
}

/** The penalty on one unpaid amount paid on `paidOn`. */
export function latePaymentPenalty(input: {
  unpaid: string;
  dueDate: string;
  paidOn: string;
  rates: PenaltyRates;
  residential?: boolean;
}): PenaltyResult {
  return accruedPenalty({
    dueDate: input.dueDate,
    through: input.paidOn,
    steps: [{ effectiveFrom: input.dueDate, balance: input.unpaid }],
    rates: input.rates,
    ...(input.residential === undefined ? {} : { residential: input.residential }),
  });
}
