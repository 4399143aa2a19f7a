import { meterReadRowToCsvLine } from '#domain/meter-read.ts';
import type { ReadWindow } from '#domain/meter-read-bounds.ts';
import type { HeldAccount, NotBilledAccount, RunRecord, StagedRead } from '#domain/run.ts';
import { DropFileError, METER_READ_FEED, meterReadFeed, readDrop } from '#ingest/index.ts';
import { type RowReject, rejectWholeDrop, writeRejectReport } from './drop-reports.ts';
import type {
  AccountStore,
  BillChunkMessage,
  BillChunkQueue,
  DropObjectStore,
  DropRef,
  OpenedDrop,
  RunStore,
  StagedReadStore,
} from './ports/index.ts';

export { type RowReject, rejectReportKeyFor } from './drop-reports.ts';

export interface MeterReadDropResult {
  runId: string;
  /**
   * billing: read and staged, its accounts handed to bill-chunk; processed: finished (nothing to bill,
   * or — in results built from a finished run — billed); duplicate: this content was already run;
   * rejected: a file-level problem.
   */
  outcome: 'billing' | 'processed' | 'duplicate' | 'rejected';
  rows: number;
  accepted: number;
  rejected: number;
  /** Account-periods handed to billing, in how many chunks. */
  accountPeriods?: number;
  chunks?: number;
  accountsBilled: number;
  billsCreated: number;
  billsUnchanged: number;
  /** Rows whose start readings do not continue the meter's last stored end readings (billed anyway). */
  continuityBreaks?: number;
  /** Accounts whose new bill is held for review (no preview sent), and which with why (from the run). */
  billsHeld?: number;
  held?: HeldAccount[];
  /** Accounts of the drop that got no bill, and which with why (from the run). */
  accountsNotBilled?: number;
  notBilled?: NotBilledAccount[];
  rejectReportKey?: string;
  reason?: string;
}

export interface RunDropDeps {
  runs: Pick<RunStore, 'claimRun' | 'finishRun' | 'startBilling'>;
  accounts: Pick<AccountStore, 'getAccounts'>;
  staging: Pick<StagedReadStore, 'stageMeterReads'>;
  objects: DropObjectStore;
  /** Where the accounts to bill go (bill-chunk's queue). */
  chunks: BillChunkQueue;
  /** Accounts per chunk message. @default DEFAULT_ACCOUNTS_PER_CHUNK */
  accountsPerChunk?: number;
  /** The periods and read times a drop may carry. @default DEFAULT_READ_WINDOW */
  readWindow?: ReadWindow;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  now?: () => Date;
}

/** A run that has been reading or billing longer than it can take crashed; a re-delivery may take it over. */
export const STALE_RUN_MS = 20 * 60 * 1000;
/** Staged rows outlive any billing (a chunk retried from the dead-letter queue after a holiday) and then go. */
const STAGED_READ_DAYS = 14;
/** Rows staged per write round: bounds memory whatever the drop's size. */
const STAGE_BATCH_ROWS = 2_000;
/**
 * Accounts per bill-chunk message: ~50 bills take a few seconds, so one chunk is a small unit of retry
 * and many run in parallel.
 */
export const DEFAULT_ACCOUNTS_PER_CHUNK = 50;

/**
 * Reads one meter-read drop (phase one of two): streams and validates the rows, stages every valid row
 * of a known account in the table, writes the reject report, and hands the drop's accounts to the bill
 * fan-out in chunks (billAccountChunk is phase two). Memory stays flat in the number of rows: only the
 * set of account-periods is kept (and, for a drop with metering points, each point's account and each
 * meter's point).
 *
 * Exactly once: the run is keyed by the object's ETag (same content, any key); a re-delivered drop
 * finds its run and does nothing.
 */
export async function runMeterReadDrop(ref: DropRef, deps: RunDropDeps): Promise<MeterReadDropResult> {
  const { runs } = deps;
  const log = deps.log ?? (() => {});
  const now = deps.now ?? (() => new Date());
  const drop = await deps.objects.open(ref);
  const runId = `meter-reads#${drop.etag}`;
  const run: RunRecord = {
    runId,
    feed: 'meter-reads',
    bucket: ref.bucket,
    key: ref.key,
    etag: drop.etag,
    status: 'RUNNING',
    startedAt: now().toISOString(),
  };
  const claim = await runs.claimRun(run, { staleAfterMs: STALE_RUN_MS });
  if (!claim.claimed) {
    drop.body.destroy();
    log('drop already processed', { runId, status: claim.existing?.status });
    const counts = claim.existing?.counts;
    return {
      runId,
      outcome: 'duplicate',
      rows: counts?.rows ?? 0,
      accepted: counts?.accepted ?? 0,
      rejected: counts?.rejected ?? 0,
      ...NOTHING_BILLED,
    };
  }

  try {
    return await readAndHandToBilling(ref, drop, run, { ...deps, log, now });
  } catch (error) {
    if (error instanceof DropFileError) {
      const rejectReportKey = await rejectWholeDrop(ref, run, error.message, { ...deps, now });
      return {
        runId,
        outcome: 'rejected',
        rows: 0,
        accepted: 0,
        rejected: 0,
        ...NOTHING_BILLED,
        rejectReportKey,
        reason: error.message,
      };
    }
    await runs.finishRun({
      ...run,
      status: 'FAILED',
      finishedAt: now().toISOString(),
      reason: (error as Error).message,
    });
    throw error;
  }
}

