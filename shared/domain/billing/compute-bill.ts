import type { Account, BasicChargeMethod } from '../account.ts';
import type { BillDocument, BillLine, BillLineCode, DataFinding, PeriodComparison } from '../bill.ts';
import {
  cmp,
  div,
  FX_ZERO,
  type Fx,
  fx,
  fxInt,
  isZero,
  maxFx,
  minus,
  plus,
  times,
  toDP,
  toFixed,
} from '../decimal/fixed-point.ts';
import type { MeterReadRow } from '../meter-read.ts';
import type { LocalisedText, Period, TouBand } from '../primitives.ts';
import type { Tariff } from '../tariff.ts';
import { dayNumber, type Month, pad2, parsePeriod, shiftPeriod } from './calendar.ts';
import { BANDS, type Consumption, consumptionOf } from './consumption.ts';
import { BillingInputError } from './errors.ts';
import { groupDigits } from './format.ts';
import {
  adjustmentBasisPoints,
  formatPowerFactor,
  percentOfBasisPoints,
  pfHundredths,
  rateOfBasisPoints,
} from './power-factor.ts';
import { type CompiledAccount, type CompiledTariff, compileAccount, tariffVersions } from './validate.ts';

export interface BillSummary {
  period: string;
  total: string;
  totalKwh: string;
}

export interface BillInput {
  account: Account;
  /** Every version of the tariffs; the account's tariffId picks its versions by effectiveFrom. */
  tariffs: readonly Tariff[];
  /** This account's meter reads for the period (several meters, meter_out + meter_in). */
  reads: readonly MeterReadRow[];
  period: Period;
  /** Earlier bills of the account, for the comparison with the previous period and last year. */
  history?: readonly BillSummary[];
  /** Advice settings; `enabled: false` computes the bill alone (advice re-runs the engine that way). */
  advice?: { enabled?: boolean; peakShiftShare?: string };
}

const BAND_LABELS: Record<TouBand, LocalisedText> = {
  sharp: { 'zh-CN': '尖峰电度电费', en: 'Energy charge, sharp peak' },
  peak: { 'zh-CN': '高峰电度电费', en: 'Energy charge, peak' },
  flat: { 'zh-CN': '平段电度电费', en: 'Energy charge, flat' },
  valley: { 'zh-CN': '低谷电度电费', en: 'Energy charge, valley' },
};

const BAND_CODES: Record<TouBand, BillLineCode> = {
  sharp: 'ENERGY_SHARP',
  peak: 'ENERGY_PEAK',
  flat: 'ENERGY_FLAT',
  valley: 'ENERGY_VALLEY',
};

const BASIC_LABELS = {
  BASIC_CAPACITY: { 'zh-CN': '基本电费（按容量）', en: 'Basic charge (capacity)' },
  BASIC_CONTRACTED_DEMAND: { 'zh-CN': '基本电费（合同需量）', en: 'Basic charge (contracted demand)' },
  BASIC_CONTRACTED_DEMAND_EXCESS: {
    'zh-CN': '基本电费（超合同需量105%部分，加倍）',
    en: 'Basic charge (demand above 105% of contract, double price)',
  },
  BASIC_ACTUAL_DEMAND: { 'zh-CN': '基本电费（实际最大需量）', en: 'Basic charge (actual maximum demand)' },
} as const satisfies Partial<Record<BillLineCode, LocalisedText>>;

const PF_LABEL: LocalisedText = { 'zh-CN': '功率因数调整电费', en: 'Power factor adjustment' };

const ZERO = FX_ZERO;
const ONE = fxInt(1);
/** The Period schema's pattern, tested directly: this runs once per bill. */
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const FLOOR_SHARE = fx('0.4');
const EXCESS_THRESHOLD = fx('1.05');
const HUNDRED = fxInt(100);
const DAY_MS = 86_400_000;

/** A run of days of the period priced by one tariff version. */
interface TariffSegment {
  tariff: CompiledTariff;
  fromDay: number;
  toDay: number;
  days: number;
}

/** A run of days charged the basic charge at one capacity and one tariff version. */
interface BasicPeriod {
  segment: TariffSegment;
  /** Capacity in these days, and the part of it in operation (less suspension). */
  capacityKva: Fx;
  effectiveCapacityKva: Fx;
  fromDay: number;
  toDay: number;
  /** Share of the monthly charge: days/30 when pro-rated, else days/days-in-month per tariff version. */
  factor: Fx;
  /** "15/31" or "12/30"; null for a whole month at one version. */
  factorText: string | null;
  /** Label suffix when there are several basic periods. */
  suffix: LocalisedText | null;
}

