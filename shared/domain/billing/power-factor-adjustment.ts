import type { PowerFactorStandard } from '../account.ts';
import { type Fx, plus, times, toFixed } from '../decimal/fixed-point.ts';
import type { LocalisedText } from '../primitives.ts';
import { fen, type Printing, printLine } from './bill-lines.ts';
import { groupDigits } from './format.ts';
import {
  adjustmentBasisPoints,
  formatPowerFactor,
  percentOfBasisPoints,
  rateOfBasisPoints,
} from './power-factor.ts';

/*
 * The power-factor adjustment (功率因数调整电费): the table's percent of the basic and energy lines added up,
 * so the customer can check it from the bill.
 */

const PF_LABEL: LocalisedText = { 'zh-CN': '功率因数调整电费', en: 'Power factor adjustment' };

export interface Adjusted {
  /** The base plus the adjustment. */
  total: Fx;
  /** The adjustment as printed, e.g. "-0.75"; "0.00" without one. */
  adjustmentPercent: string;
}

/**
 * The base adjusted for the PF in hundredths (null when undefined: no adjustment), without printing: the
 * changed bills of advice.
 */
export function adjustedTotal(base: Fx, pf: number | null, standard: PowerFactorStandard): Adjusted {
  let total = base;
  let adjustmentPercent = '0.00';
  if (pf !== null) {
    const points = adjustmentBasisPoints(pf, standard);
    adjustmentPercent = percentOfBasisPoints(points);
    total = plus(total, fen(times(base, rateOfBasisPoints(points))));
  }
  return { total, adjustmentPercent };
}

/**
 * The base adjusted for the PF, printing the adjustment line. Without active energy the PF is undefined
 * (0/0, or 0 with only reactive energy): no adjustment line, a finding, powerFactor.applied = false.
 * Charging the table's surcharge on the basic charge of an idle month would penalise a reading that says
 * nothing about how the load is compensated.
 */
export function printedAdjustment(
  base: Fx,
  baseText: string,
  pf: number | null,
  standard: PowerFactorStandard,
  printing: Printing,
): Adjusted {
  let total = base;
  let adjustmentPercent = '0.00';
  if (pf === null) {
    printing.findings.push({
      code: 'POWER_FACTOR_UNDEFINED',
      message: 'no active energy in the period: power factor undefined, no power-factor adjustment',
    });
  } else {
    const points = adjustmentBasisPoints(pf, standard);
    adjustmentPercent = percentOfBasisPoints(points);
    const rate = rateOfBasisPoints(points);
    const amount = fen(times(base, rate));
    total = plus(total, amount);
    printing.lines.push(
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
  return { total, adjustmentPercent };
}
