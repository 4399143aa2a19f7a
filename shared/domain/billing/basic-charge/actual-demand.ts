import { cmp, times, toFixed } from '../../decimal/fixed-point.ts';
import { fen, note, printLine, qty, withSuffix } from '../bill-lines.ts';
import { groupDigits } from '../format.ts';
import type { BasicChargeRun } from './basic-charge.ts';
import type { BasicPeriod } from './periods.ts';
import { BASIC_LABELS, demandFloor, demandPrice, factorPart, highUtilisation, priceNote } from './shared.ts';

/**
 * By actual maximum demand: the period's maximum demand, at least the 40 % floor, × the price per kW·month
 * × the pro-rating factor.
 */
export function actualDemandCharge(run: BasicChargeRun, p: BasicPeriod, from: string | undefined): void {
  const t = p.segment.tariff.fast;
  const demand = run.demand;
  const floor = demandFloor(p);
  const discounted = highUtilisation(t, run.kwhPerKva);
  const price = demandPrice(t, discounted);
  const belowFloor = cmp(demand, floor) < 0;
  const billed = belowFloor ? floor : demand;
  run.facts.billedDemandKw = billed;
  const amount = fen(times(times(billed, price.price), p.factor));
  run.amounts.push(amount);
  const printing = run.printing;
  if (printing === null) return;
  if (belowFloor)
    note(printing, run.noted, {
      code: 'DEMAND_FLOOR_APPLIED',
      message: `maximum demand ${toFixed(demand)} kW is below 40% of ${toFixed(p.effectiveCapacityKva)} kVA; ${toFixed(floor)} kW billed`,
    });
  const quantity = toFixed(billed);
  const basis = belowFloor
    ? `${groupDigits(quantity)} kW (40% × ${qty(p.effectiveCapacityKva)} kVA; actual ${qty(demand)} kW)`
    : `${groupDigits(quantity)} kW`;
  printing.lines.push(
    printLine({
      code: 'BASIC_ACTUAL_DEMAND',
      label: withSuffix(BASIC_LABELS.BASIC_ACTUAL_DEMAND, p.suffix),
      quantity,
      unit: 'kW',
      unitPrice: price.text,
      amount,
      explanation: `${basis} × ${price.text} 元${priceNote(t, run.kwhPerKva, discounted)}${factorPart(p)}`,
      tariffEffectiveFrom: from,
    }),
  );
}
