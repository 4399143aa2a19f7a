import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Lookahead, paceFromEnv, TokenBucket } from '#services/pacing.ts';

/*
 * Virtual time: the bucket's clock is injected, and its only ways to wait (setTimeout and setImmediate from
 * node:timers/promises) are replaced by timers on that clock, so nothing here waits for real time. A turn of
 * the event loop (setImmediate) takes a quarter of a millisecond of it.
 */
const virtual = vi.hoisted(() => ({
  now: 0,
  timers: [] as { at: number; wake: () => void }[],
  turns: 0,
  turnMs: 0.25,
}));
const TURN_MS = virtual.turnMs;

vi.mock('node:timers/promises', () => ({
  setTimeout: (ms: number) =>
    new Promise<void>((wake) => {
      virtual.timers.push({ at: virtual.now + ms, wake });
    }),
  setImmediate: () =>
    new Promise<void>((wake) => {
      virtual.turns++;
      virtual.timers.push({ at: virtual.now + virtual.turnMs, wake });
    }),
}));

const clock = () => virtual.now;
/** One turn of the event loop: every pending promise continuation runs (real, but no time passes). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the given takers to completion, moving virtual time to each next timer when all are blocked. */
async function runTakers(bucket: TokenBucket, count: number, grants: number[]) {
  let finished = 0;
  for (let i = 0; i < count; i++) {
    void bucket.take().then(() => {
      grants.push(virtual.now);
      finished++;
    });
  }
  for (let guard = 0; finished < count; guard++) {
    if (guard > 100_000) throw new Error('takers never finished');
    await settle();
    if (finished === count) break;
    virtual.timers.sort((a, b) => a.at - b.at);
    const next = virtual.timers.shift();
    if (next === undefined) continue;
    virtual.now = Math.max(virtual.now, next.at);
    next.wake();
  }
}