const months = new Map<string, { month: Month; next: string }>();

/** The period's month, and the next month as "YYYY-MM" (cached: a run bills a handful of periods). */
function periodFacts(period: string): { month: Month; next: string } {
  let facts = months.get(period);
  if (facts === undefined) {
    const next = parsePeriod(shiftPeriod(period, 1));
    facts = { month: parsePeriod(period), next: `${next.year}-${pad2(next.month)}` };
    if (months.size > 1000) months.clear();
    months.set(period, facts);
  }
  return facts;
}

const monthOf = (period: string): Month => periodFacts(period).month;
const nextMonthOf = (period: string): string => periodFacts(period).next;

/** Day number (days since 1970-01-01) of the first day of the period month. */
const firstDayOf = (month: Month): number => Date.UTC(month.year, month.month - 1, 1) / DAY_MS;

const firstDateOf = (month: Month): string => `${month.year}-${pad2(month.month)}-01`;

/** The tariff versions in force in the period, each with its days (split when a version starts inside). */
function tariffSegments(
  versions: readonly CompiledTariff[],
  month: Month,
  tariffId: string,
): TariffSegment[] {
  const first = firstDayOf(month);
  const last = first + month.days - 1;
  let current: CompiledTariff | undefined;
  const starts: { tariff: CompiledTariff; day: number }[] = [];
  for (const v of versions) {
    if (v.effectiveDay <= first) current = v;
    else if (v.effectiveDay <= last) starts.push({ tariff: v, day: v.effectiveDay - first + 1 });
  }
  if (current === undefined)
    throw new BillingInputError(
      'account.tariffId',
      versions.length === 0
        ? `no tariff ${tariffId} in the tariffs`
        : `no version of tariff ${tariffId} is in force on ${firstDateOf(month)}`,
    );
  if (starts.length === 0) return [{ tariff: current, fromDay: 1, toDay: month.days, days: month.days }];
  const points = [{ tariff: current, day: 1 }, ...starts];
  return points.map((p, i) => {
    const toDay = i + 1 < points.length ? points[i + 1]!.day - 1 : month.days;
    return { tariff: p.tariff, fromDay: p.day, toDay, days: toDay - p.day + 1 };
  });
}

/** Day of the period month (1…days) of a date; below 1 or above days when outside the month. */
const dayOfMonth = (date: string, month: Month): number => dayNumber(date) - firstDayOf(month) + 1;

function basicPeriods(
  acc: CompiledAccount,
  month: Month,
  segments: readonly TariffSegment[],
  findings: DataFinding[],
): BasicPeriod[] {
  const a = acc.account;
  let from = 1;
  let to = month.days;
  if (a.connectedOn !== undefined) from = Math.max(from, dayOfMonth(a.connectedOn, month));
  if (a.terminatedOn !== undefined) to = Math.min(to, dayOfMonth(a.terminatedOn, month));
  if (from > to) {
    findings.push({
      code: 'NOT_CONNECTED_IN_PERIOD',
      message: `connection ${a.connectedOn ?? '-'} – ${a.terminatedOn ?? '-'} does not cover the period; no basic charge`,
    });
    return [];
  }
  const capacityRuns: { fromDay: number; toDay: number; capacity: Fx }[] = [];
  const change = a.capacityChangedOn === undefined ? undefined : dayOfMonth(a.capacityChangedOn, month);
  const changeInside = change !== undefined && change > from && change <= to;
  if (changeInside) {
    if (acc.previousCapacityKva === undefined) {
      findings.push({
        code: 'PREVIOUS_CAPACITY_UNKNOWN',
        message: `capacity changed on ${a.capacityChangedOn} but previousCapacityKva is not recorded; days before the change carry no basic charge`,
      });
    } else {
      capacityRuns.push({ fromDay: from, toDay: change - 1, capacity: acc.previousCapacityKva });
    }
    capacityRuns.push({ fromDay: change, toDay: to, capacity: acc.capacityKva });
  } else {
    capacityRuns.push({ fromDay: from, toDay: to, capacity: acc.capacityKva });
  }
  // 1/30 of the month per day used (a partial day is a day) in the month of a connection, capacity change or
  // termination; otherwise the whole month, shared by tariff versions by days.
  const prorated = from > 1 || to < month.days || changeInside;
  const periods: BasicPeriod[] = [];
  for (const run of capacityRuns) {
    for (const segment of segments) {
      const f = Math.max(run.fromDay, segment.fromDay);
      const t = Math.min(run.toDay, segment.toDay);
      if (f > t) continue;
      const days = t - f + 1;
      const wholeMonth = !prorated && segments.length === 1;
      periods.push({
        segment,
        capacityKva: run.capacity,
        effectiveCapacityKva: maxFx(minus(run.capacity, acc.suspendedKva), ZERO),
        fromDay: f,
        toDay: t,
        factor: wholeMonth ? ONE : div(fxInt(days), fxInt(prorated ? 30 : month.days)),
        factorText: wholeMonth ? null : `${days}/${prorated ? 30 : month.days}`,
        suffix: null,
      });
    }
  }
  if (periods.length > 1 || prorated)
    for (const p of periods) {
      const range = p.fromDay === p.toDay ? `${p.fromDay}` : `${p.fromDay}–${p.toDay}`;
      p.suffix = { 'zh-CN': `（${range}日）`, en: ` (days ${range})` };
    }
  return periods;
}

