import type { BasicChargeMethod } from '#domain/account.ts';
import type { BillAdvice, BillDocument } from '#domain/bill.ts';
import { BillingInputError } from '#domain/billing/errors.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { Dec, dec } from '#domain/money.ts';
import type { BillInput } from './compute-bill.ts';
import { registerAdvance, registerEndAfter } from './consumption.ts';
import { groupDigits } from './format.ts';
import { formatPowerFactor, standardHundredths } from './power-factor.ts';
import { accountWithMethod, compileAccount } from './validate.ts';

/*
 * Advice is never a formula of its own: each saving is the difference between this bill and the bill the
 * engine computes for a changed input (reads with energy moved, reads with less reactive energy, another
 * basic-charge method).
 */

type Compute = (input: BillInput) => BillDocument;

const DEFAULT_PEAK_SHIFT = '0.1';

const METHOD_NAMES: Record<BasicChargeMethod, { 'zh-CN': string; en: string }> = {
  capacity: { 'zh-CN': '按变压器容量', en: 'by transformer capacity' },
  'contracted-demand': { 'zh-CN': '按合同最大需量', en: 'by contracted maximum demand' },
  'actual-demand': { 'zh-CN': '按实际最大需量', en: 'by actual maximum demand' },
};

const percentText = (share: Dec): string => share.times(100).toDecimalPlaces(1).toFixed();

/** Reads with `share` of every meter's peak-register advance moved to its valley register. */
export function readsWithPeakMovedToValley(reads: readonly MeterReadRow[], share: Dec): MeterReadRow[] {
  return reads.map((row) => {
    const peak = row.kwhBands.peak;
    const valley = row.kwhBands.valley;
    if (peak === undefined || valley === undefined) return row;
    const peakAdvance = registerAdvance(peak, row.registerDigits);
    const moved = peakAdvance.times(share);
    const valleyAdvance = registerAdvance(valley, row.registerDigits);
    return {
      ...row,
      kwhBands: {
        ...row.kwhBands,
        peak: {
          start: peak.start,
          end: registerEndAfter(peak.start, peakAdvance.minus(moved), row.registerDigits),
        },
        valley: {
          start: valley.start,
          end: registerEndAfter(valley.start, valleyAdvance.plus(moved), row.registerDigits),
        },
      },
    };
  });
}

/**
 * Reads whose reactive energy (import + export) is scaled by `factor` and booked on the import register,
 * cut down to 4 decimals so the resulting power factor is never below the one aimed at.
 */
export function readsWithReactiveScaled(reads: readonly MeterReadRow[], factor: Dec): MeterReadRow[] {
  return reads.map((row) => {
    const exported =
      row.kvarhExport === undefined ? dec(0) : registerAdvance(row.kvarhExport, row.registerDigits);
    const advance = registerAdvance(row.kvarh, row.registerDigits)
      .plus(exported)
      .times(factor)
      .toDecimalPlaces(4, Dec.ROUND_DOWN);
    return {
      ...row,
      kvarh: { start: row.kvarh.start, end: registerEndAfter(row.kvarh.start, advance, row.registerDigits) },
      kvarhExport:
        row.kvarhExport === undefined
          ? undefined
          : { start: row.kvarhExport.start, end: row.kvarhExport.start },
    };
  });
}

/** Reactive energy (kvarh) at which `kwh` has exactly the power factor `pf`: kWh × √(1/pf² − 1). */
const kvarhForPowerFactor = (kwh: Dec, pf: Dec): Dec => kwh.times(dec(1).div(pf.pow(2)).minus(1).sqrt());

const saving = (bill: BillDocument, scenario: BillDocument): Dec => dec(bill.total).minus(scenario.total);