/** The most grants in any window [grants[i], grants[j]] minus what rate × window + burst allows. */
function worstExcess(grants: readonly number[], rate: number, burst: number): number {
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < grants.length; i++) {
    for (let j = i; j < grants.length; j++) {
      const allowed = (rate * (grants[j]! - grants[i]!)) / 1000 + burst;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
}

beforeEach(() => {
  virtual.now = 0;
  virtual.timers.length = 0;
  virtual.turns = 0;
});

describe('TokenBucket pacing (virtual clock)', () => {
  it('lets the first take through at once and then one every 1/rate seconds', async () => {
    const bucket = new TokenBucket(20, 1, clock);
    const grants: number[] = [];
    for (let i = 0; i < 5; i++) await runTakers(bucket, 1, grants);
    expect(grants).toEqual([0, 50, 100, 150, 200]);
  });

  it('lets a full burst through at once, then paces the rest', async () => {
    const bucket = new TokenBucket(10, 3, clock);
    const grants: number[] = [];
    await runTakers(bucket, 5, grants);
    expect(grants).toEqual([0, 0, 0, 100, 200]);
  });

  it('refills while idle, but never beyond the burst', async () => {
    const bucket = new TokenBucket(10, 2, clock);
    const grants: number[] = [];
    await runTakers(bucket, 2, grants);
    virtual.now += 60_000;
    await runTakers(bucket, 3, grants);
    expect(grants).toEqual([0, 0, 60_000, 60_000, 60_100]);
  });

  it('never grants more than rate × t + burst in any window, whatever the callers do', async () => {
    const step = fc.oneof(
      fc.record({ idleMs: fc.integer({ min: 0, max: 3_000 }) }),
      fc.record({ takers: fc.integer({ min: 1, max: 12 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        async (rate, burst, steps) => {
          virtual.now = 0;
          virtual.timers.length = 0;
          const bucket = new TokenBucket(rate, burst, clock);
          const grants: number[] = [];
          for (const s of steps) {
            if ('idleMs' in s) virtual.now += s.idleMs;
            else await runTakers(bucket, s.takers, grants);
          }
          expect(worstExcess(grants, rate, burst)).toBeLessThanOrEqual(1e-9);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('does not hold callers back longer than the rate requires (whole-millisecond timer rounding aside)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 40 }),
        async (rate, burst, takers) => {
          virtual.now = 0;
          virtual.timers.length = 0;
          const bucket = new TokenBucket(rate, burst, clock);
          const grants: number[] = [];
          await runTakers(bucket, takers, grants);
          const paced = Math.max(0, takers - burst);
          expect(grants).toHaveLength(takers);
          expect(Math.max(...grants)).toBeLessThanOrEqual(paced * (1000 / rate + 1));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('serves waiting callers in the order they asked', async () => {
    const bucket = new TokenBucket(20, 1, clock);
    const order: number[] = [];
    const takers = Array.from({ length: 6 }, (_, i) => bucket.take().then(() => order.push(i)));
    for (let guard = 0; order.length < takers.length && guard < 10_000; guard++) {
      await settle();
      virtual.timers.sort((a, b) => a.at - b.at);
      const next = virtual.timers.shift();
      if (next === undefined) continue;
      virtual.now = Math.max(virtual.now, next.at);
      next.wake();
    }
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('grants a token when it is due, not a whole-millisecond timer later (one turn of the event loop at most)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.integer({ min: 2, max: 30 }),
        async (rate, takers) => {
          virtual.now = 0;
          virtual.timers.length = 0;
          const bucket = new TokenBucket(rate, 1, clock);
          const grants: number[] = [];
          await runTakers(bucket, takers, grants);
          // With a burst of one each token is due an interval after the previous grant.
          for (let i = 1; i < grants.length; i++) {
            const gap = grants[i]! - grants[i - 1]!;
            expect(gap).toBeGreaterThanOrEqual(1000 / rate - 1e-6);
            expect(gap).toBeLessThanOrEqual(1000 / rate + TURN_MS + 1e-6);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('sleeps through most of the wait: watches the clock only for its last couple of milliseconds', async () => {
    const bucket = new TokenBucket(1, 1, clock);
    const grants: number[] = [];
    await runTakers(bucket, 3, grants);
    expect(grants).toEqual([0, 1000, 2000]);
    // Two waits of a second each: a long sleep, then about 2 ms / 0.25 ms turns apiece.
    expect(virtual.turns).toBeLessThanOrEqual(2 * (2 / TURN_MS + 1));
  });

  it('rejects a rate that is not positive', () => {
    expect(() => new TokenBucket(0)).toThrow(RangeError);
    expect(() => new TokenBucket(-5)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.NaN)).toThrow(RangeError);
  });
});

describe('paceFromEnv', () => {
  it.each([undefined, ''])('leaves sending unpaced when the rate is %j', (value) => {
    expect(paceFromEnv(value)).toBeUndefined();
  });

  it('returns a bucket for a positive rate, fractional rates included', () => {
    expect(paceFromEnv('20')).toBeInstanceOf(TokenBucket);
    expect(paceFromEnv('0.5')).toBeInstanceOf(TokenBucket);
  });

  it.each(['0', '-1', 'fast', 'Infinity'])('rejects %j as a rate', (value) => {
    expect(() => paceFromEnv(value)).toThrow(RangeError);
  });
});

describe('Lookahead', () => {
  it('lets at most `size` callers in at once, the others in the order they asked as places free up', async () => {
    const lookahead = new Lookahead(2);
    const inside = new Set<number>();
    const entered: number[] = [];
    const leaves = new Map<number, () => void>();
    for (let i = 0; i < 5; i++) {
      void lookahead.enter().then((leave) => {
        inside.add(i);
        entered.push(i);
        leaves.set(i, () => {
          inside.delete(i);
          leave();
        });
      });
    }
    await settle();
    expect(entered).toEqual([0, 1]);
    leaves.get(1)!();
    await settle();
    expect(entered).toEqual([0, 1, 2]);
    // Leaving twice frees one place only.
    leaves.get(0)!();
    leaves.get(0)!();
    await settle();
    expect(entered).toEqual([0, 1, 2, 3]);
    expect(inside.size).toBe(2);
    leaves.get(2)!();
    leaves.get(3)!();
    await settle();
    expect(entered).toEqual([0, 1, 2, 3, 4]);
    leaves.get(4)!();
    // Empty again: the next callers get in at once.
    const again = await Promise.all([lookahead.enter(), lookahead.enter()]);
    expect(again).toHaveLength(2);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects %j as a size', (size) => {
    expect(() => new Lookahead(size)).toThrow(RangeError);
  });
});
