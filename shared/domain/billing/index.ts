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
export {
  type BillInput,
  type BillSummary,
  billSummary,
  computeBill,
} from './compute-bill.ts';
export { BillingInputError } from './errors.ts';
export { displayWidth, formatBillTable } from './format-table.ts';
export {
  adjustmentBasisPoints,
  powerFactorAdjustmentPercent,
  powerFactorHundredths,
} from './power-factor.ts';
export { SAMPLE_TARIFFS } from './sample-tariffs.ts';
export { compileTariff } from './validate.ts';
