import { z } from 'zod';
import { PowerFactorStandard } from '../account.ts';
import { daysInPeriod, periodWindow, shiftPeriod } from '../calendar/index.ts';
import {
  cmp,
  decOf,
  ExactSum,
  FX_ZERO,
  type Fx,
  fxInt,
  isZero,
  parseDecimal,
  times,
} from '../decimal/fixed-point.ts';
import { Dec, dec } from '../money.ts';
import { DecimalString, IsoDate, NonNegativeDecimalString, Period, type TouBand } from '../primitives.ts';

/**
 * The parts of a BillDocument the ranking reads. A BillDocument is one; so is a generated history entry
 * (population.ts), which has no bill lines.
 */
export interface UsageBill {
  accountId: string;
  period: string;
  /** Bill total, yuan. */
  total: string;
  dueDate?: string;
  consumption: {
    totalKwh: string;
    byBand: Partial<Record<TouBand, string>>;
    maxDemandKw: string;
  };
  powerFactor: { value: string; standard?: PowerFactorStandard };
  comparison?: {
    previousPeriod?: { period: string; total: string; totalKwh: string };
    samePeriodLastYear?: { period: string; total: string; totalKwh: string };
  };
}

const Comparison = z.object({ period: Period, total: DecimalString, totalKwh: DecimalString });

/** Validates a bill history file entry: a BillDocument or a lighter object with the fields above. */
export const UsageBillSchema = z.looseObject({
  accountId: z.string().min(1),
  period: Period,
  total: DecimalString,
  dueDate: IsoDate.optional(),
  consumption: z.looseObject({
    totalKwh: NonNegativeDecimalString,
    byBand: z.partialRecord(z.enum(['sharp', 'peak', 'flat', 'valley']), NonNegativeDecimalString),
    maxDemandKw: NonNegativeDecimalString,
  }),
  powerFactor: z.looseObject({ value: NonNegativeDecimalString, standard: PowerFactorStandard.optional() }),
  comparison: z
    .looseObject({ previousPeriod: Comparison.optional(), samePeriodLastYear: Comparison.optional() })
    .optional(),
});

export const BillHistoryFileSchema = z.object({ bills: z.array(UsageBillSchema) });

/** Bills of one account by period; a later bill for the same period replaces an earlier one (a re-bill). */
export type BillsByPeriod = Map<string, UsageBill>;

export function indexBills(bills: readonly UsageBill[]): Map<string, BillsByPeriod> {
  const byAccount = new Map<string, BillsByPeriod>();
  for (const bill of bills) {
    let periods = byAccount.get(bill.accountId);
    if (periods === undefined) {
      periods = new Map();
      byAccount.set(bill.accountId, periods);
    }
    periods.set(bill.period, bill);
  }
  return byAccount;
}

/** One account's usage over the window, in Decimals (the exported result carries strings). */
export interface UsageProfile {
  accountId: string;
  windowFrom: string;
  windowTo: string;
  /** Periods of the window that have a bill. */
  billedPeriods: number;
  revenue: Dec;
  energyKwh: Dec;
  monthlyAverageKwh: Dec;
  averageHours: Dec;
  latestPeriod: string | null;
  latestBill: UsageBill | null;
  /** Latest period's energy against the period before, percent. */
  momChangePercent: Dec | null;
  /** Latest period's energy against the same period a year earlier, percent. */
  yoyChangePercent: Dec | null;
  /** Energy of the later half of the window against the earlier half, percent (both halves fully billed). */
  halfOnHalfPercent: Dec | null;
  /** Growth used by the rules: year on year where known, else half on half. */
  growth: { percent: Dec; basis: 'year-on-year' | 'half-on-half' } | null;
  /** Sharp + peak energy in the band registers' sum, 0–1. */
  peakSharpShare: Dec | null;
  valleyShare: Dec | null;
  /** Energy ÷ (maximum demand × hours in period), over the window. */
  loadFactor: Dec | null;
  peakDemandKw: Dec;
  powerFactorLatest: Dec | null;
  powerFactorStandard: PowerFactorStandard | null;
  /** Mean PF of the last three billed periods less the mean of the three before. */
  powerFactorTrend: Dec | null;
}

const ZERO = dec(0);
const HUNDRED = dec(100);

export const percentChange = (current: Dec, earlier: Dec): Dec | null =>
  earlier.isZero() ? null : current.minus(earlier).div(earlier).times(HUNDRED);

