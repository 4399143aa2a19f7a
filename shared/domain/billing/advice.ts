import type { BasicChargeMethod } from '../account.ts';
import type { BillAdvice, BillDocument } from '../bill.ts';
import {
  cmp,
  div,
  FX_ZERO,
  type Fx,
  fx,
  fxInt,
  fxOf,
  minus,
  plus,
  times,
  toDP,
  toFixed,
} from '../decimal/fixed-point.ts';
import type { MeterReadRow } from '../meter-read.ts';
import { dec } from '../money.ts';
import type { TouBand } from '../primitives.ts';
import { type BillContext, changedBillTotal } from './bill-context.ts';
import type { BillInput } from './compute-bill.ts';
import {
  advanceBilledAfter,
  type MeterConsumption,
  reactiveOf,
  registerEndAfter,
  sumBands,
} from './consumption.ts';
import { BillingInputError } from './errors.ts';
import { groupDigits } from './format.ts';
import { formatPowerFactor, standardHundredths } from './power-factor.ts';

/*
 * Advice is never a formula of its own: each saving is the difference between this bill and the bill the
 * engine computes for a changed input (reads with energy moved, reads with less reactive energy, another
 * basic-charge method).
 *
 * Those bills are not printed, only their totals compared, so they are priced from the bill's context
 * (changedBillTotal): the changed reads are turned into the band or reactive energies that billing them
 * would give, by the same arithmetic, and only the lines they change are priced again. A changed read the
 * engine would not simply bill back (a reading beyond the register) is billed in full instead, exactly as
 * before, so every saving is still a difference of two bills.
 */

const DEFAULT_PEAK_SHIFT = '0.1';
const SHARE = /^(0(\.\d+)?|1(\.0+)?)$/;
const HUNDRED = fxInt(100);

const METHOD_NAMES: Record<BasicChargeMethod, { 'zh-CN': string; en: string }> = {
  capacity: { 'zh-CN': '按变压器容量', en: 'by transformer capacity' },
  'contracted-demand': { 'zh-CN': '按合同最大需量', en: 'by contracted maximum demand' },
  'actual-demand': { 'zh-CN': '按实际最大需量', en: 'by actual maximum demand' },
};

const DEFAULT_SHARE = fx(DEFAULT_PEAK_SHIFT);

/** The share of peak energy the advice moves: the default (read once) or the input's, checked. */
function peakShiftShare(given: string | undefined): Fx {
  const text = given ?? DEFAULT_PEAK_SHIFT;
  if (text === DEFAULT_PEAK_SHIFT) return DEFAULT_SHARE;
  if (!SHARE.test(text))
    throw new BillingInputError(
      'advice.peakShiftShare',
      `${JSON.stringify(text)} is not a share between 0 and 1`,
    );
  return fx(text);
}

const percentText = (share: Fx): string => toFixed(toDP(times(share, HUNDRED), 1));

/** The peak and valley advances of a read after moving `share` of its peak advance to valley. */
function peakMovedToValley(m: MeterConsumption, share: Fx): { peak: Fx; valley: Fx } {
  const peakAdvance = m.bandAdvances.peak!;
  const moved = times(peakAdvance, share);
  return { peak: minus(peakAdvance, moved), valley: plus(m.bandAdvances.valley!, moved) };
}

/** The import advance of a read whose reactive energy (import + export) is scaled by `factor`. */
function reactiveScaled(m: MeterConsumption, factor: Fx): Fx {
  const exported = m.kvarhExportAdvance ?? FX_ZERO;
  return toDP(times(plus(m.kvarhAdvance, exported), factor), 4, true);
}

/** Reads with `share` of every meter's peak-register advance moved to its valley register. */
export function readsWithPeakMovedToValley(
  reads: readonly MeterReadRow[],
  meters: readonly MeterConsumption[],
  share: Fx,
): MeterReadRow[] {
  return reads.map((row, i) => {
    const peak = row.kwhBands.peak;
    const valley = row.kwhBands.valley;
    if (peak === undefined || valley === undefined) return row;
    const advances = peakMovedToValley(meters[i]!, share);
    return {
      ...row,
      kwhBands: {
        ...row.kwhBands,
        peak: {
          start: peak.start,
          end: toFixed(registerEndAfter(peak.start, advances.peak, row.registerDigits)),
        },
        valley: {
          start: valley.start,
          end: toFixed(registerEndAfter(valley.start, advances.valley, row.registerDigits)),
        },
      },
    };
  });
}

/**
 * Reads whose reactive energy (import + export) is scaled by `factor` and booked on the import register,
 * cut down to 4 decimals so the resulting power factor is never below the one aimed at.
 */
