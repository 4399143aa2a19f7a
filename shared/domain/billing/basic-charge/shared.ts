import type { BillLineCode } from '../../bill.ts';
import { cmp, type Fx, fx, isZero, times, toFixed } from '../../decimal/fixed-point.ts';
import type { LocalisedText } from '../../primitives.ts';
import { qty } from '../bill-lines.ts';
import { groupDigits } from '../format.ts';
import type { CompiledAccount, FastPrice, FastTariff } from '../validate.ts';
import type { BasicPeriod } from './periods.ts';

/* What the three basic-charge methods share: the pro-rating factor, and the demand methods' floor and price. */

const FLOOR_SHARE = fx('0.4');

export const BASIC_LABELS = {
  BASIC_CAPACITY: { 'zh-CN': '基本电费（按容量）', en: 'Basic charge (capacity)' },
  BASIC_CONTRACTED_DEMAND: { 'zh-CN': '基本电费（合同需量）', en: 'Basic charge (contracted demand)' },
  BASIC_CONTRACTED_DEMAND_EXCESS: {
    'zh-CN': '基本电费（超合同需量105%部分，加倍）',
    en: 'Basic charge (demand above 105% of contract, double price)',
  },
  BASIC_ACTUAL_DEMAND: { 'zh-CN': '基本电费（实际最大需量）', en: 'Basic charge (actual maximum demand)' },
} as const satisfies Partial<Record<BillLineCode, LocalisedText>>;

/** The pro-rating factor as explanations print it: " × 15/31", or nothing for a whole month. */
export function factorPart(p: BasicPeriod): string {
  return p.factorText === null ? '' : ` × ${p.factorText}`;
}

/** The capacity as explanations print it when part of it is suspended. */
export function capacityNote(p: BasicPeriod, acc: CompiledAccount): string {
  return isZero(acc.suspendedKva) ? '' : ` (${qty(p.capacityKva)} − ${qty(acc.suspendedKva)} suspended)`;
}

/** Demand methods bill at least 40 % of the capacity in operation. */
export const demandFloor = (p: BasicPeriod): Fx => times(p.effectiveCapacityKva, FLOOR_SHARE);

/** Whether the 526号 high-utilisation price applies: kWh per kVA at or above the tariff's threshold. */
export const highUtilisation = (t: FastTariff, kwhPerKva: Fx | null): boolean =>
  kwhPerKva !== null && cmp(kwhPerKva, t.highUtilisationKwhPerKva) >= 0;

/** The demand price per kW·month: discounted under high utilisation. */
export const demandPrice = (t: FastTariff, discounted: boolean): FastPrice =>
  discounted ? t.perKwMonthDiscounted : t.perKwMonth;

/** How explanations print the high-utilisation discount; nothing at the full price. */
export function priceNote(t: FastTariff, kwhPerKva: Fx | null, discounted: boolean): string {
  return discounted
    ? ` (${t.perKwMonth.text} × ${t.highUtilisationFactorText}, ${groupDigits(toFixed(kwhPerKva!, 0))} kWh/kVA ≥ ${t.highUtilisationKwhPerKvaText})`
    : '';
}
