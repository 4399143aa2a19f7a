import type { Account } from '#domain/account.ts';
import type { BillDocument, BillLine, BillLineCode, DataFinding, PeriodComparison } from '#domain/bill.ts';
import { BillingInputError } from '#domain/billing/errors.ts';
import { dateOf, dayNumber, type Month, pad2, parsePeriod, shiftPeriod } from '#domain/calendar/index.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { Dec, dec } from '#domain/money.ts';
import type { LocalisedText, Period, TouBand } from '#domain/primitives.ts';
import type { Tariff } from '#domain/tariff.ts';
import { BANDS, type Consumption, consumptionOf } from './consumption.ts';
import { groupDigits, money, qty } from './format.ts';
import { adjustmentBasisPoints, formatPowerFactor, powerFactorHundredths } from './power-factor.ts';
import {
  type CompiledAccount,
  type CompiledTariff,
  compileAccount,
  priceText,
  tariffVersions,
} from './validate.ts';

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
  /** No earlier period: a meter_in with nothing to replace is a new connection (so is connectedOn's period). */
  firstPeriod?: boolean;
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

const ZERO = dec(0);
const ONE = dec(1);
/** The Period schema's pattern, tested directly: this runs once per bill and per advice scenario. */
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const FLOOR_SHARE = dec('0.4');
const EXCESS_THRESHOLD = dec('1.05');

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
  capacityKva: Dec;
  effectiveCapacityKva: Dec;
  fromDay: number;
  toDay: number;
  /** Share of the monthly charge: days/30 when pro-rated, else days/days-in-month per tariff version. */
  factor: Dec;
  /** "15/31" or "12/30"; null for a whole month at one version. */
  factorText: string | null;
  /** Label suffix when there are several basic periods. */
  suffix: LocalisedText | null;
}

/** The tariff versions in force in the period, each with its days (split when a version starts inside). */
function tariffSegments(
  versions: readonly CompiledTariff[],
  month: Month,
  tariffId: string,
): TariffSegment[] {
  const first = dayNumber(dateOf(month, 1));
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
        : `no version of tariff ${tariffId} is in force on ${dateOf(month, 1)}`,
    );
  const points = [{ tariff: current, day: 1 }, ...starts];
  return points.map((p, i) => {
    const toDay = i + 1 < points.length ? points[i + 1]!.day - 1 : month.days;
    return { tariff: p.tariff, fromDay: p.day, toDay, days: toDay - p.day + 1 };
  });
}

/** Day of the period month (1…days) of a date; below 1 or above days when outside the month. */
const dayOfMonth = (date: string, month: Month): number => dayNumber(date) - dayNumber(dateOf(month, 1)) + 1;

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
  const capacityRuns: { fromDay: number; toDay: number; capacity: Dec }[] = [];
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
        effectiveCapacityKva: Dec.max(run.capacity.minus(acc.suspendedKva), ZERO),
        fromDay: f,
        toDay: t,
        factor: wholeMonth ? ONE : dec(days).div(prorated ? 30 : month.days),
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

const withSuffix = (label: LocalisedText, suffix: LocalisedText | null): LocalisedText =>
  suffix === null ? label : { 'zh-CN': label['zh-CN'] + suffix['zh-CN'], en: label.en + suffix.en };

const factorPart = (p: BasicPeriod): string => (p.factorText === null ? '' : ` × ${p.factorText}`);

interface LineDraft {
  code: BillLineCode;
  label: LocalisedText;
  quantity: Dec;
  /** Decimals to print the quantity with; default: exactly as computed. */
  quantityPlaces?: number;
  unit: string;
  unitPrice: string;
  amount: Dec;
  explanation: (amount: string) => string;
  tariffEffectiveFrom?: string;
}

function finishLine(d: LineDraft): BillLine & { amountDec: Dec } {
  const amount = d.amount.toDecimalPlaces(2, Dec.ROUND_HALF_UP);
  const amountText = amount.toFixed(2);
  return {
    code: d.code,
    label: d.label,
    quantity: d.quantityPlaces === undefined ? d.quantity.toFixed() : d.quantity.toFixed(d.quantityPlaces),
    unit: d.unit,
    unitPrice: d.unitPrice,
    amount: amountText,
    explanation: d.explanation(groupDigits(amountText)),
    ...(d.tariffEffectiveFrom === undefined ? {} : { tariffEffectiveFrom: d.tariffEffectiveFrom }),
    amountDec: amount,
  };
}