function withSuffix(label: LocalisedText, suffix: LocalisedText | null): LocalisedText {
  return suffix === null ? label : { 'zh-CN': label['zh-CN'] + suffix['zh-CN'], en: label.en + suffix.en };
}

function factorPart(p: BasicPeriod): string {
  return p.factorText === null ? '' : ` × ${p.factorText}`;
}

/** A quantity as printed in explanations: exact, grouped, no exponent. */
function qty(value: Fx): string {
  return groupDigits(toFixed(value));
}

/**
 * A bill line before printing. The amount is already rounded to the fen; the explanation is complete but
 * for its " = amount" ending.
 */
interface LineDraft {
  code: BillLineCode;
  label: LocalisedText;
  /** The quantity as printed. */
  quantity: string;
  unit: string;
  unitPrice: string;
  amount: Fx;
  explanation: string;
  tariffEffectiveFrom?: string;
}

/** Rounds to the fen, half-up: every printed amount. */
function fen(amount: Fx): Fx {
  return toDP(amount, 2);
}

function printLine(d: LineDraft): BillLine {
  const amountText = toFixed(d.amount, 2);
  const line: BillLine = {
    code: d.code,
    label: d.label,
    quantity: d.quantity,
    unit: d.unit,
    unitPrice: d.unitPrice,
    amount: amountText,
    explanation: `${d.explanation} = ${groupDigits(amountText)}`,
  };
  if (d.tariffEffectiveFrom !== undefined) line.tariffEffectiveFrom = d.tariffEffectiveFrom;
  return line;
}

interface DemandFacts {
  kwhPerKva: Fx | null;
  billedDemandKw?: Fx;
}

/** What the printed bill says besides the amounts; absent when only the amounts are wanted. */
interface Printing {
  /** The bill's lines, printed as each is priced (an intermediate list of drafts would only add garbage). */
  lines: BillLine[];
  findings: DataFinding[];
  /** The band energies as the energy lines print them, kept for the consumption summary. */
  bandTexts: Partial<Record<TouBand, string>>;
}

function note(printing: Printing, noted: string[], finding: DataFinding): void {
  if (noted.includes(finding.code)) return;
  noted.push(finding.code);
  printing.findings.push(finding);
}

const kwhPerKvaOf = (acc: CompiledAccount, consumption: Consumption): Fx | null =>
  isZero(acc.effectiveCapacityKva) ? null : div(consumption.totalKwh, acc.effectiveCapacityKva);

/**
 * The basic-charge lines' amounts (rounded to the fen, in line order) under `method`; with `printing`,
 * also their lines and findings.
 */
