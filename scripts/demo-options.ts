import { periodBefore, shanghaiDate } from '#domain/calendar/index.ts';
import { Period } from '#domain/primitives.ts';
import { clip } from '#services/operator-command-schema.ts';

/** The most accounts a demo generates: the local stack on one machine, in a few minutes. */
export const MAX_DEMO_ACCOUNTS = 5_000;

export interface DemoOptions {
  accounts: number;
  /** Undefined: last month in Asia/Shanghai, as the billing cycle picks it. */
  period: string | undefined;
}

/**
 * The demo's `--accounts` and `--period`, checked before the local stack starts: a count that is not a
 * whole number in range, or a period that is not YYYY-MM or has not ended yet (its meter reads would be
 * in the future, and every row refused), stops it with a line saying which option and why.
 */
export function demoOptions(
  values: { accounts: string; period?: string | undefined },
  now: Date,
): DemoOptions {
  const accounts = /^\d{1,6}$/.test(values.accounts) ? Number(values.accounts) : Number.NaN;
  if (!(accounts >= 1 && accounts <= MAX_DEMO_ACCOUNTS)) {
    throw new Error(
      `--accounts ${quoted(values.accounts)} is not a whole number from 1 to ${MAX_DEMO_ACCOUNTS}`,
    );
  }
  const { period } = values;
  if (period !== undefined) {
    if (!Period.safeParse(period).success) throw new Error(`--period ${quoted(period)} is not YYYY-MM`);
    const lastEnded = periodBefore(shanghaiDate(now));
    if (period > lastEnded) {
      throw new Error(
        `--period ${period} has not ended in Asia/Shanghai (the latest that has is ${lastEnded}): its meter reads would be in the future`,
      );
    }
  }
  return { accounts, period };
}

/** An option's value as an error quotes it: one line (JSON-quoted), cut after 40 characters. */
const quoted = (value: string): string => JSON.stringify(clip(value, 40));