interface DemandFacts {
  maxDemandKw: Dec;
  kwhPerKva: Dec | null;
  billedDemandKw?: Dec;
}

function basicChargeLines(
  acc: CompiledAccount,
  periods: readonly BasicPeriod[],
  consumption: Consumption,
  findings: DataFinding[],
): { drafts: LineDraft[]; facts: DemandFacts } {
  const method = acc.account.basicChargeMethod;
  const demand = consumption.maxDemandKw;
  const kwhPerKva = acc.effectiveCapacityKva.isZero()
    ? null
    : consumption.totalKwh.div(acc.effectiveCapacityKva);
  const facts: DemandFacts = { maxDemandKw: demand, kwhPerKva };
  const drafts: LineDraft[] = [];
  const split = periods.length > 1 && periods.some((p) => p.segment !== periods[0]!.segment);
  const noted = new Set<string>();
  const note = (f: DataFinding) => {
    if (noted.has(f.code)) return;
    noted.add(f.code);
    findings.push(f);
  };
  for (const p of periods) {
    const t = p.segment.tariff;
    const from = split ? { tariffEffectiveFrom: t.effectiveFrom } : {};
    if (method === 'capacity') {
      const price = t.perKvaMonth;
      const priceStr = priceText(price, 2);
      drafts.push({
        code: 'BASIC_CAPACITY',
        label: withSuffix(BASIC_LABELS.BASIC_CAPACITY, p.suffix),
        quantity: p.effectiveCapacityKva,
        unit: 'kVA',
        unitPrice: priceStr,
        amount: p.effectiveCapacityKva.times(price).times(p.factor),
        explanation: (amount) =>
          `${qty(p.effectiveCapacityKva)} kVA${capacityNote(p, acc)} × ${priceStr} 元${factorPart(p)} = ${amount}`,
        ...from,
      });
      continue;
    }
    // Demand methods: the 40 % floor of the capacity in operation, and the 526号 high-utilisation price.
    const floor = p.effectiveCapacityKva.times(FLOOR_SHARE);
    const discounted = kwhPerKva?.gte(t.highUtilisationKwhPerKva) === true;
    const price = discounted ? t.perKwMonth.times(t.highUtilisationFactor) : t.perKwMonth;
    const priceStr = priceText(price, 2);
    const priceNote = discounted
      ? ` (${priceText(t.perKwMonth, 2)} × ${t.highUtilisationFactor.toFixed()}, ${groupDigits(kwhPerKva!.toFixed(0))} kWh/kVA ≥ ${t.highUtilisationKwhPerKva.toFixed()})`
      : '';
    if (method === 'actual-demand') {
      const billed = demand.gte(floor) ? demand : floor;
      if (demand.lt(floor))
        note({
          code: 'DEMAND_FLOOR_APPLIED',
          message: `maximum demand ${demand.toFixed()} kW is below 40% of ${p.effectiveCapacityKva.toFixed()} kVA; ${floor.toFixed()} kW billed`,
        });
      facts.billedDemandKw = billed;
      const basis = demand.lt(floor)
        ? `${qty(billed)} kW (40% × ${qty(p.effectiveCapacityKva)} kVA; actual ${qty(demand)} kW)`
        : `${qty(billed)} kW`;
      drafts.push({
        code: 'BASIC_ACTUAL_DEMAND',
        label: withSuffix(BASIC_LABELS.BASIC_ACTUAL_DEMAND, p.suffix),
        quantity: billed,
        unit: 'kW',
        unitPrice: priceStr,
        amount: billed.times(price).times(p.factor),
        explanation: (amount) => `${basis} × ${priceStr} 元${priceNote}${factorPart(p)} = ${amount}`,
        ...from,
      });
      continue;
    }
    const contracted = acc.contractedDemandKw!;
    const contract = contracted.gte(floor) ? contracted : floor;
    if (contracted.lt(floor))
      note({
        code: 'CONTRACTED_DEMAND_BELOW_FLOOR',
        message: `contracted demand ${contracted.toFixed()} kW is below 40% of ${p.effectiveCapacityKva.toFixed()} kVA; ${floor.toFixed()} kW billed`,
      });
    facts.billedDemandKw = contract;
    const threshold = contract.times(EXCESS_THRESHOLD);
    const contractNote = contracted.lt(floor)
      ? ` (40% × ${qty(p.effectiveCapacityKva)} kVA; contract ${qty(contracted)} kW)`
      : '';
    if (demand.gt(threshold)) {
      const excess = demand.minus(threshold);
      const doublePrice = price.times(2);
      const doubleStr = priceText(doublePrice, 2);
      note({
        code: 'DEMAND_OVER_CONTRACT',
        message: `maximum demand ${demand.toFixed()} kW exceeds 105% of the contracted ${contract.toFixed()} kW; ${excess.toFixed()} kW charged at double price`,
      });
      drafts.push(
        {
          code: 'BASIC_CONTRACTED_DEMAND',
          label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND, p.suffix),
          quantity: threshold,
          unit: 'kW',
          unitPrice: priceStr,
          amount: threshold.times(price).times(p.factor),
          explanation: (amount) =>
            `${qty(threshold)} kW (105% × ${qty(contract)} kW${contractNote}) × ${priceStr} 元${priceNote}${factorPart(p)} = ${amount}`,
          ...from,
        },
        {
          code: 'BASIC_CONTRACTED_DEMAND_EXCESS',
          label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND_EXCESS, p.suffix),
          quantity: excess,
          unit: 'kW',
          unitPrice: doubleStr,
          amount: excess.times(doublePrice).times(p.factor),
          explanation: (amount) =>
            `(${qty(demand)} − ${qty(threshold)}) kW × ${doubleStr} 元 (2 × ${priceStr})${factorPart(p)} = ${amount}`,
          ...from,
        },
      );
    } else {
      drafts.push({
        code: 'BASIC_CONTRACTED_DEMAND',
        label: withSuffix(BASIC_LABELS.BASIC_CONTRACTED_DEMAND, p.suffix),
        quantity: contract,
        unit: 'kW',
        unitPrice: priceStr,
        amount: contract.times(price).times(p.factor),
        explanation: (amount) =>
          `${qty(contract)} kW${contractNote} × ${priceStr} 元${priceNote}${factorPart(p)} = ${amount}`,
        ...from,
      });
    }
  }
  return { drafts, facts };
}