function basicCharge(
  acc: CompiledAccount,
  method: BasicChargeMethod,
  periods: readonly BasicPeriod[],
  consumption: Consumption,
  kwhPerKva: Fx | null,
  amounts: Fx[],
  printing: Printing | null,
  facts: DemandFacts,
): void {
  const demand = consumption.maxDemandKw;
  const split = periods.length > 1 && periods.some((p) => p.segment !== periods[0]!.segment);
  const noted: string[] = [];
  for (const p of periods) {
    const t = p.segment.tariff.fast;
    const from = split ? p.segment.tariff.effectiveFrom : undefined;
    if (method === 'capacity') {
      const price = t.perKvaMonth;
      const amount = fen(times(times(p.effectiveCapacityKva, price.price), p.factor));
      amounts.push(amount);
      if (printing === null) continue;
      const quantity = toFixed(p.effectiveCapacityKva);
      printing.lines.push(
        printLine({
          code: 'BASIC_CAPACITY',
          label: withSuffix(BASIC_LABELS.BASIC_CAPACITY, p.suffix),
          quantity,
          unit: 'kVA',
          unitPrice: price.text,
          amount,
          explanation: `${groupDigits(quantity)} kVA${capacityNote(p, acc)} × ${price.text} 元${factorPart(p)}`,
          tariffEffectiveFrom: from,
        }),
      );
      continue;
    }
    // Demand methods: the 40 % floor of the capacity in operation, and the 526号 high-utilisation price.
    const floor = times(p.effectiveCapacityKva, FLOOR_SHARE);
    const discounted = kwhPerKva !== null && cmp(kwhPerKva, t.highUtilisationKwhPerKva) >= 0;
    const price = discounted ? t.perKwMonthDiscounted : t.perKwMonth;
    const priceNote =
      printing !== null && discounted
        ? ` (${t.perKwMonth.text} × ${t.highUtilisationFactorText}, ${groupDigits(toFixed(kwhPerKva!, 0))} kWh/kVA ≥ ${t.highUtilisationKwhPerKvaText})`
        : '';
    if (method === 'actual-demand') {
      const belowFloor = cmp(demand, floor) < 0;
      const billed = belowFloor ? floor : demand;
      facts.billedDemandKw = billed;
      const amount = fen(times(times(billed, price.price), p.factor));
      amounts.push(amount);
      if (printing === null) continue;
      if (belowFloor)
        note(printing, noted, {
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
          explanation: `${basis} × ${price.text} 元${priceNote}${factorPart(p)}`,
          tariffEffectiveFrom: from,
        }),
      );
      continue;
    }
    const contracted = acc.contractedDemandKw!;
    const contractBelowFloor = cmp(contracted, floor) < 0;
    const contract = contractBelowFloor ? floor : contracted;
    if (printing !== null && contractBelowFloor)
      note(printing, noted, {
        code: 'CONTRACTED_DEMAND_BELOW_FLOOR',
        message: `contracted demand ${toFixed(contracted)} kW is below 40% of ${toFixed(p.effectiveCapacityKva)} kVA; ${toFixed(floor)} kW billed`,
      });
    facts.billedDemandKw = contract;
    const threshold = times(contract, EXCESS_THRESHOLD);
    const contractNote =
      printing !== null && contractBelowFloor
        ? ` (40% × ${qty(p.effectiveCapacityKva)} kVA; contract ${qty(contracted)} kW)`
        : '';
    if (cmp(demand, threshold) > 0) {
      const excess = minus(demand, threshold);
      const double = discounted ? t.perKwMonthDiscountedDouble : t.perKwMonthDouble;
      const amount = fen(times(times(threshold, price.price), p.factor));
      const excessAmount = fen(times(times(excess, double.price), p.factor));
      amounts.push(amount, excessAmount);
      if (printing === null) continue;
      const thresholdText = toFixed(threshold);
      const excessText = toFixed(excess);
      note(printing, noted, {
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
          explanation: `${groupDigits(thresholdText)} kW (105% × ${qty(contract)} kW${contractNote}) × ${price.text} 元${priceNote}${factorPart(p)}`,
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
    } else {
      const amount = fen(times(times(contract, price.price), p.factor));
      amounts.push(amount);
      if (printing === null) continue;
      const quantity = toFixed(contract);
      printing.lines.push(
        printLine({
          code: 'BASIC_CONTRACTED_DEMAND',
          label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND, p.suffix),
          quantity,
          unit: 'kW',
          unitPrice: price.text,
          amount,
          explanation: `${groupDigits(quantity)} kW${contractNote} × ${price.text} 元${priceNote}${factorPart(p)}`,
          tariffEffectiveFrom: from,
        }),
      );
    }
  }
}

