import type { Account } from '#domain/account.ts';
import { BillingInputError, billSummary, computeBill } from '#domain/billing/index.ts';
import { checkPlausibility, plausibilityPolicyFor } from '#domain/billing/plausibility/index.ts';
import { shiftPeriod } from '#domain/calendar/index.ts';
import { checkReadContinuity } from '#domain/continuity.ts';
import { forEachInParallel } from '#domain/in-parallel.ts';
import { meterReadRowToCsvLine } from '#domain/meter-read.ts';
import {
  collapseIdenticalRows,
  mergeMeterReads,
  metersWithoutRead,
  partialBillReason,
  supersededReads,
} from '#domain/meter-set.ts';
import {
  type BillChunkTally,
  type BillingOutcomes,
  type BillingReject,
  outcomesForRunRecord,
  type RunRecord,
} from '#domain/run.ts';
import type { Tariff } from '#domain/tariff.ts';
import { billHistoryAsSent } from './bills-as-sent.ts';
import { appendBillingRejects } from './drop-reports.ts';
import type {
  AccountStore,
  BillChunkMessage,
  BillHoldStore,
  BillStore,
  DropObjectStore,
  MeterReadStore,
  RunStore,
  StagedReadStore,
  TariffStore,
} from './ports/index.ts';

export interface BillChunkDeps {
  runs: Pick<
    RunStore,
    'getRun' | 'recordBillChunk' | 'listBillingRejects' | 'listBillingOutcomes' | 'finishBilling'
  >;
  accounts: Pick<AccountStore, 'getAccounts'>;
  tariffs: Pick<TariffStore, 'getTariffs'>;
  staging: Pick<StagedReadStore, 'getStagedMeterReads'>;
  /** A period's earlier version is read when its latest is held (see billHistoryAsSent). */
  bills: Pick<BillStore, 'getBillHistory' | 'getBill' | 'saveBill'>;
  holds: Pick<BillHoldStore, 'getHold' | 'listHolds' | 'supersedeHold'>;
  meterReads: Pick<MeterReadStore, 'getMeterReads' | 'putMeterReads' | 'deleteMeterReads'>;
  objects: DropObjectStore;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  now?: () => Date;
}

export interface BillChunkResult {
  /** billed: counted into its run now; already-billed: a re-delivery; stale: its run moved on. */
  outcome: 'billed' | 'already-billed' | 'stale';
  tally?: BillChunkTally;
  /** The run, when this chunk was the last one and finished it. */
  finishedRun?: RunRecord;
}

/** Accounts of one chunk billed at a time: each waits on a few table round trips. */
const ACCOUNTS_IN_PARALLEL = 4;
/** Earlier periods an account's bill compares itself with (a year, plus the same month last year). */
const HISTORY_PERIODS = 13;

/**
 * Phase two of a meter-read drop: bills the accounts of one chunk from their staged rows, stores each
 * bill (a new version only when its content changed) and the rows as the meters' reads, and counts the
 * chunk into its run once. The chunk that completes the run finishes it: the reject report gets the
 * rows billing refused, and the run is SUCCEEDED.
 *
 * Safe to run again for the same message: bills and reads are stored idempotently, and the chunk's
 * marker item makes its counts count once.
 */