const capacityNote = (p: BasicPeriod, acc: CompiledAccount): string =>
  acc.suspendedKva.isZero() ? '' : ` (${qty(p.capacityKva)} − ${qty(acc.suspendedKva)} suspended)`;

/**
 * Splits a quantity over tariff segments by days. All but the last share are cut down to 0.01 so that the
 * last one (the remainder) can never be negative and the shares add up exactly.
 */
function splitByDays(total: Dec, segments: readonly TariffSegment[], daysInMonth: number): Dec[] {
  if (segments.length === 1) return [total];
  const shares: Dec[] = [];
  let allocated = ZERO;
  segments.forEach((s, i) => {
    if (i === segments.length - 1) {
      shares.push(total.minus(allocated));
      return;
    }
    const share = total.times(s.days).div(daysInMonth).toDecimalPlaces(2, Dec.ROUND_DOWN);
    shares.push(share);
    allocated = allocated.plus(share);
  });
  return shares;
}

const splitNote = (s: TariffSegment, split: boolean, daysInMonth: number): string =>
  split ? ` [${s.tariff.effectiveFrom}: ${s.days}/${daysInMonth} days]` : '';

const segmentSuffix = (s: TariffSegment): LocalisedText => ({
  'zh-CN': `（${s.tariff.effectiveFrom} 起）`,
  en: ` (from ${s.tariff.effectiveFrom})`,
});

