import { describe, expect, it } from 'vitest';
import { forEachInParallel } from '#domain/in-parallel.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('forEachInParallel', () => {
  it('visits every item once, never more than the limit at a time', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    await forEachInParallel([...Array(25).keys()], 4, async (item) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      seen.push(item);
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(25).keys()]);
    expect(most).toBe(4);
  });

  it('passes each item with its index', async () => {
    const pairs: [string, number][] = [];
    await forEachInParallel(['a', 'b', 'c'], 2, async (item, index) => {
      pairs.push([item, index]);
    });
    expect(pairs.sort()).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('does nothing for no items', async () => {
    let calls = 0;
    await forEachInParallel([], 8, async () => {
      calls++;
    });
    expect(calls).toBe(0);
  });

  it.each([0, -3, Number.NaN, 0.5])('runs one at a time when the limit is %s', async (limit) => {
    let inFlight = 0;
    let most = 0;
    await forEachInParallel([1, 2, 3], limit, async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      inFlight--;
    });
    expect(most).toBe(1);
  });

  it('rejects with the first failure and starts no further item', async () => {
    const started: number[] = [];
    const run = forEachInParallel([...Array(10).keys()], 2, async (item) => {
      started.push(item);
      await tick();
      if (item === 1) throw new Error('item 1 failed');
    });
    await expect(run).rejects.toThrow('item 1 failed');
    expect(started.length).toBeLessThan(10);
  });
});