function capacityNote(p: BasicPeriod, acc: CompiledAccount): string {
  return isZero(acc.suspendedKva) ? '' : ` (${qty(p.capacityKva)} − ${qty(acc.suspendedKva)} suspended)`;
}

/**
 * Splits a quantity over tariff segments by days. All but the last share are cut down to 0.01 so that the
 * last one (the remainder) can never be negative and the shares add up exactly.
 */
function splitByDays(total: Fx, segments: readonly TariffSegment[], daysInMonth: number): Fx[] {
  if (segments.length === 1) return [total];
  const shares: Fx[] = [];
  let allocated = ZERO;
  const days = fxInt(daysInMonth);
  for (let i = 0; i < segments.length; i++) {
    if (i === segments.length - 1) {
      shares.push(minus(total, allocated));
      break;
    }
    const share = toDP(div(times(total, fxInt(segments[i]!.days)), days), 2, true);
    shares.push(share);
    allocated = plus(allocated, share);
  }
  return shares;
}

function splitNote(s: TariffSegment, split: boolean, daysInMonth: number): string {
  return split ? ` [${s.tariff.effectiveFrom}: ${s.days}/${daysInMonth} days]` : '';
}

function segmentSuffix(s: TariffSegment): LocalisedText {
  return { 'zh-CN': `（${s.tariff.effectiveFrom} 起）`, en: ` (from ${s.tariff.effectiveFrom})` };
}

/** The energy lines' amounts for the band energies `bands` (in line order); with `printing`, their lines too. */
function energyCharge(
  bands: Partial<Record<TouBand, Fx>>,
  segments: readonly TariffSegment[],
  month: Month,
  amounts: Fx[],
  printing: Printing | null,
): void {
  const split = segments.length > 1;
  if (!split) {
    // One tariff version: each band at its price; a sharp register under a version without a sharp price
    // is billed as peak.
    const s = segments[0]!;
    const prices = s.tariff.fast.bands;
    let sharp = bands.sharp;
    let peak = bands.peak;
    if (sharp !== undefined && prices.sharp === undefined) {
      if (printing !== null && !isZero(sharp)) printing.findings.push(sharpWithoutPrice(s));
      peak = plus(ZERO, sharp);
      if (bands.peak !== undefined) peak = plus(peak, bands.peak);
      sharp = undefined;
    }
    const quantities = [sharp, peak, bands.flat, bands.valley];
    for (let b = 0; b < 4; b++) {
      const quantity = quantities[b];
      if (quantity === undefined) continue;
      const band = BANDS[b]!;
      const price = prices[band]!;
      const amount = fen(times(quantity, price.price));
      amounts.push(amount);
      if (printing === null) continue;
      const text = toFixed(quantity);
      if (quantity === bands[band]) printing.bandTexts[band] = text;
      printing.lines.push(
        printLine({
          code: BAND_CODES[band],
          label: BAND_LABELS[band],
          quantity: text,
          unit: 'kWh',
          unitPrice: price.text,
          amount,
          explanation: `${groupDigits(text)} kWh × ${price.text} 元`,
        }),
      );
    }
    return;
  }
  // Quantity per band per segment; a sharp register under a version without a sharp price is billed as peak.
  const perSegment = segments.map(() => ({}) as Partial<Record<TouBand, Fx>>);
  for (const band of BANDS) {
    const energy = bands[band];
    if (energy === undefined) continue;
    const shares = splitByDays(energy, segments, month.days);
    segments.forEach((s, i) => {
      let target = band;
      if (band === 'sharp' && s.tariff.fast.bands.sharp === undefined) {
        target = 'peak';
        if (printing !== null && !isZero(energy)) printing.findings.push(sharpWithoutPrice(s));
      }
      const q = perSegment[i]!;
      q[target] = plus(q[target] ?? ZERO, shares[i]!);
    });
  }
  for (const band of BANDS) {
    segments.forEach((s, i) => {
      const quantity = perSegment[i]![band];
      if (quantity === undefined) return;
      const price = s.tariff.fast.bands[band]!;
      const amount = fen(times(quantity, price.price));
      amounts.push(amount);
      if (printing === null) return;
      const text = toFixed(quantity);
      printing.lines.push(
        printLine({
          code: BAND_CODES[band],
          label: withSuffix(BAND_LABELS[band], segmentSuffix(s)),
          quantity: text,
          unit: 'kWh',
          unitPrice: price.text,
          amount,
          explanation: `${groupDigits(text)} kWh × ${price.text} 元${splitNote(s, split, month.days)}`,
          tariffEffectiveFrom: s.tariff.effectiveFrom,
        }),
      );
    });
  }
}