const ratioOf = (part: ExactSum, whole: ExactSum): Dec | null =>
  isZero(whole.value) ? null : decOf(part.value).div(decOf(whole.value));

/** Builds the usage profile of one account for the `length` periods ending with `lastPeriod`. */
export function usageProfile(
  accountId: string,
  bills: BillsByPeriod | undefined,
  lastPeriod: string,
  length: number,
): UsageProfile {
  const window = periodWindow(lastPeriod, length);
  const totals = windowTotals(bills, window);
  const { revenue, energy, demandHours, bandSum, peakSharp, valley, hours, billed, latest } = totals;

  const latestPeriod = latest?.period ?? null;
  const { mom, yoy } = latestChanges(bills, latest);
  const halfOnHalf = halfOnHalfChange(totals.energyByPeriod, length);
  const growth =
    yoy !== null
      ? { percent: yoy, basis: 'year-on-year' as const }
      : halfOnHalf !== null
        ? { percent: halfOnHalf, basis: 'half-on-half' as const }
        : null;
  const energyDec = decOf(energy.value);

  return {
    accountId,
    windowFrom: window[0]!,
    windowTo: lastPeriod,
    billedPeriods: billed,
    revenue: decOf(revenue.value),
    energyKwh: energyDec,
    monthlyAverageKwh: billed === 0 ? ZERO : energyDec.div(billed),
    averageHours: billed === 0 ? ZERO : dec(hours).div(billed),
    latestPeriod,
    latestBill: latest,
    momChangePercent: mom,
    yoyChangePercent: yoy,
    halfOnHalfPercent: halfOnHalf,
    growth,
    peakSharpShare: ratioOf(peakSharp, bandSum),
    valleyShare: ratioOf(valley, bandSum),
    loadFactor: ratioOf(energy, demandHours),
    peakDemandKw: decOf(totals.peakDemand),
    powerFactorLatest:
      latest === null || isZero(parseDecimal(latest.consumption.totalKwh))
        ? null
        : dec(latest.powerFactor.value),
    powerFactorStandard: latest?.powerFactor.standard ?? null,
    powerFactorTrend: powerFactorTrend(totals.powerFactors),
  };
}

/** The window's bills added up (exactly), with what the changes and trends need period by period. */
interface WindowTotals {
  revenue: ExactSum;
  energy: ExactSum;
  demandHours: ExactSum;
  bandSum: ExactSum;
  peakSharp: ExactSum;
  valley: ExactSum;
  hours: number;
  peakDemand: Fx;
  billed: number;
  latest: UsageBill | null;
  /** One per period of the window; null where there is no bill. */
  energyByPeriod: (Fx | null)[];
  /** Of the billed periods with energy, oldest first. */
  powerFactors: Fx[];
}

function windowTotals(bills: BillsByPeriod | undefined, window: readonly string[]): WindowTotals {
  const revenue = new ExactSum();
  const energy = new ExactSum();
  const demandHours = new ExactSum();
  const bandSum = new ExactSum();
  const peakSharp = new ExactSum();
  const valley = new ExactSum();
  let hours = 0;
  let peakDemand: Fx = FX_ZERO;
  let billed = 0;
  let latest: UsageBill | null = null;
  const energyByPeriod: (Fx | null)[] = [];
  const powerFactors: Fx[] = [];
  for (const period of window) {
    const bill = bills?.get(period);
    if (bill === undefined) {
      energyByPeriod.push(null);
      continue;
    }
    billed += 1;
    latest = bill;
    const kwh = parseDecimal(bill.consumption.totalKwh);
    const demand = parseDecimal(bill.consumption.maxDemandKw);
    const periodHours = daysInPeriod(period) * 24;
    revenue.add(parseDecimal(bill.total));
    energy.add(kwh);
    energyByPeriod.push(kwh);
    hours += periodHours;
    // Exact: a maximum demand has far fewer than the 40 significant digits where `times` rounds.
    demandHours.add(times(demand, fxInt(periodHours)));
    if (cmp(demand, peakDemand) > 0) peakDemand = demand;
    const band = bill.consumption.byBand;
    for (const [name, value] of [
      ['sharp', band.sharp],
      ['peak', band.peak],
      ['flat', band.flat],
      ['valley', band.valley],
    ] as const) {
      if (value === undefined) continue;
      const v = parseDecimal(value);
      bandSum.add(v);
      if (name === 'sharp' || name === 'peak') peakSharp.add(v);
      else if (name === 'valley') valley.add(v);
    }
    if (!isZero(kwh)) powerFactors.push(parseDecimal(bill.powerFactor.value));
  }
  return {
    revenue,
    energy,
    demandHours,
    bandSum,
    peakSharp,
    valley,
    hours,
    peakDemand,
    billed,
    latest,
    energyByPeriod,
    powerFactors,
  };
}

