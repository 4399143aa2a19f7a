import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A token bucket that paces provider calls to a configured rate. The deployed rate per sender instance
 * is the account quota ÷ the queue's maximum concurrency, so all instances together never exceed it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst = 1,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.last = this.now();
  }

  /** Waits until a token is available and takes it. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    }
  }
}

/** A pace from configuration: messages per second for this instance, or none (unpaced) when unset. */
export function paceFromEnv(value: string | undefined): TokenBucket | undefined {
  if (value === undefined || value === '') return undefined;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new RangeError(`expected a positive messages-per-second rate, got ${value}`);
  return new TokenBucket(rate);
}
