import type { PowerFactorStandard } from '#domain/account.ts';
import { type Dec, dec } from '#domain/money.ts';
import { pow10 } from './format.ts';

/*
 * Power-factor adjustment (功率因数调整电费, 1983 水电财字第215号; billing-rules.md §5).
 * PF is handled in integer hundredths and the adjustment in integer hundredths of a percent, so no
 * floating-point PF is ever compared.
 */

/**
 * Monthly average PF = kWh / √(kWh² + kvarh²), rounded half-up to two decimals, as integer hundredths
 * (0–100). Exact: the rounding boundaries are compared as squared integers, never as a float root.
 * Returns null when kWh is 0 (PF is undefined without active energy).
 */
export function powerFactorHundredths(kwh: Dec, kvarh: Dec): number | null {
  if (kwh.isZero()) return null;
  const a = kwh.abs();
  const b = kvarh.abs();
  const places = Math.max(a.decimalPlaces(), b.decimalPlaces());
  const scale = pow10(places);
  const A = BigInt(a.times(scale).toFixed(0));
  const B = BigInt(b.times(scale).toFixed(0));
  const A2 = A * A;
  const S = A2 + B * B;
  // PF rounds to h or more  ⇔  kWh/√S ≥ (h − 0.5)/100  ⇔  40000·kWh² ≥ (2h − 1)²·S   (h ≥ 1)
  const atLeast = (h: number): boolean => {
    if (h <= 0) return true;
    const k = BigInt(2 * h - 1);
    return 40000n * A2 >= k * k * S;
  };
  // A float estimate only picks where to start; the exact comparisons decide.
  const an = a.toNumber();
  const bn = b.toNumber();
  let h = Math.round((100 * an) / Math.sqrt(an * an + bn * bn));
  h = Number.isFinite(h) ? Math.min(100, Math.max(0, h)) : 0;
  while (h < 100 && atLeast(h + 1)) h++;
  while (h > 0 && !atLeast(h)) h--;
  return h;
}

interface StandardRules {
  /** The standard in hundredths of PF. */
  standard: number;
  /** Reductions in hundredths of a percent for PF = standard + 1, + 2, …; the last one also holds above. */
  reductions: readonly number[];
}

/*
 * The reduction side differs by standard (billing-rules.md §5 table); the surcharge side has the same shape
 * for all three, relative to the standard: +0.5 % per step for 20 steps, +1 % per step for 5, then +2 %.
 */
const RULES: Record<PowerFactorStandard, StandardRules> = {
  '0.90': { standard: 90, reductions: [15, 30, 45, 60, 75] },
  '0.85': { standard: 85, reductions: [10, 20, 30, 40, 50, 65, 80, 95, 110] },
  '0.80': { standard: 80, reductions: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 115, 130] },
};

/** The adjustment for a PF (integer hundredths) in hundredths of a percent; negative is a reduction. */
export function adjustmentBasisPoints(pfHundredths: number, standard: PowerFactorStandard): number {
  const rules = RULES[standard];
  const above = pfHundredths - rules.standard;
  if (above > 0) return -rules.reductions[Math.min(above, rules.reductions.length) - 1]!;
  const below = -above;
  if (below <= 20) return 50 * below;
  if (below <= 25) return 1000 + 100 * (below - 20);
  return 1500 + 200 * (below - 25);
}

/** PF (two-decimal string or integer hundredths) → adjustment percent with two decimals, e.g. "-0.45". */
export function powerFactorAdjustmentPercent(pf: string | number, standard: PowerFactorStandard): string {
  const hundredths = typeof pf === 'number' ? pf : Number(dec(pf).times(100).toFixed(0));
  return dec(adjustmentBasisPoints(hundredths, standard)).div(100).toFixed(2);
}

/** The lowest PF (hundredths) that earns the largest reduction under a standard. */
export const bestPowerFactorHundredths = (standard: PowerFactorStandard): number =>
  RULES[standard].standard + RULES[standard].reductions.length;

export const standardHundredths = (standard: PowerFactorStandard): number => RULES[standard].standard;

export const formatPowerFactor = (hundredths: number): string => dec(hundredths).div(100).toFixed(2);
