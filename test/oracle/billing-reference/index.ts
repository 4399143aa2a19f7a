/*
 * The bill engine as it stood before the throughput work: the straightforward decimal.js implementation,
 * kept only as the test oracle that the equivalence test compares the optimised engine with. Test code:
 * nothing in the product imports it. It shares the product's calendar and error type, and nothing else.
 */
import type { BillDocument } from '#domain/bill.ts';
import { adviceFor } from './advice.ts';
import { type BillInput, computeBillWithoutAdvice } from './compute-bill.ts';

export function referenceComputeBill(input: BillInput): BillDocument {
  const bill = computeBillWithoutAdvice(input);
  if (input.advice?.enabled !== false) bill.advice = adviceFor(input, bill, referenceComputeBill);
  return bill;
}
