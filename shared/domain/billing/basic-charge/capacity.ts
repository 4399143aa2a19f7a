import { times, toFixed } from '../../decimal/fixed-point.ts';
import { fen, printLine, withSuffix } from '../bill-lines.ts';
import { groupDigits } from '../format.ts';
import type { BasicChargeRun } from './basic-charge.ts';
import type { BasicPeriod } from './periods.ts';
import { BASIC_LABELS, capacityNote, factorPart } from './shared.ts';

/** By transformer capacity: the capacity in operation × the price per kVA·month × the pro-rating factor. */
export function capacityCharge(run: BasicChargeRun, p: BasicPeriod, from: string | undefined): void {
  const price = p.segment.tariff.fast.perKvaMonth;
  const amount = fen(times(times(p.effectiveCapacityKva, price.price), p.factor));
  run.amounts.push(amount);
  if (run.printing === null) return;
  const quantity = toFixed(p.effectiveCapacityKva);
  run.printing.lines.push(
    printLine({
      code: 'BASIC_CAPACITY',
      label: withSuffix(BASIC_LABELS.BASIC_CAPACITY, p.suffix),
      quantity,
      unit: 'kVA',
      unitPrice: price.text,
      amount,
      explanation: `${groupDigits(quantity)} kVA${capacityNote(p, run.acc)} × ${price.text} 元${factorPart(p)}`,
      tariffEffectiveFrom: from,
    }),
  );
}
