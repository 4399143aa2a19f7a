import { describe, expect, it } from 'vitest';
import { formatYuan, sum, toFen } from '#domain/money.ts';

describe('money', () => {
  it('rounds half-up to the fen', () => {
    expect(toFen('2.345').toFixed(2)).toBe('2.35');
    expect(toFen('2.344').toFixed(2)).toBe('2.34');
    expect(toFen('-2.345').toFixed(2)).toBe('-2.35');
  });

  it('adds decimals exactly where binary floats drift', () => {
    expect(sum(['0.1', '0.2']).toString()).toBe('0.3');
    expect(formatYuan(sum(['1000000.01', '0.02']))).toBe('1000000.03');
  });
});
