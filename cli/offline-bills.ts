import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import { BillingInputError, computeBill } from '#domain/billing/index.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import type { Tariff } from '#domain/tariff.ts';
import { type DropSource, METER_READ_FEED, readDrop } from '#ingest/index.ts';

export interface OfflineReject {
  rowNumber: number;
  column: string | null;
  reason: string;
}

/** Rows of the reads file, as the pipeline's run counts them: accepted + rejected = rows. */
export interface OfflineCounts {
  rows: number;
  accepted: number;
  rejected: number;
}

/** Bills computed from files, with the same parser and engine as the pipeline, and no AWS at all. */
export async function computeOfflineBills(input: {
  accounts: readonly Account[];
  tariffs: readonly Tariff[];
  reads: DropSource;
  period: string;
  /** The caller's clock for the period and read_at window (as the pipeline's run clock). */
  now: Date;
}): Promise<{ period: string; counts: OfflineCounts; bills: BillDocument[]; rejects: OfflineReject[] }> {
  const accounts = new Map(input.accounts.map((a) => [a.accountId, a]));
  const rowsByAccount = new Map<string, { rowNumber: number; row: MeterReadRow }[]>();
  const rejects: OfflineReject[] = [];
  const drop = readDrop(input.reads, METER_READ_FEED, { now: input.now });
  let rows = 0;
  for (let next = await drop.next(); !next.done; next = await drop.next()) {
    const item = next.value;
    rows++;
    if (item.kind === 'reject') {
      rejects.push({ rowNumber: item.rowNumber, column: item.column, reason: item.reason });
      continue;
    }
    if (item.row.period !== input.period) {
      rejects.push({
        rowNumber: item.rowNumber,
        column: 'period',
        reason: `period ${item.row.period} is not ${input.period}`,
      });
      continue;
    }
    if (!accounts.has(item.row.accountId)) {
      rejects.push({
        rowNumber: item.rowNumber,
        column: 'account_id',
        reason: `account ${item.row.accountId} is not in the accounts file`,
      });
      continue;
    }
    const list = rowsByAccount.get(item.row.accountId) ?? [];
    list.push({ rowNumber: item.rowNumber, row: item.row });
    rowsByAccount.set(item.row.accountId, list);
  }
  const bills: BillDocument[] = [];
  for (const [accountId, entries] of rowsByAccount) {
    try {
      bills.push(
        computeBill({
          account: accounts.get(accountId)!,
          tariffs: input.tariffs,
          reads: entries.map((e) => e.row),
          period: input.period,
        }),
      );
    } catch (error) {
      if (!(error instanceof BillingInputError)) throw error;
      for (const e of entries)
        rejects.push({ rowNumber: e.rowNumber, column: error.field, reason: error.message });
    }
  }
  rejects.sort((a, b) => a.rowNumber - b.rowNumber);
  const rejectedRows = new Set(rejects.map((r) => r.rowNumber)).size;
  const counts = { rows, accepted: rows - rejectedRows, rejected: rejectedRows };
  return { period: input.period, counts, bills, rejects };
}
