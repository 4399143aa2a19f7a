import { setTimeout as sleep } from 'node:timers/promises';

/** How often, and how patiently, to re-send what a batch call left undone. */
export interface ResendPolicy {
  maxRounds: number;
  /** Backoff before round r (r ≥ 1) is a random share (full jitter) of baseDelayMs × 2^r, at most maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs?: number;
}

/**
 * Sends a batch and re-sends, with exponential backoff and full jitter, whatever the service reports as
 * not done (DynamoDB's unprocessed items and keys, SQS's failed entries: throttling answers with those
 * rather than with an error). Throws `giveUp(left)` when items are still undone after maxRounds.
 */
export async function resendUntilDone<T>(
  items: readonly T[],
  send: (batch: readonly T[]) => Promise<readonly T[]>,
  policy: ResendPolicy,
  giveUp: (left: number) => Error,
): Promise<void> {
  let pending = items;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= policy.maxRounds) throw giveUp(pending.length);
    if (round > 0) {
      const backoff = policy.baseDelayMs * 2 ** round;
      await sleep(Math.random() * Math.min(policy.maxDelayMs ?? backoff, backoff));
    }
    pending = await send(pending);
  }
}
