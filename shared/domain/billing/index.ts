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
