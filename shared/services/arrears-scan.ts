import {
  type ArrearsPolicy,
  daysOfCoverageLeft,
  officialCoverageEnd,
  scanAccount,
} from '#domain/arrears/index.ts';
import { forEachInParallel } from '#domain/in-parallel.ts';
import { type ArrearsDeps, step } from './arrears-step.ts';
import type { AccountStore, ArrearsChunkMessage, ArrearsChunkQueue } from './ports/index.ts';

/* The daily arrears scan: fanned out in chunks of accounts, then each account's step on the ladder. */

/**
 * Accounts per arrears-chunk message: a few table round trips each, so a chunk takes seconds and a
 * province's 100,000 accounts are 1,000 small units of retry.
 */
export const DEFAULT_ARREARS_ACCOUNTS_PER_CHUNK = 100;
/** Accounts of one chunk stepped at a time. */
const ARREARS_ACCOUNTS_IN_PARALLEL = 4;

/**
 * The daily scan (09:00 Asia/Shanghai), first half: every account, in chunks, on the arrears-chunk
 * queue, so that many instances take the steps (scanAccountsForArrears) instead of one that would not
 * get through a province in 15 minutes. Running it twice is harmless: a step taken today is not taken
 * again (the ladder moves at most one level a day, and notices are idempotent by their warning id).
 */
export async function fanOutDailyArrearsScan(
  today: string,
  deps: {
    accounts: Pick<AccountStore, 'listAccounts'>;
    chunks: ArrearsChunkQueue;
    accountsPerChunk?: number;
    policy?: ArrearsPolicy;
  },
) {
  const accountIds = (await deps.accounts.listAccounts()).map((a) => a.accountId);
  const perChunk = Math.max(1, deps.accountsPerChunk ?? DEFAULT_ARREARS_ACCOUNTS_PER_CHUNK);
  const messages: ArrearsChunkMessage[] = [];
  for (let i = 0; i < accountIds.length; i += perChunk) {
    messages.push({ today, chunk: messages.length, accountIds: accountIds.slice(i, i + perChunk) });
  }
  await deps.chunks.enqueue(messages);
  return {
    today,
    accounts: accountIds.length,
    chunks: messages.length,
    ...calendarCoverage(today, deps.policy),
  };
}

/**
 * How long the official working-day calendar still covers (billing-rules.md §8): the scan reports it
 * every day, a metric alarms `coverageWarningDays` (60) before it ends, and `coverageEndsSoon` says so.
 */
export function calendarCoverage(today: string, policy: ArrearsPolicy | undefined) {
  if (policy === undefined) return {};
  const left = daysOfCoverageLeft(today, policy.disconnection);
  if (left === null) return {};
  return {
    calendarCoveredUntil: officialCoverageEnd(),
    calendarCoverageDaysLeft: left,
    coverageEndsSoon: left <= policy.disconnection.coverageWarningDays,
  };
}

/** The daily scan, second half: each account's next step on the ladder today, and plans due. */
export async function scanAccountsForArrears(
  today: string,
  accountIds: readonly string[],
  deps: ArrearsDeps,
) {
  const totals = { accounts: 0, warnings: 0, enqueued: 0, cancellations: 0 };
  await forEachInParallel(accountIds, ARREARS_ACCOUNTS_IN_PARALLEL, async (accountId) => {
    const done = await step(accountId, deps, (snapshot) => scanAccount(snapshot, today, deps.policy));
    if (done === undefined) return;
    totals.accounts++;
    totals.warnings += done.warnings;
    totals.enqueued += done.enqueued;
    totals.cancellations += done.cancellations;
  });
  return totals;
}
