/*
 * The late-payment penalty (电费违约金, billing-rules.md §7): one rates shape, the penalty on one unpaid
 * amount, and the penalty accrued on a balance that changes over time.
 */
export { type AccruedPenaltyInput, accruedPenalty, type BalanceStep } from './accrued.ts';
export {
  computeLatePaymentPenalty,
  type LatePaymentInput,
  type LatePaymentPenalty,
  type PenaltySegment,
} from './late-payment.ts';
export { DEFAULT_PENALTY_RATES, type PenaltyRates, PenaltyRatesSchema } from './rates.ts';
