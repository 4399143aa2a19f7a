import { describe, expect, it } from 'vitest';
import type { PowerFactorStandard } from '#domain/account.ts';
import {
  adjustmentBasisPoints,
  powerFactorAdjustmentPercent,
  powerFactorHundredths,
} from '#domain/billing/index.ts';
import { dec } from '#domain/money.ts';

/*
 * The 1983 水电财字第215号 table, written out here from billing-rules.md §5 zone by zone (independently of
 * the engine's encoding), in hundredths of a percent so that no float is compared.
 */
function expectedHundredthsOfPercent(pf: number, standard: PowerFactorStandard): number {
  if (standard === '0.90') {
    if (pf >= 95) return -75;
    if (pf >= 91) return { 94: -60, 93: -45, 92: -30, 91: -15 }[pf]!;
    if (pf === 90) return 0;
    if (pf >= 70) return (90 - pf) * 50; // +0.5 per step below 0.90
    if (pf >= 65) return 1000 + (70 - pf) * 100; // from +10 at 0.70, +1 per step
    return 1500 + (65 - pf) * 200; // from +15 at 0.65, +2 per step
  }
  if (standard === '0.85') {
    if (pf >= 94) return -110;
    if (pf >= 91) return { 93: -95, 92: -80, 91: -65 }[pf]!;
    if (pf >= 86) return -(pf - 85) * 10; // −0.1 per step above 0.85
    if (pf === 85) return 0;
    if (pf >= 65) return (85 - pf) * 50;
    if (pf >= 60) return 1000 + (65 - pf) * 100;
    return 1500 + (60 - pf) * 200;
  }
  if (pf >= 92) return -130;
  if (pf === 91) return -115;
  if (pf >= 81) return -(pf - 80) * 10;
  if (pf === 80) return 0;
  if (pf >= 60) return (80 - pf) * 50;
  if (pf >= 55) return 1000 + (60 - pf) * 100;
  return 1500 + (55 - pf) * 200;
}

const STANDARDS: PowerFactorStandard[] = ['0.90', '0.85', '0.80'];
const asPercent = (hundredths: number): string => dec(hundredths).div(100).toFixed(2);
const pfText = (h: number): string => dec(h).div(100).toFixed(2);

const EVERY_PF = Array.from({ length: 81 }, (_, i) => 20 + i); // 0.20 … 1.00
const TABLE = STANDARDS.flatMap((standard) =>
  EVERY_PF.map((pf) => ({
    pf: pfText(pf),
    standard,
    expected: asPercent(expectedHundredthsOfPercent(pf, standard)),
  })),
);

describe('power factor adjustment table', () => {
  it.each(TABLE)('PF $pf under standard $standard adjusts by $expected%', ({ pf, standard, expected }) => {
    expect(powerFactorAdjustmentPercent(pf, standard)).toBe(expected);
  });

  // Check points from published tables (billing-rules.md §5).
  it.each([
    ['0.66', '0.90', '14.00'],
    ['0.66', '0.85', '9.50'],
    ['0.66', '0.80', '7.00'],
    ['0.60', '0.90', '25.00'],
    ['0.60', '0.85', '15.00'],
    ['0.60', '0.80', '10.00'],
    ['0.32', '0.90', '81.00'],
    ['0.32', '0.85', '71.00'],
    ['0.32', '0.80', '61.00'],
    ['0.26', '0.90', '93.00'],
    ['0.26', '0.85', '83.00'],
    ['0.26', '0.80', '73.00'],
    ['0.89', '0.90', '0.50'],
    ['0.75', '0.90', '7.50'],
    ['0.65', '0.90', '15.00'],
    ['0.64', '0.90', '17.00'],
    ['0.70', '0.90', '10.00'],
    ['0.90', '0.85', '-0.50'],
    ['0.90', '0.80', '-1.00'],
    ['0.95', '0.90', '-0.75'],
    ['0.94', '0.85', '-1.10'],
    ['0.92', '0.80', '-1.30'],
  ] as const)('check point: PF %s under %s gives %s%%', (pf, standard, expected) => {
    expect(powerFactorAdjustmentPercent(pf, standard)).toBe(expected);
  });

  it('keeps the top reduction for every PF above the top row', () => {
    expect(adjustmentBasisPoints(100, '0.90')).toBe(-75);
    expect(adjustmentBasisPoints(99, '0.85')).toBe(-110);
    expect(adjustmentBasisPoints(97, '0.80')).toBe(-130);
  });
});

describe('monthly average power factor', () => {
  it('rounds kWh / √(kWh² + kvarh²) half-up to two decimals', () => {
    // 3 : 4 : 5 triangle: PF exactly 0.60.
    expect(powerFactorHundredths(dec(300), dec(400))).toBe(60);
    expect(powerFactorHundredths(dec(1000), dec(0))).toBe(100);
  });

  // A PF can never sit exactly on a half-hundredth (k/200 with k odd would need k² + m² = 200², impossible
  // for odd k), so what matters is deciding correctly a millionth of a kvarh either side of it.
  it.each([
    [905, 91, 90],
    [895, 90, 89],
    [645, 65, 64],
  ])('decides PF %i/1000 just either side of the rounding boundary', (kwh, justAbove, justBelow) => {
    const kvarhAtBoundary = dec(1000 * 1000 - kwh * kwh).sqrt(); // PF = kwh/1000 to 40 digits
    expect(powerFactorHundredths(dec(kwh), kvarhAtBoundary.minus('0.000001'))).toBe(justAbove);
    expect(powerFactorHundredths(dec(kwh), kvarhAtBoundary.plus('0.000001'))).toBe(justBelow);
  });

  it('is undefined without active energy', () => {
    expect(powerFactorHundredths(dec(0), dec(500))).toBeNull();
  });
});
