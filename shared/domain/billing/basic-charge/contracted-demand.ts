import { cmp, fx, minus, times, toFixed } from '../../decimal/fixed-point.ts';
import { fen, note, printLine, qty, withSuffix } from '../bill-lines.ts';
import { groupDigits } from '../format.ts';
import type { BasicChargeRun } from './basic-charge.ts';
import type { BasicPeriod } from './periods.ts';
import { BASIC_LABELS, demandFloor, demandPrice, factorPart, highUtilisation, priceNote } from './shared.ts';

const EXCESS_THRESHOLD = fx('1.05');

/**
 * By contracted maximum demand: the contracted demand, at least the 40 % floor, × the price per kW·month ×
 * the pro-rating factor; demand above 105 % of it is charged on a second line at double price.
 */
export function contractedDemandCharge(run: BasicChargeRun, p: BasicPeriod, from: string | undefined): void {
  const t = p.segment.tariff.fast;
  const { demand, printing } = run;
  const floor = demandFloor(p);
  const discounted = highUtilisation(t, run.kwhPerKva);
  const price = demandPrice(t, discounted);
  const contracted = run.acc.contractedDemandKw!;
  const contractBelowFloor = cmp(contracted, floor) < 0;
  const contract = contractBelowFloor ? floor : contracted;
  if (printing !== null && contractBelowFloor)
    note(printing, run.noted, {
      code: 'CONTRACTED_DEMAND_BELOW_FLOOR',
      message: `contracted demand ${toFixed(contracted)} kW is below 40% of ${toFixed(p.effectiveCapacityKva)} kVA; ${toFixed(floor)} kW billed`,
    });
  run.facts.billedDemandKw = contract;
  const threshold = times(contract, EXCESS_THRESHOLD);
  if (cmp(demand, threshold) > 0) {
    const excess = minus(demand, threshold);
    const double = discounted ? t.perKwMonthDiscountedDouble : t.perKwMonthDouble;
    const amount = fen(times(times(threshold, price.price), p.factor));
    const excessAmount = fen(times(times(excess, double.price), p.factor));
    run.amounts.push(amount, excessAmount);
    if (printing === null) return;
    const thresholdText = toFixed(threshold);
    const excessText = toFixed(excess);
    note(printing, run.noted, {
      code: 'DEMAND_OVER_CONTRACT',
      message: `maximum demand ${toFixed(demand)} kW exceeds 105% of the contracted ${toFixed(contract)} kW; ${excessText} kW charged at double price`,
    });
    printing.lines.push(
      printLine({
        code: 'BASIC_CONTRACTED_DEMAND',
        label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND, p.suffix),
        quantity: thresholdText,
        unit: 'kW',
        unitPrice: price.text,
        amount,
        explanation: `${groupDigits(thresholdText)} kW (105% × ${qty(contract)} kW${contractNote(run, p, contractBelowFloor)}) × ${price.text} 元${priceNote(t, run.kwhPerKva, discounted)}${factorPart(p)}`,
        tariffEffectiveFrom: from,
      }),
      printLine({
        code: 'BASIC_CONTRACTED_DEMAND_EXCESS',
        label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND_EXCESS, p.suffix),
        quantity: excessText,
        unit: 'kW',
        unitPrice: double.text,
        amount: excessAmount,
        explanation: `(${qty(demand)} − ${groupDigits(thresholdText)}) kW × ${double.text} 元 (2 × ${price.text})${factorPart(p)}`,
        tariffEffectiveFrom: from,
      }),
    );
    return;
  }
  const amount = fen(times(times(contract, price.price), p.factor));
  run.amounts.push(amount);
  if (printing === null) return;
  const quantity = toFixed(contract);
  printing.lines.push(
    printLine({
      code: 'BASIC_CONTRACTED_DEMAND',
      label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND, p.suffix),
      quantity,
      unit: 'kW',
      unitPrice: price.text,
      amount,
      explanation: `${groupDigits(quantity)} kW${contractNote(run, p, contractBelowFloor)} × ${price.text} 元${priceNote(t, run.kwhPerKva, discounted)}${factorPart(p)}`,
      tariffEffectiveFrom: from,
    }),
  );
}

/** How explanations print a contract raised to the floor; nothing when the contract is above it. */
function contractNote(run: BasicChargeRun, p: BasicPeriod, contractBelowFloor: boolean): string {
  return contractBelowFloor
    ? ` (40% × ${qty(p.effectiveCapacityKva)} kVA; contract ${qty(run.acc.contractedDemandKw!)} kW)`
    : '';
}
