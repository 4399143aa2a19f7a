import { describe, expect, it } from 'vitest';
import { rejectsThatFit } from '#adapters/dynamodb/runs.ts';
import type { BillingReject } from '#domain/run.ts';

const reject = (rowNumber: number, rawLength: number): BillingReject => ({
  rowNumber,
  column: 'meter_id',
  reason: `meter M-${rowNumber} has two actual reads in 2026-10`,
  raw: 'x'.repeat(rawLength),
});
const bytes = (rejects: BillingReject[]) => Buffer.byteLength(JSON.stringify(rejects));

describe("a chunk marker's rejected rows", () => {
  it('keeps a few rows whole', () => {
    const rejects = [reject(1, 300), reject(2, 900)];
    expect(rejectsThatFit(rejects)).toEqual(rejects);
  });

  it('cuts raw text longer than 1 KB even when there is room', () => {
    const [stored] = rejectsThatFit([reject(1, 5_000)]);
    expect(stored?.raw).toHaveLength(1025);
    expect(stored?.raw.endsWith('…')).toBe(true);
  });

  it.each([
    [500, 1_000],
    [2_000, 1_000],
    [1_500, 40],
  ])(
    'fits %i rows of %i raw characters in 300 KB, keeping every row number, column and reason',
    (rows, raw) => {
      const rejects = Array.from({ length: rows }, (_, i) => reject(i + 1, raw));
      const stored = rejectsThatFit(rejects);
      expect(bytes(stored)).toBeLessThanOrEqual(300_000);
      expect(stored.map(({ raw: _, ...rest }) => rest)).toEqual(rejects.map(({ raw: _, ...rest }) => rest));
    },
  );

  it('refuses, naming the count, when even the reasons alone would not fit', () => {
    const rejects = Array.from({ length: 5_000 }, (_, i) => reject(i + 1, 10));
    expect(() => rejectsThatFit(rejects)).toThrow(/5000 rejected rows do not fit/);
  });
});
