import { z } from 'zod';
import { dec, toFen } from '../money.ts';
import { DecimalString } from '../primitives.ts';
import { dateOfDayNumber, dayNumber, isIsoDate } from './calendar.ts';
import { BillingInputError, fieldPath } from './errors.ts';

/*
 * Late-payment penalty (电费违约金, 供电营业规则 1996 Art. 98; billing-rules.md §7). Pure: dates are
 * calendar days in Asia/Shanghai given as YYYY-MM-DD, rates come from a policy document.
 */

/** A daily rate the supply contract may set: 1–3 ‰ (电力供应与使用条例 Art. 39). */
const DailyRate = DecimalString.refine((v) => dec(v).gte('0.001') && dec(v).lte('0.003'), {
  message: 'a daily rate must be between 0.001 (1‰) and 0.003 (3‰)',
});

export const LatePaymentPolicySchema = z.object({
  /** Residential users pay the residential rate on every day; others the current-year / cross-year rates. */
  customerClass: z.enum(['residential', 'non-residential']),
  rates: z.object({
    residentialPerDay: DailyRate,
    currentYearPerDay: DailyRate,
    crossYearPerDay: DailyRate,
  }),
  /** A penalty below this is charged as this (1 yuan). */
  minimumYuan: DecimalString.refine((v) => !v.startsWith('-'), { message: 'must not be negative' }),
});
export type LatePaymentPolicy = z.infer<typeof LatePaymentPolicySchema>;

const RATES_1996 = { residentialPerDay: '0.001', currentYearPerDay: '0.002', crossYearPerDay: '0.003' };

/** The 1996 rules: residential 1 ‰; others 2 ‰ in the bill's year, 3 ‰ from 1 January after; minimum ¥1. */
export const DEFAULT_LATE_PAYMENT_POLICIES: Readonly<
  Record<LatePaymentPolicy['customerClass'], LatePaymentPolicy>
> = {
  residential: { customerClass: 'residential', rates: RATES_1996, minimumYuan: '1.00' },
  'non-residential': { customerClass: 'non-residential', rates: RATES_1996, minimumYuan: '1.00' },
};

export interface LatePaymentInput {
  /** Unpaid amount, yuan. */
  unpaid: string;
  /** The bill's due date; the penalty runs from the day after. */
  dueDate: string;
  /** The payment date (or the date the penalty is computed for), counted in. */
  paidOn: string;
  policy: LatePaymentPolicy;
  /** The year whose 31 December ends the current-year rate; default: the due date's year. */
  billYear?: number;
}

export interface PenaltySegment {
  kind: 'residential' | 'current-year' | 'cross-year';
  /** First and last day counted, inclusive. */
  from: string;
  to: string;
  days: number;
  ratePerDay: string;
  /** unpaid × rate × days, rounded half-up to the fen. */
  amount: string;
}

export interface LatePaymentPenalty {
  /** Days from the day after the due date up to and including the payment date; 0 when paid in time. */
  days: number;
  segments: PenaltySegment[];
  /** Sum of the segment amounts, before the minimum. */
  computed: string;
  /** What is charged: the computed amount, raised to the minimum when it is above 0 and below it. */
  total: string;
  minimumApplied: boolean;
}

export function computeLatePaymentPenalty(input: LatePaymentInput): LatePaymentPenalty {
  const policyResult = LatePaymentPolicySchema.safeParse(input.policy);
  if (!policyResult.success) {
    const issue = policyResult.error.issues[0]!;
    throw new BillingInputError(fieldPath('policy', issue.path), issue.message);
  }
  const policy = policyResult.data;
  if (typeof input.unpaid !== 'string' || !DecimalString.safeParse(input.unpaid).success)
    throw new BillingInputError('unpaid', `${JSON.stringify(input.unpaid)} is not a decimal amount`);
  const unpaid = dec(input.unpaid);
  if (unpaid.isNegative()) throw new BillingInputError('unpaid', 'must not be negative');
  for (const field of ['dueDate', 'paidOn'] as const)
    if (typeof input[field] !== 'string' || !isIsoDate(input[field]))
      throw new BillingInputError(field, `${JSON.stringify(input[field])} is not a date YYYY-MM-DD`);
  const billYear = input.billYear ?? Number(input.dueDate.slice(0, 4));
  if (!Number.isInteger(billYear)) throw new BillingInputError('billYear', 'must be a year');

  const firstDay = dayNumber(input.dueDate) + 1;
  const lastDay = dayNumber(input.paidOn);
  const days = Math.max(0, lastDay - firstDay + 1);
  const segments: PenaltySegment[] = [];
  const add = (kind: PenaltySegment['kind'], from: number, to: number, rate: string) => {
    if (to < from) return;
    const n = to - from + 1;
    segments.push({
      kind,
      from: dateOfDayNumber(from),
      to: dateOfDayNumber(to),
      days: n,
      ratePerDay: rate,
      amount: toFen(unpaid.times(rate).times(n)).toFixed(2),
    });
  };
  if (days > 0) {
    if (policy.customerClass === 'residential') {
      add('residential', firstDay, lastDay, policy.rates.residentialPerDay);
    } else {
      const yearEnd = dayNumber(`${String(billYear).padStart(4, '0')}-12-31`);
      add('current-year', firstDay, Math.min(lastDay, yearEnd), policy.rates.currentYearPerDay);
      add('cross-year', Math.max(firstDay, yearEnd + 1), lastDay, policy.rates.crossYearPerDay);
    }
  }
  const computed = segments.reduce((s, seg) => s.plus(seg.amount), dec(0));
  const minimum = toFen(policy.minimumYuan);
  // Any day late on a real debt costs at least the minimum, even when the exact amount rounds to 0.00.
  const minimumApplied = days > 0 && unpaid.gt(0) && computed.lt(minimum);
  return {
    days,
    segments,
    computed: computed.toFixed(2),
    total: (minimumApplied ? minimum : computed).toFixed(2),
    minimumApplied,
  };
}
