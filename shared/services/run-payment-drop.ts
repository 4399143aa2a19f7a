import type { RunRecord } from '#domain/run.ts';
import { DropFileError, PAYMENT_FEED, readDrop } from '#ingest/index.ts';
import { type RowReject, rejectWholeDrop, writeRejectReport } from './drop-reports.ts';
import type { AccountStore, DropObjectStore, DropRef, PaymentStore, RunStore } from './ports/index.ts';

export interface PaymentDropResult {
  runId: string;
  outcome: 'processed' | 'duplicate' | 'rejected';
  rows: number;
  accepted: number;
  rejected: number;
  paymentsCreated: number;
  /** Payments already held from an earlier file (the collection system re-sends): counted once. */
  paymentsDuplicate: number;
  rejectReportKey?: string;
  reason?: string;
}

const STALE_RUN_MS = 20 * 60 * 1000;

/**
 * Stores the payments of one collection-system drop, each once by its payment id. The ledger (open
 * balance per bill, credit, penalties) is derived from bills and payments where it is needed, so a
 * re-delivered or overlapping file changes nothing.
 */
export async function runPaymentDrop(
  ref: DropRef,
  deps: {
    runs: Pick<RunStore, 'claimRun' | 'finishRun'>;
    accounts: Pick<AccountStore, 'getAccount'>;
    payments: Pick<PaymentStore, 'putPayment'>;
    objects: DropObjectStore;
    now?: () => Date;
    /** Told which accounts received new payments, so that cleared arrears cancel their plans at once. */
    onPaymentsStored?: (accountIds: string[], at: string) => Promise<unknown>;
  },
): Promise<PaymentDropResult> {
  const { runs, objects } = deps;
  const now = deps.now ?? (() => new Date());
  const drop = await objects.open(ref);
  const runId = `payments#${drop.etag}`;
  const run: RunRecord = {
    runId,
    feed: 'payments',
    bucket: ref.bucket,
    key: ref.key,
    etag: drop.etag,
    status: 'RUNNING',
    startedAt: now().toISOString(),
  };
  const empty = { rows: 0, accepted: 0, rejected: 0, paymentsCreated: 0, paymentsDuplicate: 0 };
  const claim = await runs.claimRun(run, { staleAfterMs: STALE_RUN_MS });
  if (!claim.claimed) {
    drop.body.destroy();
    return { runId, outcome: 'duplicate', ...empty };
  }
  try {
    const rejects: RowReject[] = [];
    let rows = 0;
    let paymentsCreated = 0;
    let paymentsDuplicate = 0;
    const known = new Map<string, boolean>();
    const paidAccounts = new Set<string>();
    for await (const item of readDrop(
      { fileName: ref.key, body: drop.body, charset: drop.charset, contentEncoding: drop.contentEncoding },
      PAYMENT_FEED,
    )) {
      rows++;
      if (item.kind === 'reject') {
        rejects.push({ rowNumber: item.rowNumber, column: item.column, reason: item.reason, raw: item.raw });
        continue;
      }
      const { accountId } = item.row;
      if (!known.has(accountId))
        known.set(accountId, (await deps.accounts.getAccount(accountId)) !== undefined);
      if (known.get(accountId) !== true) {
        rejects.push({
          rowNumber: item.rowNumber,
          column: 'account_id',
          reason: `account ${accountId} is not a known key account`,
          raw: `${item.row.paymentId},${accountId},${item.row.amount},${item.row.paidAt}`,
        });
        continue;
      }
      if ((await deps.payments.putPayment(item.row, runId)) === 'created') {
        paymentsCreated++;
        paidAccounts.add(accountId);
      } else paymentsDuplicate++;
    }
    if (paidAccounts.size > 0) await deps.onPaymentsStored?.([...paidAccounts], now().toISOString());
    const rejectReportKey = (await writeRejectReport(ref, rejects, objects))?.key;
    const counts = {
      rows,
      accepted: rows - rejects.length,
      rejected: rejects.length,
      paymentsCreated,
      paymentsDuplicate,
    };
    await runs.finishRun({
      ...run,
      period: now().toISOString().slice(0, 7),
      status: 'SUCCEEDED',
      finishedAt: now().toISOString(),
      counts,
      ...(rejectReportKey === undefined ? {} : { rejectReportKey }),
    });
    return {
      runId,
      outcome: 'processed',
      ...counts,
      ...(rejectReportKey === undefined ? {} : { rejectReportKey }),
    };
  } catch (error) {
    if (error instanceof DropFileError) {
      const rejectReportKey = await rejectWholeDrop(ref, run, error.message, { runs, objects, now });
      return { runId, outcome: 'rejected', ...empty, rejectReportKey, reason: error.message };
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
