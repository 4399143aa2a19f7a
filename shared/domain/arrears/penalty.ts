import { type Dec, dec, sum, toFen } from '../money.ts';
import type { PenaltyRates } from './policy.ts';
import { dateOfDayNumber, dayNumber } from './time.ts';

/*
 * Late-payment penalty (电费违约金, billing-rules.md §7), accrued per calendar day (Asia/Shanghai) from the
 * day after the due date up to and including the payment date, on the amount unpaid that day: the amount
 * still open at the end of the previous day, so a payment counts the day it is made. Non-residential
 * accounts pay the current-year rate for days up to 31 December of the due date's year and the
 * carried-over rate from 1 January on. Each segment is rounded half-up to the fen and the total is the
 * sum of the rounded segments (so a printed breakdown adds up); a positive total below the minimum is
 * charged as the minimum.
 *
 * This is the arrears domain's own implementation: the bill engine (shared/domain/billing) did not export
 * computeLatePaymentPenalty when this was written. `latePaymentPenalty` takes the same arguments.
 */

export interface PenaltySegment {
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
  days: number;
  segments: PenaltySegment[];
  /** Sum of the segments, raised to the minimum when it is positive but below it. */
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

export function accruedPenalty(input: AccruedPenaltyInput): PenaltyResult {
  const { dueDate, through, rates } = input;
  const lastCurrentYearDay = dayNumber(`${dueDate.slice(0, 4)}-12-31`);
  const first = dayNumber(dueDate) + 1;
  const last = dayNumber(through);
  // Consecutive days with the same base and rate make one segment.
  const runs: { first: number; last: number; base: Dec; rate: string; carriedOver: boolean }[] = [];
  let days = 0;
  let stepIndex = -1;
  let base: Dec = dec(0);
  const steps = input.steps;
  for (let day = first; day <= last; day++) {
    while (stepIndex + 1 < steps.length && dayNumber(steps[stepIndex + 1]!.effectiveFrom) <= day) {
      stepIndex++;
      base = dec(steps[stepIndex]!.balance);
    }
    if (base.lte(0)) continue;
    days++;
    const carriedOver = !input.residential && day > lastCurrentYearDay;
    const rate = input.residential
      ? rates.residentialPerMille
      : carriedOver
        ? rates.carriedOverPerMille
        : rates.currentYearPerMille;
    const open = runs.at(-1);
    if (open !== undefined && open.last === day - 1 && open.base.eq(base) && open.rate === rate) {
      open.last = day;
    } else {
      runs.push({ first: day, last: day, base, rate, carriedOver });
    }
  }
  const segments: PenaltySegment[] = runs.map((r) => ({
    from: dateOfDayNumber(r.first),
    to: dateOfDayNumber(r.last),
    days: r.last - r.first + 1,
    base: r.base.toFixed(2),
    ratePerMille: r.rate,
    carriedOver: r.carriedOver,
    amount: '',
  }));
  for (const s of segments) {
    s.amount = toFen(dec(s.base).times(s.ratePerMille).times(s.days).dividedBy(1000)).toFixed(2);
  }
  const total = sum(segments.map((s) => s.amount));
  const minimum = dec(rates.minimumYuan);
  const minimumApplied = total.gt(0) && total.lt(minimum);
  return { days, segments, amount: (minimumApplied ? minimum : total).toFixed(2), minimumApplied };
}

/** The penalty on one unpaid amount paid on `paidOn` (the bill engine's computeLatePaymentPenalty shape). */
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