function energyLines(
  consumption: Consumption,
  segments: readonly TariffSegment[],
  month: Month,
  findings: DataFinding[],
): LineDraft[] {
  const split = segments.length > 1;
  // Quantity per band per segment; a sharp register under a version without a sharp price is billed as peak.
  const perSegment = segments.map(() => ({}) as Partial<Record<TouBand, Dec>>);
  for (const band of BANDS) {
    const energy = consumption.bands[band];
    if (energy === undefined) continue;
    const shares = splitByDays(energy, segments, month.days);
    segments.forEach((s, i) => {
      let target = band;
      if (band === 'sharp' && s.tariff.bands.sharp === undefined) {
        target = 'peak';
        if (!energy.isZero())
          findings.push({
            code: 'SHARP_WITHOUT_PRICE',
            message: `tariff ${s.tariff.tariffId} from ${s.tariff.effectiveFrom} has no sharp price; sharp-register energy billed at the peak price`,
          });
      }
      const q = perSegment[i]!;
      q[target] = (q[target] ?? ZERO).plus(shares[i]!);
    });
  }
  const drafts: LineDraft[] = [];
  for (const band of BANDS) {
    segments.forEach((s, i) => {
      const quantity = perSegment[i]![band];
      if (quantity === undefined) return;
      const price = s.tariff.bands[band]!;
      drafts.push({
        code: BAND_CODES[band],
        label: split ? withSuffix(BAND_LABELS[band], segmentSuffix(s)) : BAND_LABELS[band],
        quantity,
        unit: 'kWh',
        unitPrice: price.text,
        amount: quantity.times(price.price),
        explanation: (amount) =>
          `${qty(quantity)} kWh × ${price.text} 元${splitNote(s, split, month.days)} = ${amount}`,
        ...(split ? { tariffEffectiveFrom: s.tariff.effectiveFrom } : {}),
      });
    });
  }
  return drafts;
}

/** Government funds and surcharges: per kWh of the total registers, never floated by ToU. */
function fundLines(consumption: Consumption, segments: readonly TariffSegment[], month: Month): LineDraft[] {
  const split = segments.length > 1;
  const shares = splitByDays(consumption.totalKwh, segments, month.days);
  const codes: string[] = [];
  for (const s of segments) for (const f of s.tariff.funds) if (!codes.includes(f.code)) codes.push(f.code);
  const drafts: LineDraft[] = [];
  for (const code of codes) {
    segments.forEach((s, i) => {
      const fund = s.tariff.funds.find((f) => f.code === code);
      if (fund === undefined) return;
      const quantity = shares[i]!;
      drafts.push({
        code: `FUND_${code}`,
        label: split ? withSuffix(fund.label, segmentSuffix(s)) : fund.label,
        quantity,
        unit: 'kWh',
        unitPrice: fund.text,
        amount: quantity.times(fund.price),
        explanation: (amount) =>
          `${qty(quantity)} kWh × ${fund.text} 元${splitNote(s, split, month.days)} = ${amount}`,
        ...(split ? { tariffEffectiveFrom: s.tariff.effectiveFrom } : {}),
      });
    });
  }
  return drafts;
}

function comparisonWith(
  history: readonly BillSummary[] | undefined,
  period: string,
  total: Dec,
): BillDocument['comparison'] {
  if (history === undefined || history.length === 0) return undefined;
  const compare = (earlierPeriod: string): PeriodComparison | undefined => {
    const i = history.findIndex((h) => h.period === earlierPeriod);
    if (i < 0) return undefined;
    const h = history[i]!;
    for (const field of ['total', 'totalKwh'] as const)
      if (!/^-?\d+(\.\d+)?$/.test(h[field]))
        throw new BillingInputError(`history.${i}.${field}`, `${JSON.stringify(h[field])} is not a decimal`);
    const earlier = dec(h.total);
    return {
      period: h.period,
      total: h.total,
      totalKwh: h.totalKwh,
      totalChangePercent: earlier.isZero()
        ? null
        : total.minus(earlier).div(earlier).times(100).toDecimalPlaces(1).toFixed(1),
    };
  };
  const previousPeriod = compare(shiftPeriod(period, -1));
  const samePeriodLastYear = compare(shiftPeriod(period, -12));
  if (previousPeriod === undefined && samePeriodLastYear === undefined) return undefined;
  return {
    ...(previousPeriod === undefined ? {} : { previousPeriod }),
    ...(samePeriodLastYear === undefined ? {} : { samePeriodLastYear }),
  };
}

/**
 * The bill of one account for one period, without advice (computeBill adds advice by re-running this on
 * changed inputs). Pure and deterministic.
 */