export async function billAccountChunk(
  message: BillChunkMessage,
  deps: BillChunkDeps,
): Promise<BillChunkResult> {
  const { runs } = deps;
  const log = deps.log ?? (() => {});
  const run = await runs.getRun(message.runId);
  if (run?.status !== 'BILLING' || run.billing?.attempt !== message.attempt) {
    log('chunk of a run that is no longer billing it', {
      runId: message.runId,
      chunk: message.chunk,
      status: run?.status,
    });
    return { outcome: 'stale' };
  }

  const ids = message.accounts.map((a) => a.accountId);
  const accounts = await deps.accounts.getAccounts(ids);
  const tariffs = await deps.tariffs.getTariffs([...new Set([...accounts.values()].map((a) => a.tariffId))]);
  const tally: BillChunkTally = {
    accountsBilled: 0,
    billsCreated: 0,
    billsUnchanged: 0,
    continuityBreaks: 0,
    rowsRejected: 0,
    billsHeld: 0,
    accountsNotBilled: 0,
  };
  const rejects: BillingReject[] = [];
  const outcomes: BillingOutcomes = { held: [], notBilled: [] };
  await forEachInParallel(message.accounts, ACCOUNTS_IN_PARALLEL, async ({ accountId, period }) => {
    const outcome = await billOneAccount(
      message.runId,
      accountId,
      period,
      accounts.get(accountId),
      tariffs,
      deps,
    );
    if (outcome.kind === 'rejected') {
      tally.rowsRejected += outcome.rejects.length;
      rejects.push(...outcome.rejects);
      tally.accountsNotBilled++;
      outcomes.notBilled.push({ accountId, period, reason: outcome.rejects[0]?.reason ?? '' });
      return;
    }
    tally.accountsBilled++;
    tally.continuityBreaks += outcome.continuityBreaks;
    if (outcome.created) tally.billsCreated++;
    else tally.billsUnchanged++;
    if (outcome.held !== undefined) {
      tally.billsHeld++;
      outcomes.held.push({ accountId, period, version: outcome.version, reasons: outcome.held });
    }
  });

  const recorded = await runs.recordBillChunk(
    message.runId,
    message.attempt,
    message.chunk,
    tally,
    rejects,
    outcomes,
  );
  if (recorded === 'stale') return { outcome: 'stale' };
  const finishedRun = await finishRunIfComplete(message.runId, message.attempt, deps);
  log('chunk billed', { runId: message.runId, chunk: message.chunk, recorded, ...tally });
  return {
    outcome: recorded === 'recorded' ? 'billed' : 'already-billed',
    tally,
    ...(finishedRun === undefined ? {} : { finishedRun }),
  };
}

type AccountOutcome =
  | {
      kind: 'billed';
      created: boolean;
      continuityBreaks: number;
      version: number;
      /** The reasons its latest version is held for review; undefined when it is not held. */
      held?: { rule: string; message: string }[];
    }
  | { kind: 'rejected'; rejects: BillingReject[] };

async function billOneAccount(
  runId: string,
  accountId: string,
  period: string,
  account: Account | undefined,
  tariffs: Tariff[],
  stores: Pick<BillChunkDeps, 'staging' | 'bills' | 'meterReads' | 'holds'>,
): Promise<AccountOutcome> {
  const staged = await stores.staging.getStagedMeterReads(runId, accountId, period);
  if (staged.length === 0) {
    // Staged rows live for days; none means they expired or were never written. Retrying is the only
    // honest answer, and the dead-letter queue's alarm tells an operator when it keeps failing.
    throw new Error(`no staged meter reads for account ${accountId} ${period} in run ${runId}`);
  }
  const rejectAll = (column: string | null, reason: string): AccountOutcome => ({
    kind: 'rejected',
    rejects: staged.map((e) => ({
      rowNumber: e.rowNumber,
      column,
      reason,
      raw: meterReadRowToCsvLine(e.row),
    })),
  });
  // Known when the drop was read; deleted since.
  if (account === undefined)
    return rejectAll('account_id', `account ${accountId} is not a known key account`);

  // The same row twice in a drop is one read; two different rows of one meter and read type stay, and
  // the engine refuses them.
  const carried = collapseIdenticalRows(staged).map((e) => e.row);
  try {
    const [history, previousReads, storedReads] = await Promise.all([
      billHistoryAsSent(accountId, period, HISTORY_PERIODS, stores),
      stores.meterReads.getMeterReads(accountId, shiftPeriod(period, -1)),
      stores.meterReads.getMeterReads(accountId, period),
    ]);
    // A drop may carry some of the account's meters only (a correction, or a row of another meter rejected
    // at reading): the bill is of every meter, from the stored reads with the carried ones replaced, and
    // no bill at all while a meter the account is known to have is unread.
    const reads = mergeMeterReads(storedReads, carried);
    const missing = metersWithoutRead(reads, previousReads);
    if (missing.length > 0) return rejectAll('meter_id', partialBillReason(accountId, period, missing));
    const bill = computeBill({
      account,
      tariffs,
      reads,
      period,
      // No read or bill before this period, sent or not: a meter_in with no meter_out to pair is a new
      // connection.
      firstPeriod: previousReads.length === 0 && history.latest.length === 0,
      // Compared with what the customer was sent: a held version (a ×10 multiplier, say) is not the
      // yardstick that lets the next wrong month through or holds a right one.
      history: history.sent.map((b) => billSummary(b.document)),
    });
    const breaks = checkReadContinuity(reads, previousReads);
    bill.findings.push(...breaks);
    // Checked before the version is stored, and stored with it: no preview is planned for a held bill.
    const policy = plausibilityPolicyFor(period);
    const reasons = checkPlausibility({ bill, account, reads, policy });
    const hold = reasons.length === 0 ? undefined : { reasons, policyVersion: policy.version };
    const saved = await stores.bills.saveBill(bill, runId, hold);
    await stores.meterReads.putMeterReads(carried, runId);
    // After the put: a retry after a crash between the two still finds and deletes what was superseded.
    await stores.meterReads.deleteMeterReads(supersededReads(storedReads, carried));
    await supersedeEarlierHolds(accountId, period, saved.version, stores.holds);
    // A bill this run stored on an earlier attempt at the chunk is still this run's new bill.
    const created = saved.outcome === 'created' || saved.runId === runId;
    const held = await heldReasons(accountId, period, saved.version, stores.holds);
    return {
      kind: 'billed',
      created,
      continuityBreaks: breaks.length,
      version: saved.version,
      ...(held === undefined ? {} : { held }),
    };
  } catch (error) {
    if (!(error instanceof BillingInputError)) throw error;
    return rejectAll(error.field, error.message);
  }
}

