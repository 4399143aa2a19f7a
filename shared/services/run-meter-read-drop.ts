import type { DropObjectStore, DropRef } from '../adapters/drop-objects.ts';
import type { KeybillRepository, RunRecord } from '../adapters/repository.ts';
import type { Account } from '../domain/account.ts';
import { BillingInputError, billSummary, computeBill } from '../domain/billing/index.ts';
import { checkReadContinuity } from '../domain/continuity.ts';
import { type MeterReadRow, meterReadRowToCsvLine } from '../domain/meter-read.ts';
import { DropFileError, METER_READ_FEED, readDrop } from '../ingest/index.ts';
import { type RowReject, rejectWholeDrop, writeRejectReport } from './drop-reports.ts';

export { type RowReject, rejectReportKeyFor } from './drop-reports.ts';

export interface MeterReadDropResult {
  runId: string;
  outcome: 'processed' | 'duplicate' | 'rejected';
  rows: number;
  accepted: number;
  rejected: number;
  accountsBilled: number;
  billsCreated: number;
  billsUnchanged: number;
  /** Rows whose start readings do not continue the meter's last stored end readings (billed anyway). */
  continuityBreaks?: number;
  rejectReportKey?: string;
  reason?: string;
}

export interface RunDropDeps {
  repository: KeybillRepository;
  objects: DropObjectStore;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  now?: () => Date;
}

/** A run that has been RUNNING longer than a Lambda can live crashed; a re-delivery may take it over. */
const STALE_RUN_MS = 20 * 60 * 1000;

/**
 * Processes one meter-read drop end to end: stream and validate the rows, bill every account they
 * cover, store reads and bill versions, and leave a run record and a reject report.
 *
 * Exactly once: the run is keyed by the object's ETag (same content, any key), and a bill is stored as
 * a new version only when its content differs from the latest one, so re-processing sends nothing new.
 */
export async function runMeterReadDrop(ref: DropRef, deps: RunDropDeps): Promise<MeterReadDropResult> {
  const { repository, objects } = deps;
  const log = deps.log ?? (() => {});
  const now = deps.now ?? (() => new Date());
  const drop = await objects.open(ref);
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
  const claim = await repository.claimRun(run, { staleAfterMs: STALE_RUN_MS });
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
      accountsBilled: 0,
      billsCreated: 0,
      billsUnchanged: 0,
    };
  }

  try {
    const rejects: RowReject[] = [];
    const byAccountPeriod = new Map<string, { rowNumber: number; row: MeterReadRow; raw?: string }[]>();
    let rows = 0;
    for await (const item of readDrop(
      { fileName: ref.key, body: drop.body, charset: drop.charset, contentEncoding: drop.contentEncoding },
      METER_READ_FEED,
    )) {
      rows++;
      if (item.kind === 'reject') {
        rejects.push({ rowNumber: item.rowNumber, column: item.column, reason: item.reason, raw: item.raw });
        continue;
      }
      const group = `${item.row.accountId}|${item.row.period}`;
      let list = byAccountPeriod.get(group);
      if (list === undefined) {
        list = [];
        byAccountPeriod.set(group, list);
      }
      list.push({ rowNumber: item.rowNumber, row: item.row });
    }
    log('drop parsed', { runId, rows, rejected: rejects.length, accountPeriods: byAccountPeriod.size });

    const accountIds = [...new Set([...byAccountPeriod.keys()].map((g) => g.split('|')[0]!))];
    const accounts = await repository.getAccounts(accountIds);
    const tariffs = await repository.getTariffs([...new Set([...accounts.values()].map((a) => a.tariffId))]);

    let accountsBilled = 0;
    let billsCreated = 0;
    let billsUnchanged = 0;
    let continuityBreaks = 0;
    const periods = new Map<string, number>();
    const billedRows: MeterReadRow[] = [];
    for (const [group, entries] of byAccountPeriod) {
      const [accountId, period] = group.split('|') as [string, string];
      const account: Account | undefined = accounts.get(accountId);
      const rejectAll = (column: string | null, reason: string) => {
        for (const e of entries)
          rejects.push({ rowNumber: e.rowNumber, column, reason, raw: meterReadRowToCsvLine(e.row) });
      };
      if (account === undefined) {
        rejectAll('account_id', `account ${accountId} is not a known key account`);
        continue;
      }
      try {
        const reads = entries.map((e) => e.row);
        const [stored, previousReads] = await Promise.all([
          repository.getBillHistory(accountId, period, 13),
          repository.getMeterReads(accountId, previousPeriodOf(period)),
        ]);
        const bill = computeBill({
          account,
          tariffs,
          reads,
          period,
          history: stored.map((b) => billSummary(b.document)),
        });
        const breaks = checkReadContinuity(reads, previousReads);
        continuityBreaks += breaks.length;
        bill.findings.push(...breaks);
        const saved = await repository.saveBill(bill, runId);
        accountsBilled++;
        if (saved.outcome === 'created') billsCreated++;
        else billsUnchanged++;
        periods.set(period, (periods.get(period) ?? 0) + 1);
        for (const e of entries) billedRows.push(e.row);
      } catch (error) {
        if (!(error instanceof BillingInputError)) throw error;
        rejectAll(error.field, error.message);
      }
    }
    await repository.putMeterReads(billedRows, runId);

    const rejectReportKey = await writeRejectReport(ref, rejects, objects);
    const result: MeterReadDropResult = {
      runId,
      outcome: 'processed',
      rows,
      accepted: rows - rejects.length,
      rejected: rejects.length,
      accountsBilled,
      billsCreated,
      billsUnchanged,
      continuityBreaks,
      ...(rejectReportKey === undefined ? {} : { rejectReportKey }),
    };
    await repository.finishRun({
      ...run,
      period: mostCommon(periods),
      status: 'SUCCEEDED',
      finishedAt: now().toISOString(),
      counts: {
        rows,
        accepted: result.accepted,
        rejected: result.rejected,
        accountsBilled,
        billsCreated,
        billsUnchanged,
        continuityBreaks,
      },
      ...(rejectReportKey === undefined ? {} : { rejectReportKey }),
    });
    return result;
  } catch (error) {
    if (error instanceof DropFileError) {
      const rejectReportKey = await rejectWholeDrop(ref, run, error.message, { repository, objects, now });
      return {
        runId,
        outcome: 'rejected',
        rows: 0,
        accepted: 0,
        rejected: 0,
        accountsBilled: 0,
        billsCreated: 0,
        billsUnchanged: 0,
        rejectReportKey,
        reason: error.message,
      };
    }
    await repository.finishRun({
      ...run,
      status: 'FAILED',
      finishedAt: now().toISOString(),
      reason: (error as Error).message,
    });
    throw error;
  }
}

function mostCommon(counts: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = -1;
  for (const [key, count] of counts) {
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

function previousPeriodOf(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
