import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/**
 * Timers fire on whole milliseconds, and late by up to one more: a bucket that slept until its token is due
 * would grant it a millisecond or two late, every time (2–4 % of the rate at 20 per second). It sleeps until
 * about this long before the token is due instead, and then watches the clock turn by turn of the event
 * loop (other work goes on meanwhile) to grant it on time.
 */
const FINE_WAIT_MS = 2;

/**
 * A token bucket that paces provider calls to a configured rate. The deployed rate per sender instance
 * is the account quota ÷ the queue's maximum concurrency, so all instances together never exceed it.
 *
 * Callers are served in the order they asked, by one timer at a time: a token is granted the moment it is
 * due (see FINE_WAIT_MS), instead of every waiter waking up to race for it.
 */
export class TokenBucket {
  /** Milliseconds per token. */
  private readonly interval: number;
  /**
   * When the next token would be due were the bucket empty (the "theoretical arrival time" of the generic
   * cell rate algorithm, the same bucket kept as a time rather than a token count): the next grant is due at
   * tat − (burst − 1) × interval, and each grant moves tat one interval past max(tat, now).
   */
  private tat: number;
  private readonly waiting: (() => void)[] = [];

  constructor(
    ratePerSecond: number,
    private readonly burst = 1,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.interval = 1000 / ratePerSecond;
    this.tat = this.now();
  }

  /** Waits until a token is available and takes it. */
  take(): Promise<void> {
    if (this.waiting.length === 0 && this.dueIn() <= 0) {
      this.grant();
      return Promise.resolve();
    }
    return new Promise<void>((granted) => {
      this.waiting.push(granted);
      if (this.waiting.length === 1) void this.serve();
    });
  }

  /** Grants the waiting callers in turn, each as soon as its token is due. */
  private async serve(): Promise<void> {
    while (this.waiting.length > 0) {
      const waitMs = this.dueIn();
      if (waitMs <= 0) {
        this.grant();
        this.waiting.shift()!();
      } else if (waitMs >= FINE_WAIT_MS + 1) {
        await sleep(Math.floor(waitMs - FINE_WAIT_MS));
      } else {
        await nextTurn();
      }
    }
  }

  /** Milliseconds until the next token is due (zero or less: available now). */
  private dueIn(): number {
    return this.tat - (this.burst - 1) * this.interval - this.now();
  }

  private grant(): void {
    this.tat = Math.max(this.tat, this.now()) + this.interval;
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

/**
 * Lets at most `size` callers in at a time, in the order they asked; `enter` answers the way out, which
 * may be taken more than once (only the first counts). A paced sender uses it to prepare only the next few
 * notices ahead of the pace: each is claimed, read and rendered just ahead of its token, in turn, instead of
 * a whole batch competing at once for the table (and the first send waiting for all of it), and fewer
 * claimed notices wait unsent should the invocation die.
 */
export class Lookahead {
  private inside = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new RangeError(`size must be a positive integer, got ${size}`);
  }

  async enter(): Promise<() => void> {
    if (this.inside < this.size) this.inside++;
    // A leaving caller hands its place over directly, so `inside` stays counted.
    else await new Promise<void>((admit) => this.waiting.push(admit));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      if (next === undefined) this.inside--;
      else next();
    };
  }
}