function sharpWithoutPrice(s: TariffSegment): DataFinding {
  return {
    code: 'SHARP_WITHOUT_PRICE',
    message: `tariff ${s.tariff.tariffId} from ${s.tariff.effectiveFrom} has no sharp price; sharp-register energy billed at the peak price`,
  };
}

/**
 * Government funds and surcharges: per kWh of the total registers, never floated by ToU. `totalText` is the
 * total as the bill prints it.
 */
function fundDrafts(
  consumption: Consumption,
  segments: readonly TariffSegment[],
  month: Month,
  totalText: string,
): LineDraft[] {
  const drafts: LineDraft[] = [];
  if (segments.length === 1) {
    // One tariff version (the usual bill): its funds in its order, each on the whole total; a version's fund
    // codes are unique, so this is the general case below without its bookkeeping.
    const grouped = groupDigits(totalText);
    for (const fund of segments[0]!.tariff.fast.funds)
      drafts.push(
        fundDraft(fund, consumption.totalKwh, totalText, fund.label, `${grouped} kWh × ${fund.text} 元`),
      );
    return drafts;
  }
  const shares = splitByDays(consumption.totalKwh, segments, month.days);
  const texts = shares.map((share) => toFixed(share));
  const grouped = texts.map((text) => groupDigits(text));
  const codes: string[] = [];
  for (const s of segments)
    for (const f of s.tariff.fast.funds) if (!codes.includes(f.code)) codes.push(f.code);
  for (const code of codes) {
    segments.forEach((s, i) => {
      const fund = s.tariff.fast.funds.find((f) => f.code === code);
      if (fund === undefined) return;
      const draft = fundDraft(
        fund,
        shares[i]!,
        texts[i]!,
        withSuffix(fund.label, segmentSuffix(s)),
        `${grouped[i]} kWh × ${fund.text} 元${splitNote(s, true, month.days)}`,
      );
      draft.tariffEffectiveFrom = s.tariff.effectiveFrom;
      drafts.push(draft);
    });
  }
  return drafts;
}