export function adviceFor(input: BillInput, bill: BillDocument, compute: Compute): BillAdvice[] {
  const base: BillInput = {
    account: input.account,
    tariffs: input.tariffs,
    reads: input.reads,
    period: input.period,
    advice: { enabled: false },
  };
  const advice: BillAdvice[] = [];
  const totalKwh = dec(bill.consumption.totalKwh);
  const kvarh = dec(bill.consumption.kvarh);

  // 1. Move a share of peak energy to valley hours.
  const shareText = input.advice?.peakShiftShare ?? DEFAULT_PEAK_SHIFT;
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(shareText))
    throw new BillingInputError(
      'advice.peakShiftShare',
      `${JSON.stringify(shareText)} is not a share between 0 and 1`,
    );
  const share = dec(shareText);
  const peak = bill.consumption.byBand.peak === undefined ? undefined : dec(bill.consumption.byBand.peak);
  if (peak?.gt(0) && share.gt(0)) {
    const scenario = compute({ ...base, reads: readsWithPeakMovedToValley(input.reads, share) });
    const s = saving(bill, scenario);
    if (s.gt(0)) {
      const pct = percentText(share);
      const kwh = groupDigits(peak.times(share).toDecimalPlaces(0).toFixed());
      advice.push({
        kind: 'shift-peak-to-valley',
        scenario: `move ${pct}% of peak kWh to valley`,
        saving: s.toFixed(2),
        message: {
          'zh-CN': `将 ${pct}% 的高峰用电（约 ${kwh} kWh）移到低谷时段。`,
          en: `Move ${pct}% of your peak consumption (about ${kwh} kWh) to valley hours.`,
        },
      });
    }
  }

  // 2. Raise the power factor to the standard, and to 0.95.
  const pf =
    bill.powerFactor.applied === false ? null : Number(dec(bill.powerFactor.value).times(100).toFixed(0));
  if (pf !== null && kvarh.gt(0)) {
    const standard = bill.powerFactor.standard;
    const targets = [...new Set([standardHundredths(standard), 95])].filter((t) => pf < t);
    for (const target of targets) {
      const targetText = formatPowerFactor(target);
      const factor = kvarhForPowerFactor(totalKwh, dec(target).div(100)).div(kvarh);
      const scenario = compute({ ...base, reads: readsWithReactiveScaled(input.reads, factor) });
      const s = saving(bill, scenario);
      if (!s.gt(0)) continue;
      const now = bill.powerFactor.adjustmentPercent;
      const then = scenario.powerFactor.adjustmentPercent;
      const isStandard = target === standardHundredths(standard);
      advice.push({
        kind: 'raise-power-factor',
        scenario: `power factor ${targetText}${isStandard ? ' (the standard)' : ''}`,
        saving: s.toFixed(2),
        message: {
          'zh-CN': `将功率因数从 ${bill.powerFactor.value} 提高到 ${targetText}${isStandard ? '（考核标准）' : ''}，功率因数调整由 ${now}% 变为 ${then}%。`,
          en: `Raise the power factor from ${bill.powerFactor.value} to ${targetText}${isStandard ? ' (the standard)' : ''}: the power-factor adjustment goes from ${now}% to ${then}%.`,
        },
      });
    }
  }

  // 3. The basic-charge method that would have been cheapest this period.
  const account = compileAccount(input.account).account;
  const methods: BasicChargeMethod[] = ['capacity', 'contracted-demand', 'actual-demand'];
  let best: { method: BasicChargeMethod; saving: Dec } | undefined;
  for (const method of methods) {
    if (method === account.basicChargeMethod) continue;
    if (method === 'contracted-demand' && account.contractedDemandKw === undefined) continue;
    const scenario = compute({ ...base, account: accountWithMethod(input.account, method) });
    const s = saving(bill, scenario);
    if (s.gt(0) && (best === undefined || s.gt(best.saving))) best = { method, saving: s };
  }
  if (best !== undefined) {
    const name = METHOD_NAMES[best.method];
    advice.push({
      kind: 'basic-charge-method',
      scenario: `basic charge ${best.method}`,
      saving: best.saving.toFixed(2),
      message: {
        'zh-CN': `本期若${name['zh-CN']}计收基本电费，费用更低；变更计费方式需向供电企业申请。`,
        en: `Billing the basic charge ${name.en} would have cost less this period; a change of method is applied for with the supply company.`,
      },
    });
  }
  return advice;
}