export function readsWithReactiveScaled(
  reads: readonly MeterReadRow[],
  meters: readonly MeterConsumption[],
  factor: Fx,
): MeterReadRow[] {
  return reads.map((row, i) => {
    const advance = reactiveScaled(meters[i]!, factor);
    return {
      ...row,
      kvarh: {
        start: row.kvarh.start,
        end: toFixed(registerEndAfter(row.kvarh.start, advance, row.registerDigits)),
      },
      kvarhExport:
        row.kvarhExport === undefined
          ? undefined
          : { start: row.kvarhExport.start, end: row.kvarhExport.start },
    };
  });
}

/** The band energies of the reads with peak moved to valley; undefined when they must be billed in full. */
function bandsWithPeakMovedToValley(
  reads: readonly MeterReadRow[],
  meters: readonly MeterConsumption[],
  share: Fx,
): Partial<Record<TouBand, Fx>> | undefined {
  const changed: (Partial<Record<TouBand, Fx>> | undefined)[] = [];
  for (let i = 0; i < reads.length; i++) {
    const row = reads[i]!;
    const m = meters[i]!;
    const peak = row.kwhBands.peak;
    const valley = row.kwhBands.valley;
    if (peak === undefined || valley === undefined) {
      changed.push(undefined);
      continue;
    }
    const advances = peakMovedToValley(m, share);
    const digits = row.registerDigits;
    const peakBilled = advanceBilledAfter(peak.start, advances.peak, digits);
    const valleyBilled = advanceBilledAfter(valley.start, advances.valley, digits);
    if (peakBilled === undefined || valleyBilled === undefined) return undefined;
    changed.push({
      ...m.bands,
      peak: times(peakBilled, m.multiplier),
      valley: times(valleyBilled, m.multiplier),
    });
  }
  return sumBands(meters, changed);
}

/** The reactive energy of the reads with reactive energy scaled; undefined when they must be billed in full. */
function kvarhWithReactiveScaled(
  reads: readonly MeterReadRow[],
  meters: readonly MeterConsumption[],
  factor: Fx,
): Fx | undefined {
  let kvarhImport = FX_ZERO;
  for (let i = 0; i < reads.length; i++) {
    const row = reads[i]!;
    const m = meters[i]!;
    const digits = row.registerDigits;
    const advance = reactiveScaled(m, factor);
    const billed = advanceBilledAfter(row.kvarh.start, advance, digits);
    if (billed === undefined) return undefined;
    kvarhImport = plus(kvarhImport, times(billed, m.multiplier));
  }
  // The export registers read start → start: their energy is exactly zero, whatever the multipliers.
  return reactiveOf(kvarhImport, FX_ZERO);
}

/** √(1/pf² − 1) for a target PF in hundredths, as decimal.js computes it (once per target). */
const ROOTS = new Map<number, Fx>();
function reactivePerActive(target: number): Fx {
  let root = ROOTS.get(target);
  if (root === undefined) {
    const pf = dec(target).div(100);
    root = fxOf(dec(1).div(pf.pow(2)).minus(1).sqrt());
    ROOTS.set(target, root);
  }
  return root;
}

interface Priced {
  total: Fx;
  adjustmentPercent: string;
}

/** Bills an input in full, without advice: the engine itself (passed in by computeBill). */
export type BillWithoutAdvice = (input: BillInput) => BillDocument;

/** The total of the bill of changed reads the context cannot re-price: the engine bills them in full. */
function billedInFull(
  input: BillInput,
  reads: readonly MeterReadRow[],
  billInFull: BillWithoutAdvice,
): Priced {
  const bill = billInFull({
    account: input.account,
    tariffs: input.tariffs,
    reads,
    period: input.period,
    advice: { enabled: false },
  });
  return { total: fx(bill.total), adjustmentPercent: bill.powerFactor.adjustmentPercent };
}

/** This bill's total less the changed one's (both as printed: sums of amounts in fen). */
const saving = (ctx: BillContext, scenario: Priced): Fx => minus(ctx.total, scenario.total);

/** The bill's advice, in this order: shift peak to valley, raise the power factor, another basic-charge method. */
export function adviceFor(
  input: BillInput,
  bill: BillDocument,
  ctx: BillContext,
  billInFull: BillWithoutAdvice,
): BillAdvice[] {
  const advice: BillAdvice[] = [];
  peakShiftAdvice(input, ctx, billInFull, advice);
  powerFactorAdvice(input, bill, ctx, billInFull, advice);
  basicChargeMethodAdvice(ctx, advice);
  return advice;
}

