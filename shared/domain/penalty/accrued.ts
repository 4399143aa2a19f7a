import { dayNumber } from '../calendar/index.ts';
import { dec } from '../money.ts';
import {
  type LatePaymentPenalty,
  type PenaltySegment,
  penaltySegments,
  penaltyTotal,
} from './late-payment.ts';
import type { PenaltyRates } from './rates.ts';

/*
 * Late-payment penalty (电费违约金, billing-rules.md §7) on an unpaid amount that changes over time
 * (partial payments, reversals). Each calendar day (Asia/Shanghai) from the day after the due date up to
 * and including `through` accrues on the amount open at the end of the day before, so a payment counts
 * the day it is made. Each constant-balance stretch is priced as a penalty of its own (current-year rate
 * up to 31 December of the due date's year, carried-over rate from 1 January on, each segment rounded
 * half-up to the fen); the minimum (¥1) applies once to the bill's total, whenever at least one day was late.
 */

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

interface Stretch {
  from: number;
  to: number;
  balance: string;
}

/** Stretches of days with one balance: equal neighbouring steps merge, so rounding is per stretch. */
function stretchesOf(steps: readonly BalanceStep[], first: number, last: number): Stretch[] {
  const stretches: Stretch[] = [];
  steps.forEach((step, i) => {
    const next = steps[i + 1];
    const from = Math.max(first, dayNumber(step.effectiveFrom));
    const to = Math.min(last, next === undefined ? last : dayNumber(next.effectiveFrom) - 1);
    if (from > to || dec(step.balance).lte(0)) return;
    const open = stretches.at(-1);
    if (open !== undefined && open.to === from - 1 && dec(open.balance).eq(step.balance)) open.to = to;
    else stretches.push({ from, to, balance: step.balance });
  });
  return stretches;
}

export function accruedPenalty(input: AccruedPenaltyInput): LatePaymentPenalty {
  const options = { residential: input.residential ?? false, billYear: Number(input.dueDate.slice(0, 4)) };
  const first = dayNumber(input.dueDate) + 1;
  const last = dayNumber(input.through);
  const segments: PenaltySegment[] = [];
  let days = 0;
  for (const s of stretchesOf(input.steps, first, last)) {
    days += s.to - s.from + 1;
    segments.push(...penaltySegments(dec(s.balance), s.from, s.to, input.rates, options));
  }
  return penaltyTotal(days, segments, input.rates, true);
}