/** The latest bill's energy against the month before and the year before, percent. */
function latestChanges(
  bills: BillsByPeriod | undefined,
  latest: UsageBill | null,
): { mom: Dec | null; yoy: Dec | null } {
  const latestPeriod = latest?.period ?? null;
  const energyOf = (period: string, fromComparison: { totalKwh: string } | undefined): Dec | null => {
    const bill = bills?.get(period);
    if (bill !== undefined) return dec(bill.consumption.totalKwh);
    return fromComparison === undefined ? null : dec(fromComparison.totalKwh);
  };
  let mom: Dec | null = null;
  let yoy: Dec | null = null;
  if (latest !== null && latestPeriod !== null) {
    const current = dec(latest.consumption.totalKwh);
    const previous = energyOf(shiftPeriod(latestPeriod, -1), latest.comparison?.previousPeriod);
    const lastYear = energyOf(shiftPeriod(latestPeriod, -12), latest.comparison?.samePeriodLastYear);
    mom = previous === null ? null : percentChange(current, previous);
    yoy = lastYear === null ? null : percentChange(current, lastYear);
  }
  return { mom, yoy };
}

function halfOnHalfChange(energyByPeriod: readonly (Fx | null)[], length: number): Dec | null {
  let halfOnHalf: Dec | null = null;
  const half = Math.floor(length / 2);
  if (half >= 1 && energyByPeriod.every((e) => e !== null)) {
    const values = energyByPeriod as Fx[];
    const later = new ExactSum();
    const earlier = new ExactSum();
    for (const v of values.slice(length - half)) later.add(v);
    for (const v of values.slice(length - 2 * half, length - half)) earlier.add(v);
    halfOnHalf = percentChange(decOf(later.value), decOf(earlier.value));
  }
  return halfOnHalf;
}

function powerFactorTrend(powerFactors: readonly Fx[]): Dec | null {
  let pfTrend: Dec | null = null;
  if (powerFactors.length >= 6) {
    const recent = new ExactSum();
    const before = new ExactSum();
    for (const v of powerFactors.slice(-3)) recent.add(v);
    for (const v of powerFactors.slice(-6, -3)) before.add(v);
    pfTrend = decOf(recent.value).minus(decOf(before.value)).div(3);
  }
  return pfTrend;
}

/** The profile's figures as strings, rounded for reading (ratios 4 decimals, percents 1, kWh 0). */
export interface UsageMetrics {
  windowFrom: string;
  windowTo: string;
  billedPeriods: number;
  revenue: string;
  energyKwh: string;
  monthlyAverageKwh: string;
  latestPeriod: string | null;
  momChangePercent: string | null;
  yoyChangePercent: string | null;
  halfOnHalfPercent: string | null;
  peakSharpShare: string | null;
  valleyShare: string | null;
  loadFactor: string | null;
  peakDemandKw: string;
  powerFactorLatest: string | null;
  powerFactorTrend: string | null;
}

const fixed = (v: Dec | null, places: number): string | null =>
  v === null ? null : v.toFixed(places, Dec.ROUND_HALF_UP);

export function usageMetrics(p: UsageProfile): UsageMetrics {
  return {
    windowFrom: p.windowFrom,
    windowTo: p.windowTo,
    billedPeriods: p.billedPeriods,
    revenue: p.revenue.toFixed(2, Dec.ROUND_HALF_UP),
    energyKwh: p.energyKwh.toFixed(0, Dec.ROUND_HALF_UP),
    monthlyAverageKwh: p.monthlyAverageKwh.toFixed(0, Dec.ROUND_HALF_UP),
    latestPeriod: p.latestPeriod,
    momChangePercent: fixed(p.momChangePercent, 1),
    yoyChangePercent: fixed(p.yoyChangePercent, 1),
    halfOnHalfPercent: fixed(p.halfOnHalfPercent, 1),
    peakSharpShare: fixed(p.peakSharpShare, 4),
    valleyShare: fixed(p.valleyShare, 4),
    loadFactor: fixed(p.loadFactor, 4),
    peakDemandKw: p.peakDemandKw.toFixed(),
    powerFactorLatest: fixed(p.powerFactorLatest, 2),
    powerFactorTrend: fixed(p.powerFactorTrend, 3),
  };
}
