/*
 * The bill engine as it stood before the throughput work: the straightforward implementation, kept only as
 * the reference that test/unit/billing/equivalence.test.ts compares the optimised engine with. Nothing in
 * the product imports it.
 */
import type { BillDocument } from '../../bill.ts';
import { adviceFor } from './advice.ts';
import { type BillInput, computeBillWithoutAdvice } from './compute-bill.ts';

export function referenceComputeBill(input: BillInput): BillDocument {
  const bill = computeBillWithoutAdvice(input);
  if (input.advice?.enabled !== false) bill.advice = adviceFor(input, bill, referenceComputeBill);
  return bill;
}
