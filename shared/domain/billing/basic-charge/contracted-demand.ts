import { cmp, type Fx, fx, minus, times, toFixed } from '../../decimal/fixed-point.ts';
import { fen, note, printLine, qty, withSuffix } from '../bill-lines.ts';
import { groupDigits } from '../format.ts';
import type { FastPrice, FastTariff } from '../validate.ts';
import type { BasicChargeRun } from './basic-charge.ts';
import type { BasicPeriod } from './periods.ts';
import { BASIC_LABELS, demandFloor, demandPrice, factorPart, highUtilisation, priceNote } from './shared.ts';

const EXCESS_THRESHOLD = fx('1.05');

/** The contracted demand as billed in one basic period, and how its explanations print it. */
interface Contract {
  /** The contracted demand, at least the 40 % floor. */
  contract: Fx;
  /** 105 % of it: demand above is charged at double price. */
  threshold: Fx;
  price: FastPrice;
  discounted: boolean;
  /** " (40% × … kVA; contract … kW)" when the floor applies, else nothing; only when printing. */
  contractNote: string;
  priceNote: string;
}

/**
 * By contracted maximum demand: the contracted demand, at least the 40 % floor, × the price per kW·month ×
 * the pro-rating factor; demand above 105 % of it is charged on a second line at double price.
 */
export function contractedDemandCharge(run: BasicChargeRun, p: BasicPeriod, from: string | undefined): void {
  const t = p.segment.tariff.fast;
  const printing = run.printing;
  const floor = demandFloor(p);
  const discounted = highUtilisation(t, run.kwhPerKva);
  const contracted = run.acc.contractedDemandKw!;
  const contractBelowFloor = cmp(contracted, floor) < 0;
  const contract = contractBelowFloor ? floor : contracted;
  if (printing !== null && contractBelowFloor)
    note(printing, run.noted, {
      code: 'CONTRACTED_DEMAND_BELOW_FLOOR',
      message: `contracted demand ${toFixed(contracted)} kW is below 40% of ${toFixed(p.effectiveCapacityKva)} kVA; ${toFixed(floor)} kW billed`,
    });
  run.facts.billedDemandKw = contract;
  const c: Contract = {
    contract,
    threshold: times(contract, EXCESS_THRESHOLD),
    price: demandPrice(t, discounted),
    discounted,
    contractNote:
      printing !== null && contractBelowFloor
        ? ` (40% × ${qty(p.effectiveCapacityKva)} kVA; contract ${qty(contracted)} kW)`
        : '',
    priceNote: printing === null ? '' : priceNote(t, run.kwhPerKva, discounted),
  };
  if (cmp(run.demand, c.threshold) > 0) overContract(run, p, from, t, c);
  else withinContract(run, p, from, c);
}

/** Demand above 105 % of the contract: the threshold at the price, the excess at double price. */
function overContract(
  run: BasicChargeRun,
  p: BasicPeriod,
  from: string | undefined,
  t: FastTariff,
  c: Contract,
): void {
  const demand = run.demand;
  const { threshold, price } = c;
  const excess = minus(demand, threshold);
  const double = c.discounted ? t.perKwMonthDiscountedDouble : t.perKwMonthDouble;
  const amount = fen(times(times(threshold, price.price), p.factor));
  const excessAmount = fen(times(times(excess, double.price), p.factor));
  run.amounts.push(amount, excessAmount);
  const printing = run.printing;
  if (printing === null) return;
  const thresholdText = toFixed(threshold);
  const excessText = toFixed(excess);
  note(printing, run.noted, {
    code: 'DEMAND_OVER_CONTRACT',
    message: `maximum demand ${toFixed(demand)} kW exceeds 105% of the contracted ${toFixed(c.contract)} kW; ${excessText} kW charged at double price`,
  });
  printing.lines.push(
    printLine({
      code: 'BASIC_CONTRACTED_DEMAND',
      label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND, p.suffix),
      quantity: thresholdText,
      unit: 'kW',
      unitPrice: price.text,
      amount,
      explanation: `${groupDigits(thresholdText)} kW (105% × ${qty(c.contract)} kW${c.contractNote}) × ${price.text} 元${c.priceNote}${factorPart(p)}`,
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
}

/** Demand within 105 % of the contract: the contract at the price. */
function withinContract(run: BasicChargeRun, p: BasicPeriod, from: string | undefined, c: Contract): void {
  const price = c.price;
  const amount = fen(times(times(c.contract, price.price), p.factor));
  run.amounts.push(amount);
  const printing = run.printing;
  if (printing === null) return;
  const quantity = toFixed(c.contract);
  printing.lines.push(
    printLine({
      code: 'BASIC_CONTRACTED_DEMAND',
      label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND, p.suffix),
      quantity,
      unit: 'kW',
      unitPrice: price.text,
      amount,
      explanation: `${groupDigits(quantity)} kW${c.contractNote} × ${price.text} 元${c.priceNote}${factorPart(p)}`,
      tariffEffectiveFrom: from,
    }),
  );
}
