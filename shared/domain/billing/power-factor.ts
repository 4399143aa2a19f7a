import type { PowerFactorStandard } from '../account.ts';
import { absFx, decimalPlaces, Fx, isZero, p10, toFixed } from '../decimal/fixed-point.ts';
import { type Dec, dec } from '../money.ts';
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
  return hundredthsOf(
    BigInt(a.times(scale).toFixed(0)),
    BigInt(b.times(scale).toFixed(0)),
    a.toNumber(),
    b.toNumber(),
  );
}

/** powerFactorHundredths in the engine's arithmetic (fixed-point). */
export function pfHundredths(kwh: Fx, kvarh: Fx): number | null {
  if (isZero(kwh)) return null;
  const a = absFx(kwh);
  const b = absFx(kvarh);
  const places = Math.max(decimalPlaces(a), decimalPlaces(b));
  return hundredthsOf(scaledTo(a, places), scaledTo(b, places), fxNumber(a), fxNumber(b));
}

/** The integer a × 10^places (places is at least a's decimals, so this is exact). */
const scaledTo = (a: Fx, places: number): bigint =>
  a.s <= places ? a.n * p10(places - a.s) : a.n / p10(a.s - places);

const fxNumber = (a: Fx): number => Number(a.n) / 10 ** a.s;

/**
 * The PF in hundredths of the energies A (active) and B (reactive), integers at one scale; an and bn are
 * float approximations of them that only pick where the exact search starts.
 */
function hundredthsOf(A: bigint, B: bigint, an: number, bn: number): number {
  const A2 = 40000n * A * A;
  const S = A * A + B * B;
  // A float estimate only picks where to start; the exact comparisons decide.
  let h = Math.round((100 * an) / Math.sqrt(an * an + bn * bn));
  h = Number.isFinite(h) ? Math.min(100, Math.max(0, h)) : 0;
  while (h < 100 && atLeast(h + 1, A2, S)) h++;
  while (h > 0 && !atLeast(h, A2, S)) h--;
  return h;
}

/** PF rounds to h or more  ⇔  kWh/√S ≥ (h − 0.5)/100  ⇔  40000·kWh² ≥ (2h − 1)²·S   (h ≥ 1). */
function atLeast(h: number, kwhSquared40000: bigint, S: bigint): boolean {
  if (h <= 0) return true;
  const k = BigInt(2 * h - 1);
  return kwhSquared40000 >= k * k * S;
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

// Filled as bills print their power factors (a hundred and one at most), not when a function loads.
const PF_TEXTS = new Map<number, string>();

/** A PF in integer hundredths (0–100) as printed: "0.87". */
export function formatPowerFactor(hundredths: number): string {
  let text = PF_TEXTS.get(hundredths);
  if (text === undefined) {
    text = dec(hundredths).div(100).toFixed(2);
    if (Number.isInteger(hundredths) && hundredths >= 0 && hundredths <= 100) PF_TEXTS.set(hundredths, text);
  }
  return text;
}

// Every bill and every advice scenario looks up its adjustment; there are a few dozen distinct ones.
const PERCENTS = new Map<number, string>();
const RATES = new Map<number, Fx>();

/** An adjustment in hundredths of a percent as a percent with two decimals: −45 → "-0.45". */
export function percentOfBasisPoints(points: number): string {
  let text = PERCENTS.get(points);
  if (text === undefined) {
    text = toFixed(new Fx(BigInt(points), 2), 2);
    PERCENTS.set(points, text);
  }
  return text;
}

/** An adjustment in hundredths of a percent as a rate: −45 → −0.0045. */
export function rateOfBasisPoints(points: number): Fx {
  let rate = RATES.get(points);
  if (rate === undefined) {
    rate = new Fx(BigInt(points), 4);
    RATES.set(points, rate);
  }
  return rate;
}