export function computeBillWithoutAdvice(input: BillInput): BillDocument {
  if (typeof input.period !== 'string' || !PERIOD.test(input.period))
    throw new BillingInputError('period', `${JSON.stringify(input.period)} is not a period YYYY-MM`);
  const acc = compileAccount(input.account);
  const account = acc.account;
  const month = parsePeriod(input.period);
  const versions = tariffVersions(input.tariffs, account.tariffId);
  const segments = tariffSegments(versions, month, account.tariffId);
  const firstPeriod =
    input.firstPeriod === true ||
    (account.connectedOn !== undefined && account.connectedOn.slice(0, 7) === input.period);
  const consumption = consumptionOf(input.reads, account.accountId, input.period, firstPeriod);
  const findings: DataFinding[] = [...consumption.findings];

  const periods = basicPeriods(acc, month, segments, findings);
  const basic = basicChargeLines(acc, periods, consumption, findings);
  const chargeLines = [...basic.drafts, ...energyLines(consumption, segments, month, findings)].map(
    finishLine,
  );

  // PF adjustment on the printed basic + energy lines, so the customer can check it from the bill. Without
  // active energy the PF is undefined (0/0, or 0 with only reactive energy): no adjustment line, a finding,
  // powerFactor.applied = false. Charging the table's surcharge on the basic charge of an idle month would
  // penalise a reading that says nothing about how the load is compensated.
  const base = chargeLines.reduce((s, l) => s.plus(l.amountDec), ZERO);
  const pf = powerFactorHundredths(consumption.totalKwh, consumption.kvarh);
  const standard = account.powerFactorStandard;
  const pfLines: (BillLine & { amountDec: Dec })[] = [];
  let adjustmentPercent = '0.00';
  if (pf === null) {
    findings.push({
      code: 'POWER_FACTOR_UNDEFINED',
      message: 'no active energy in the period: power factor undefined, no power-factor adjustment',
    });
  } else {
    const points = adjustmentBasisPoints(pf, standard);
    adjustmentPercent = dec(points).div(100).toFixed(2);
    const rate = dec(points).div(10000);
    pfLines.push(
      finishLine({
        code: 'POWER_FACTOR_ADJUSTMENT',
        label: PF_LABEL,
        quantity: base,
        quantityPlaces: 2,
        unit: '元',
        unitPrice: rate.toFixed(4),
        amount: base.times(rate),
        explanation: (amount) =>
          `PF ${formatPowerFactor(pf)} (standard ${standard}): ${money(base)} × ${adjustmentPercent}% = ${amount}`,
      }),
    );
  }
  const funds = fundLines(consumption, segments, month).map(finishLine);
  const all = [...chargeLines, ...pfLines, ...funds];
  const total = all.reduce((s, l) => s.plus(l.amountDec), ZERO);
  const lines: BillLine[] = all.map(({ amountDec: _, ...line }) => line);

  const byBand: Partial<Record<TouBand, string>> = {};
  for (const band of BANDS) {
    const v = consumption.bands[band];
    if (v !== undefined) byBand[band] = v.toFixed();
  }
  const next = parsePeriod(shiftPeriod(input.period, 1));
  const comparison = comparisonWith(input.history, input.period, total);
  const contracted = acc.contractedDemandKw;
  return {
    accountId: account.accountId,
    period: input.period,
    currency: 'CNY',
    tariffVersions: segments.map((s) => ({
      tariffId: s.tariff.tariffId,
      effectiveFrom: s.tariff.effectiveFrom,
      days: s.days,
    })),
    lines,
    total: total.toFixed(2),
    consumption: {
      totalKwh: consumption.totalKwh.toFixed(),
      byBand,
      kvarh: consumption.kvarh.toFixed(),
      maxDemandKw: consumption.maxDemandKw.toFixed(),
    },
    powerFactor: {
      value: pf === null ? '0.00' : formatPowerFactor(pf),
      standard,
      adjustmentPercent,
      applied: pf !== null,
      base: base.toFixed(2),
    },
    demand: {
      maxDemandKw: consumption.maxDemandKw.toFixed(),
      ...(account.contractedDemandKw === undefined ? {} : { contractedDemandKw: account.contractedDemandKw }),
      capacityKva: account.capacityKva,
      effectiveCapacityKva: acc.effectiveCapacityKva.toFixed(),
      ...(basic.facts.billedDemandKw === undefined
        ? {}
        : { billedDemandKw: basic.facts.billedDemandKw.toFixed() }),
      ...(contracted === undefined
        ? {}
        : {
            demandOfContractPercent: consumption.maxDemandKw
              .div(contracted)
              .times(100)
              .toDecimalPlaces(1)
              .toFixed(1),
          }),
      ...(basic.facts.kwhPerKva === null
        ? {}
        : { kwhPerKva: basic.facts.kwhPerKva.toDecimalPlaces(2).toFixed(2) }),
    },
    findings,
    ...(comparison === undefined ? {} : { comparison }),
    advice: [],
    dueDate: `${next.year}-${pad2(next.month)}-${pad2(account.paymentDueDay)}`,
  };
}