/**
 * A corrected drop replaces a held version: the newer version was checked on its own, and the older one
 * can no longer be released (its preview would be of a superseded bill).
 */
async function supersedeEarlierHolds(
  accountId: string,
  period: string,
  version: number,
  holds: BillChunkDeps['holds'],
): Promise<void> {
  if (version === 1) return;
  for (const hold of await holds.listHolds(accountId, period)) {
    if (hold.status === 'HELD' && hold.version < version) await holds.supersedeHold(hold, version);
  }
}

/** Why the account's current version is held (whoever stored it), undefined when it may be sent. */
async function heldReasons(
  accountId: string,
  period: string,
  version: number,
  holds: BillChunkDeps['holds'],
): Promise<{ rule: string; message: string }[] | undefined> {
  const hold = await holds.getHold(accountId, period, version);
  if (hold?.status !== 'HELD') return undefined;
  return hold.reasons.map((r) => ({ rule: r.rule, message: r.message }));
}

/** Finishes the run when every chunk is counted; undefined while chunks are outstanding. */
async function finishRunIfComplete(
  runId: string,
  attempt: string,
  deps: BillChunkDeps,
): Promise<RunRecord | undefined> {
  const { runs } = deps;
  const now = deps.now ?? (() => new Date());
  const run = await runs.getRun(runId);
  const billing = run?.billing;
  if (run?.status !== 'BILLING' || billing?.attempt !== attempt || billing.chunksDone < billing.chunksTotal) {
    return undefined;
  }
  let rejectReportKey = run.rejectReportKey;
  if (billing.rowsRejected > 0) {
    rejectReportKey = await appendBillingRejects(
      { bucket: run.bucket, key: run.key },
      run.readingRejectsBytes,
      await runs.listBillingRejects(runId, attempt),
      deps.objects,
    );
  }
  const read = run.counts ?? { rows: 0, accepted: 0, rejected: 0 };
  const finished: RunRecord = {
    ...run,
    status: 'SUCCEEDED',
    finishedAt: now().toISOString(),
    counts: {
      rows: read.rows,
      accepted: read.accepted - billing.rowsRejected,
      rejected: read.rejected + billing.rowsRejected,
      accountsBilled: billing.accountsBilled,
      billsCreated: billing.billsCreated,
      billsUnchanged: billing.billsUnchanged,
      continuityBreaks: billing.continuityBreaks,
      billsHeld: billing.billsHeld,
      accountsNotBilled: billing.accountsNotBilled,
    },
    ...outcomesForRunRecord(await runs.listBillingOutcomes(runId, attempt)),
    ...(rejectReportKey === undefined ? {} : { rejectReportKey }),
  };
  return (await runs.finishBilling(finished)) ? finished : undefined;
}
