import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as F from '#domain/decimal/fixed-point.ts';
import { Dec } from '#domain/money.ts';

describe('fixed-point arithmetic', () => {
  const decimalText = fc
    .tuple(
      fc.boolean(),
      fc.stringMatching(/^(0|[1-9]\d{0,44})$/),
      fc.option(fc.stringMatching(/^\d{1,44}$/), { nil: undefined }),
    )
    .map(
      ([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`,
    );

  it('gives what decimal.js (40 digits, half-up) gives for every operation the engine uses', () => {
    fc.assert(
      fc.property(decimalText, decimalText, fc.integer({ min: 0, max: 6 }), (a, b, dp) => {
        const [x, y, fa, fb] = [new Dec(a), new Dec(b), F.fx(a), F.fx(b)];
        expect(F.toFixed(F.plus(fa, fb))).toBe(x.plus(y).toFixed());
        expect(F.toFixed(F.minus(fa, fb))).toBe(x.minus(y).toFixed());
        expect(F.toFixed(F.times(fa, fb))).toBe(x.times(y).toFixed());
        if (!y.isZero()) {
          expect(F.toFixed(F.div(fa, fb))).toBe(x.div(y).toFixed());
          expect(F.toFixed(F.times(F.div(fa, fb), fb))).toBe(x.div(y).times(y).toFixed());
        }
        expect(F.cmp(fa, fb)).toBe(x.cmp(y));
        expect(F.toFixed(fa, dp)).toBe(x.toFixed(dp));
        expect(F.toFixed(F.toDP(fa, dp))).toBe(x.toDecimalPlaces(dp).toFixed());
        expect(F.toFixed(F.toDP(fa, dp, true))).toBe(x.toDecimalPlaces(dp, Dec.ROUND_DOWN).toFixed());
        expect(F.decimalPlaces(fa)).toBe(x.decimalPlaces());
      }),
      { numRuns: 1500 },
    );
  });

  it.each([
    ['-0.001', 2, '-0.00'],
    ['0.005', 2, '0.01'],
    ['-0.005', 2, '-0.01'],
    ['1.5', 0, '2'],
    ['12', 3, '12.000'],
  ])('prints %s with %i decimals as %s', (value, dp, printed) => {
    expect(F.toFixed(F.fx(value), dp)).toBe(printed);
    expect(new Dec(value).toFixed(dp)).toBe(printed);
  });
});

describe('exact sums, decimal texts and integer rounding (the key-account ranking)', () => {
  it('adds without rounding at 40 significant digits, aligning scales', () => {
    const sum = new F.ExactSum();
    sum.add(F.fx('1234567890123456789012345678901234567890')).add(F.fx('0.5')).add(F.fx('-0.25'));
    expect(F.toFixed(sum.value)).toBe('1234567890123456789012345678901234567890.25');
    expect(F.toFixed(new F.ExactSum().value)).toBe('0');
  });

  it.each([
    ['12.50', '12.5'],
    [' 7 ', '7'],
    ['-0.001', '-0.001'],
  ])('reads %j as %s', (text, value) => {
    expect(F.toFixed(F.parseDecimal(text))).toBe(value);
  });

  it.each(['', '1.', '.5', '1e3', 'abc', ' '])('refuses %j', (text) => {
    expect(() => F.parseDecimal(text)).toThrow('not a decimal');
  });

  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 3n, 1n],
    [-7n, -2n, 4n],
    [1n, 3n, 0n],
  ])('%i ÷ %i rounds half away from zero to %i', (n, d, q) => {
    expect(F.divideHalfUp(n, d)).toBe(q);
  });
});