const NOTHING_BILLED = { accountsBilled: 0, billsCreated: 0, billsUnchanged: 0 } as const;

type ClaimedDropDeps = RunDropDeps & Required<Pick<RunDropDeps, 'log' | 'now'>>;

/** Reads and stages the claimed drop, writes its reject report and hands its accounts to billing. */
async function readAndHandToBilling(
  ref: DropRef,
  drop: OpenedDrop,
  run: RunRecord,
  deps: ClaimedDropDeps,
): Promise<MeterReadDropResult> {
  const { runId } = run;
  const { rows, rejects, stage } = await stageValidRows(ref, drop, runId, deps);
  const accountPeriods = stage.accountPeriods();
  deps.log('drop read', { runId, rows, rejected: rejects.length, accountPeriods: accountPeriods.length });

  const report = await writeRejectReport(ref, rejects, deps.objects);
  const read: RunRecord = {
    ...run,
    ...(stage.mainPeriod() === undefined ? {} : { period: stage.mainPeriod() }),
    counts: { rows, accepted: rows - rejects.length, rejected: rejects.length },
    ...(report === undefined ? {} : { rejectReportKey: report.key, readingRejectsBytes: report.bytes }),
  };
  const result: MeterReadDropResult = {
    runId,
    outcome: 'billing',
    rows,
    accepted: rows - rejects.length,
    rejected: rejects.length,
    accountPeriods: accountPeriods.length,
    ...NOTHING_BILLED,
    ...(report === undefined ? {} : { rejectReportKey: report.key }),
  };
  if (accountPeriods.length === 0) {
    await deps.runs.finishRun({
      ...read,
      status: 'SUCCEEDED',
      finishedAt: deps.now().toISOString(),
      counts: { ...read.counts!, ...NOTHING_BILLED, continuityBreaks: 0 },
    });
    return { ...result, outcome: 'processed', chunks: 0, continuityBreaks: 0 };
  }
  const chunks = await handToBilling(read, accountPeriods, deps);
  return { ...result, chunks };
}

/** Streams the drop: every row is either staged (valid, of a known account) or rejected with its reason. */
async function stageValidRows(ref: DropRef, drop: OpenedDrop, runId: string, deps: ClaimedDropDeps) {
  const rejects: RowReject[] = [];
  const stage = new ReadStager(runId, deps, rejects, deps.now);
  let rows = 0;
  for await (const item of readDrop(
    { fileName: ref.key, body: drop.body, charset: drop.charset, contentEncoding: drop.contentEncoding },
    deps.readWindow === undefined ? METER_READ_FEED : meterReadFeed(deps.readWindow),
    // The period and read_at window is measured from the run's clock, never from inside the parser.
    { now: deps.now() },
  )) {
    rows++;
    if (item.kind === 'reject') {
      rejects.push({ rowNumber: item.rowNumber, column: item.column, reason: item.reason, raw: item.raw });
      continue;
    }
    await stage.add({ rowNumber: item.rowNumber, row: item.row });
  }
  await stage.end();
  return { rows, rejects, stage };
}

/** Sets the run BILLING and queues its account-periods in chunks; answers the number of chunks. */
async function handToBilling(
  read: RunRecord,
  accountPeriods: BillChunkMessage['accounts'],
  deps: ClaimedDropDeps,
): Promise<number> {
  const perChunk = Math.max(1, deps.accountsPerChunk ?? DEFAULT_ACCOUNTS_PER_CHUNK);
  const chunkCount = Math.ceil(accountPeriods.length / perChunk);
  // BILLING (with the number of chunks to wait for) before the first chunk can finish.
  const billing = await deps.runs.startBilling(read, chunkCount);
  const messages: BillChunkMessage[] = Array.from({ length: chunkCount }, (_, chunk) => ({
    runId: read.runId,
    attempt: billing.billing!.attempt,
    chunk,
    accounts: accountPeriods.slice(chunk * perChunk, (chunk + 1) * perChunk),
  }));
  await deps.chunks.enqueue(messages);
  deps.log('drop handed to billing', { runId: read.runId, chunks: chunkCount });
  return chunkCount;
}