/** 1. Move a share of peak energy to valley hours. */
function peakShiftAdvice(
  input: BillInput,
  ctx: BillContext,
  billInFull: BillWithoutAdvice,
  advice: BillAdvice[],
): void {
  const meters = ctx.consumption.meters;
  const share = peakShiftShare(input.advice?.peakShiftShare);
  const peak = ctx.consumption.bands.peak;
  if (peak !== undefined && cmp(peak, FX_ZERO) > 0 && cmp(share, FX_ZERO) > 0) {
    const bands = bandsWithPeakMovedToValley(input.reads, meters, share);
    const scenario =
      bands === undefined
        ? billedInFull(input, readsWithPeakMovedToValley(input.reads, meters, share), billInFull)
        : changedBillTotal(ctx, { bands });
    const s = saving(ctx, scenario);
    if (cmp(s, FX_ZERO) > 0) {
      const pct = percentText(share);
      const kwh = groupDigits(toFixed(toDP(times(peak, share), 0)));
      advice.push({
        kind: 'shift-peak-to-valley',
        scenario: `move ${pct}% of peak kWh to valley`,
        saving: toFixed(s, 2),
        message: {
          'zh-CN': `将 ${pct}% 的高峰用电（约 ${kwh} kWh）移到低谷时段。`,
          en: `Move ${pct}% of your peak consumption (about ${kwh} kWh) to valley hours.`,
        },
      });
    }
  }
}

/** 2. Raise the power factor to the standard, and to 0.95. */
function powerFactorAdvice(
  input: BillInput,
  bill: BillDocument,
  ctx: BillContext,
  billInFull: BillWithoutAdvice,
  advice: BillAdvice[],
): void {
  const meters = ctx.consumption.meters;
  const totalKwh = ctx.consumption.totalKwh;
  const kvarh = ctx.consumption.kvarh;
  const pf = ctx.pf;
  if (pf !== null && cmp(kvarh, FX_ZERO) > 0) {
    const standard = bill.powerFactor.standard;
    const standardPf = standardHundredths(standard);
    for (const target of standardPf === 95 ? [95] : [standardPf, 95]) {
      if (!(pf < target)) continue;
      const targetText = formatPowerFactor(target);
      // Reactive energy at which the kWh have exactly the target PF: kWh × √(1/pf² − 1).
      const factor = div(times(totalKwh, reactivePerActive(target)), kvarh);
      const scaled = kvarhWithReactiveScaled(input.reads, meters, factor);
      const scenario =
        scaled === undefined
          ? billedInFull(input, readsWithReactiveScaled(input.reads, meters, factor), billInFull)
          : changedBillTotal(ctx, { kvarh: scaled });
      const s = saving(ctx, scenario);
      if (!(cmp(s, FX_ZERO) > 0)) continue;
      const now = bill.powerFactor.adjustmentPercent;
      const then = scenario.adjustmentPercent;
      const isStandard = target === standardPf;
      advice.push({
        kind: 'raise-power-factor',
        scenario: `power factor ${targetText}${isStandard ? ' (the standard)' : ''}`,
        saving: toFixed(s, 2),
        message: {
          'zh-CN': `将功率因数从 ${bill.powerFactor.value} 提高到 ${targetText}${isStandard ? '（考核标准）' : ''}，功率因数调整由 ${now}% 变为 ${then}%。`,
          en: `Raise the power factor from ${bill.powerFactor.value} to ${targetText}${isStandard ? ' (the standard)' : ''}: the power-factor adjustment goes from ${now}% to ${then}%.`,
        },
      });
    }
  }
}

/** 3. The basic-charge method that would have been cheapest this period. */
function basicChargeMethodAdvice(ctx: BillContext, advice: BillAdvice[]): void {
  const account = ctx.acc.account;
  const methods: BasicChargeMethod[] = ['capacity', 'contracted-demand', 'actual-demand'];
  let best: { method: BasicChargeMethod; saving: Fx } | undefined;
  for (const method of methods) {
    if (method === account.basicChargeMethod) continue;
    if (method === 'contracted-demand' && account.contractedDemandKw === undefined) continue;
    const s = saving(ctx, changedBillTotal(ctx, { method }));
    if (cmp(s, FX_ZERO) > 0 && (best === undefined || cmp(s, best.saving) > 0)) best = { method, saving: s };
  }
  if (best !== undefined) {
    const name = METHOD_NAMES[best.method];
    advice.push({
      kind: 'basic-charge-method',
      scenario: `basic charge ${best.method}`,
      saving: toFixed(best.saving, 2),
      message: {
        'zh-CN': `本期若${name['zh-CN']}计收基本电费，费用更低；变更计费方式需向供电企业申请。`,
        en: `Billing the basic charge ${name.en} would have cost less this period; a change of method is applied for with the supply company.`,
      },
    });
  }
}
