import type { BillDocument } from '../bill.ts';
import { adviceFor } from './advice.ts';
import { type BillInput, type BillSummary, billWithContext } from './compute-bill.ts';

// The late-payment penalty lives in ../penalty/ (one rates shape with the arrears ledger).
export {
  computeLatePaymentPenalty,
  DEFAULT_PENALTY_RATES,
  type LatePaymentInput,
  type LatePaymentPenalty,
  type PenaltyRates,
  PenaltyRatesSchema,
  type PenaltySegment,
} from '../penalty/index.ts';
export type { BillInput, BillSummary } from './compute-bill.ts';
export { BillingInputError } from './errors.ts';
export { displayWidth, formatBillTable } from './format-table.ts';
export {
  adjustmentBasisPoints,
  powerFactorAdjustmentPercent,
  powerFactorHundredths,
} from './power-factor.ts';
export { SAMPLE_TARIFFS } from './sample-tariffs.ts';
export { compileTariff } from './validate.ts';

/**
 * The bill of one account for one period under the two-part industrial tariff (billing-rules.md).
 * Pure and deterministic. Throws BillingInputError (naming the field) for input it cannot bill; data
 * problems it can bill through are reported in `bill.findings`. Advice prices the bill of changed inputs
 * (with advice disabled), so every saving is a difference of two bills.
 */
export function computeBill(input: BillInput): BillDocument {
  const { bill, ctx } = billWithContext(input);
  if (input.advice?.enabled !== false) bill.advice = adviceFor(input, bill, ctx);
  return bill;
}

export function billSummary(bill: BillDocument): BillSummary {
  return { period: bill.period, total: bill.total, totalKwh: bill.consumption.totalKwh };
}