/** What an operator or the local runner reads of a finished meter-read run. */
export function meterReadDropResultOf(run: RunRecord): MeterReadDropResult {
  const counts = run.counts;
  return {
    runId: run.runId,
    outcome: run.status === 'REJECTED' ? 'rejected' : run.status === 'BILLING' ? 'billing' : 'processed',
    rows: counts?.rows ?? 0,
    accepted: counts?.accepted ?? 0,
    rejected: counts?.rejected ?? 0,
    ...(run.billing === undefined ? {} : { chunks: run.billing.chunksTotal }),
    accountsBilled: counts?.accountsBilled ?? 0,
    billsCreated: counts?.billsCreated ?? 0,
    billsUnchanged: counts?.billsUnchanged ?? 0,
    continuityBreaks: counts?.continuityBreaks ?? 0,
    ...(counts?.billsHeld === undefined ? {} : { billsHeld: counts.billsHeld }),
    ...(run.held === undefined ? {} : { held: run.held }),
    ...(counts?.accountsNotBilled === undefined ? {} : { accountsNotBilled: counts.accountsNotBilled }),
    ...(run.notBilled === undefined ? {} : { notBilled: run.notBilled }),
    ...(run.rejectReportKey === undefined ? {} : { rejectReportKey: run.rejectReportKey }),
    ...(run.reason === undefined ? {} : { reason: run.reason }),
  };
}

/**
 * Stages valid rows in rounds of STAGE_BATCH_ROWS, one round writing while the next is read. Rows of an
 * account that is not a key account become rejects here (accounts are looked up once per drop).
 */
class ReadStager {
  private pending: StagedRead[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly known = new Set<string>();
  private readonly unknown = new Set<string>();
  /** "accountId|period" → rows staged. */
  private readonly staged = new Map<string, number>();
  private readonly expiresAt: number;

  constructor(
    private readonly runId: string,
    private readonly stores: Pick<RunDropDeps, 'accounts' | 'staging'>,
    private readonly rejects: RowReject[],
    now: () => Date,
  ) {
    this.expiresAt = Math.floor(now().getTime() / 1000) + STAGED_READ_DAYS * 86_400;
  }

  async add(entry: StagedRead): Promise<void> {
    this.pending.push(entry);
    if (this.pending.length >= STAGE_BATCH_ROWS) await this.startRound();
  }

  async end(): Promise<void> {
    await this.startRound();
    await this.writing;
  }

  accountPeriods(): { accountId: string; period: string }[] {
    return [...this.staged.keys()].map((key) => {
      const [accountId, period] = key.split('|') as [string, string];
      return { accountId, period };
    });
  }

  /** The period most rows belong to: what the run is listed under. */
  mainPeriod(): string | undefined {
    const rowsByPeriod = new Map<string, number>();
    for (const [key, rows] of this.staged) {
      const period = key.slice(key.indexOf('|') + 1);
      rowsByPeriod.set(period, (rowsByPeriod.get(period) ?? 0) + rows);
    }
    return [...rowsByPeriod].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  private async startRound(): Promise<void> {
    // One round in flight: wait for the previous one (and surface its error) before starting the next.
    await this.writing;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.writing = this.write(batch);
    // Handled when awaited next; until then its rejection must not count as unhandled.
    this.writing.catch(() => {});
  }

  private async write(batch: StagedRead[]): Promise<void> {
    const lookup = [...new Set(batch.map((e) => e.row.accountId))].filter(
      (id) => !this.known.has(id) && !this.unknown.has(id),
    );
    if (lookup.length > 0) {
      const found = await this.stores.accounts.getAccounts(lookup);
      for (const id of lookup) (found.has(id) ? this.known : this.unknown).add(id);
    }
    const valid: StagedRead[] = [];
    for (const entry of batch) {
      const { accountId, period } = entry.row;
      if (this.unknown.has(accountId)) {
        this.rejects.push({
          rowNumber: entry.rowNumber,
          column: 'account_id',
          reason: `account ${accountId} is not a known key account`,
          raw: meterReadRowToCsvLine(entry.row),
        });
        continue;
      }
      valid.push(entry);
      const key = `${accountId}|${period}`;
      this.staged.set(key, (this.staged.get(key) ?? 0) + 1);
    }
    await this.stores.staging.stageMeterReads(this.runId, valid, this.expiresAt);
  }
}