function fundDraft(
  fund: CompiledTariff['fast']['funds'][number],
  quantity: Fx,
  quantityText: string,
  label: LocalisedText,
  explanation: string,
): LineDraft {
  return {
    code: `FUND_${fund.code}`,
    label,
    quantity: quantityText,
    unit: 'kWh',
    unitPrice: fund.text,
    amount: fen(times(quantity, fund.price)),
    explanation,
    tariffEffectiveFrom: undefined,
  };
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function comparisonWith(
  history: readonly BillSummary[] | undefined,
  period: string,
  total: Fx,
): BillDocument['comparison'] {
  if (history === undefined || history.length === 0) return undefined;
  const previousPeriod = compareWith(history, shiftPeriod(period, -1), total);
  const samePeriodLastYear = compareWith(history, shiftPeriod(period, -12), total);
  if (previousPeriod === undefined && samePeriodLastYear === undefined) return undefined;
  return {
    ...(previousPeriod === undefined ? {} : { previousPeriod }),
    ...(samePeriodLastYear === undefined ? {} : { samePeriodLastYear }),
  };
}

function compareWith(
  history: readonly BillSummary[],
  earlierPeriod: string,
  total: Fx,
): PeriodComparison | undefined {
  const i = history.findIndex((h) => h.period === earlierPeriod);
  if (i < 0) return undefined;
  const h = history[i]!;
  for (const field of ['total', 'totalKwh'] as const)
    if (!DECIMAL.test(h[field]))
      throw new BillingInputError(`history.${i}.${field}`, `${JSON.stringify(h[field])} is not a decimal`);
  const earlier = fx(h.total);
  return {
    period: h.period,
    total: h.total,
    totalKwh: h.totalKwh,
    totalChangePercent: isZero(earlier)
      ? null
      : toFixed(toDP(times(div(minus(total, earlier), earlier), HUNDRED), 1), 1),
  };
}

/** Sum of amounts, in order, from zero: how every total of the bill is added up. */
function sumOf(amounts: readonly Fx[], start: Fx = ZERO): Fx {
  let s = start;
  for (const a of amounts) s = plus(s, a);
  return s;
}

/**
 * What advice needs to re-price a bill with changed inputs without billing it again: the parts of the bill
 * that the changes cannot touch, and the amounts they can.
 */
export interface BillContext {
  acc: CompiledAccount;
  month: Month;
  segments: TariffSegment[];
  periods: BasicPeriod[];
  consumption: Consumption;
  kwhPerKva: Fx | null;
  /** The bill's total as printed. */
  total: Fx;
  /** The basic and energy amounts added up: what the power-factor adjustment applies to. */
  base: Fx;
  /** The bill's PF in hundredths; null when undefined (no active energy). */
  pf: number | null;
  basicAmounts: Fx[];
  energyAmounts: Fx[];
  fundAmounts: Fx[];
}

/** What a changed input changes: the band energies, the reactive energy, or the basic-charge method. */
export interface BillChange {
  bands?: Partial<Record<TouBand, Fx>>;
  kvarh?: Fx;
  method?: BasicChargeMethod;
}

/**
 * The total and power-factor adjustment percent of the bill of a changed input, exactly as computing that
 * bill would print them (the same amounts added in the same order), without the lines and texts.
 */
export function changedBillTotal(
  ctx: BillContext,
  change: BillChange,
): { total: Fx; adjustmentPercent: string } {
  // A change of the reactive energy alone leaves the basic and energy lines, and so their sum, as they are.
  let base = ctx.base;
  if (change.method !== undefined || change.bands !== undefined) {
    let basic = ctx.basicAmounts;
    if (change.method !== undefined) {
      basic = [];
      basicCharge(ctx.acc, change.method, ctx.periods, ctx.consumption, ctx.kwhPerKva, basic, null, {
        kwhPerKva: null,
      });
    }
    let energy = ctx.energyAmounts;
    if (change.bands !== undefined) {
      energy = [];
      energyCharge(change.bands, ctx.segments, ctx.month, energy, null);
    }
    base = sumOf(energy, sumOf(basic));
  }
  // Only a change of the reactive energy changes the PF (the active energy is never changed).
  const pf = change.kvarh === undefined ? ctx.pf : pfHundredths(ctx.consumption.totalKwh, change.kvarh);
  let total = base;
  let adjustmentPercent = '0.00';
  if (pf !== null) {
    const points = adjustmentBasisPoints(pf, ctx.acc.account.powerFactorStandard);
    adjustmentPercent = percentOfBasisPoints(points);
    total = plus(total, fen(times(base, rateOfBasisPoints(points))));
  }
  // The printed total is this sum to the fen, and the sum of amounts in fen has no more decimals.
  return { total: sumOf(ctx.fundAmounts, total), adjustmentPercent };
}

/**
 * The bill of one account for one period, without advice (computeBill adds advice by re-pricing this bill
 * for changed inputs). Pure and deterministic.
 */
export function computeBillWithoutAdvice(input: BillInput): BillDocument {
  return billWithContext(input).bill;
}

/** The bill without advice, and the context advice re-prices it in. */
export function billWithContext(input: BillInput): { bill: BillDocument; ctx: BillContext } {
  if (typeof input.period !== 'string' || !PERIOD.test(input.period))
    throw new BillingInputError('period', `${JSON.stringify(input.period)} is not a period YYYY-MM`);
  const acc = compileAccount(input.account);
  const account = acc.account;
  const month = monthOf(input.period);
  const versions = tariffVersions(input.tariffs, account.tariffId);
  const segments = tariffSegments(versions, month, account.tariffId);
  const consumption = consumptionOf(input.reads, account.accountId, input.period);
  const findings: DataFinding[] = [...consumption.findings];

  const periods = basicPeriods(acc, month, segments, findings);
  const kwhPerKva = kwhPerKvaOf(acc, consumption);
  const facts: DemandFacts = { kwhPerKva };
  const printing: Printing = { lines: [], findings, bandTexts: {} };
  const basicAmounts: Fx[] = [];
  basicCharge(acc, account.basicChargeMethod, periods, consumption, kwhPerKva, basicAmounts, printing, facts);
  const energyAmounts: Fx[] = [];
  energyCharge(consumption.bands, segments, month, energyAmounts, printing);

  // PF adjustment on the printed basic + energy lines, so the customer can check it from the bill. Without
  // active energy the PF is undefined (0/0, or 0 with only reactive energy): no adjustment line, a finding,
  // powerFactor.applied = false. Charging the table's surcharge on the basic charge of an idle month would
  // penalise a reading that says nothing about how the load is compensated.
  const base = sumOf(energyAmounts, sumOf(basicAmounts));
  const baseText = toFixed(base, 2);
  const pf = pfHundredths(consumption.totalKwh, consumption.kvarh);
  const standard = account.powerFactorStandard;
  const lines = printing.lines;
  let total = base;
  let adjustmentPercent = '0.00';
  if (pf === null) {
    findings.push({
      code: 'POWER_FACTOR_UNDEFINED',
      message: 'no active energy in the period: power factor undefined, no power-factor adjustment',
    });
  } else {
    const points = adjustmentBasisPoints(pf, standard);
    adjustmentPercent = percentOfBasisPoints(points);
    const rate = rateOfBasisPoints(points);
    const amount = fen(times(base, rate));
    total = plus(total, amount);
    lines.push(
      printLine({
        code: 'POWER_FACTOR_ADJUSTMENT',
        label: PF_LABEL,
        quantity: baseText,
        unit: '元',
        unitPrice: toFixed(rate, 4),
        amount,
        explanation: `PF ${formatPowerFactor(pf)} (standard ${standard}): ${groupDigits(baseText)} × ${adjustmentPercent}%`,
      }),
    );
  }
  const fundAmounts: Fx[] = [];
  const totalKwhText = toFixed(consumption.totalKwh);
  for (const d of fundDrafts(consumption, segments, month, totalKwhText)) {
    fundAmounts.push(d.amount);
    total = plus(total, d.amount);
    lines.push(printLine(d));
  }

  const byBand: Partial<Record<TouBand, string>> = {};
  for (const band of BANDS) {
    const v = consumption.bands[band];
    if (v !== undefined) byBand[band] = printing.bandTexts[band] ?? toFixed(v);
  }
  const comparison = comparisonWith(input.history, input.period, total);
  const contracted = acc.contractedDemandKw;
  const maxDemandKw = toFixed(consumption.maxDemandKw);
  // Optional fields are assigned in the document's field order: JSON prints them in insertion order.
  const demand = { maxDemandKw } as BillDocument['demand'];
  if (account.contractedDemandKw !== undefined) demand.contractedDemandKw = account.contractedDemandKw;
  demand.capacityKva = account.capacityKva;
  demand.effectiveCapacityKva = toFixed(acc.effectiveCapacityKva);
  if (facts.billedDemandKw !== undefined) demand.billedDemandKw = toFixed(facts.billedDemandKw);
  if (contracted !== undefined)
    demand.demandOfContractPercent = toFixed(
      toDP(times(div(consumption.maxDemandKw, contracted), HUNDRED), 1),
      1,
    );
  if (kwhPerKva !== null) demand.kwhPerKva = toFixed(toDP(kwhPerKva, 2), 2);
  const tariffVersionsApplied: BillDocument['tariffVersions'] = [];
  for (const s of segments)
    tariffVersionsApplied.push({
      tariffId: s.tariff.tariffId,
      effectiveFrom: s.tariff.effectiveFrom,
      days: s.days,
    });
  const bill = {
    accountId: account.accountId,
    period: input.period,
    currency: 'CNY',
    tariffVersions: tariffVersionsApplied,
    lines,
    total: toFixed(total, 2),
    consumption: {
      totalKwh: totalKwhText,
      byBand,
      kvarh: toFixed(consumption.kvarh),
      maxDemandKw,
    },
    powerFactor: {
      value: pf === null ? '0.00' : formatPowerFactor(pf),
      standard,
      adjustmentPercent,
      applied: pf !== null,
      base: baseText,
    },
    demand,
    findings,
  } as BillDocument;
  if (comparison !== undefined) bill.comparison = comparison;
  bill.advice = [];
  bill.dueDate = `${nextMonthOf(input.period)}-${pad2(account.paymentDueDay)}`;
  return {
    bill,
    ctx: {
      acc,
      month,
      segments,
      periods,
      consumption,
      kwhPerKva,
      total,
      base,
      pf,
      basicAmounts,
      energyAmounts,
      fundAmounts,
    },
  };
}
