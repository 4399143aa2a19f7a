import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import { BillingInputError, computeBill } from '#domain/billing/index.ts';
import {
  checkPlausibility,
  HOLD_RULES,
  type HoldReason,
  type HoldRule,
  plausibilityPolicyFor,
} from '#domain/billing/plausibility/index.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { collapseIdenticalRows } from '#domain/meter-set.ts';
import type { NotBilledAccount } from '#domain/run.ts';
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
  /** Accounts billed, held ones included (as the run's accountsBilled). */
  accountsBilled: number;
  /** Bills the plausibility policy holds (the pipeline would send no preview of them). */
  billsHeld: number;
}

/** A bill as the offline `bill` prints it: a held one says so, with the reasons the pipeline would record. */
export type OfflineBill = BillDocument | (BillDocument & { held: true; holdReasons: HoldReason[] });

export interface OfflineBillsResult {
  period: string;
  /** The plausibility policy version the bills were checked with. */
  plausibilityPolicy: string;
  /**
   * The policy's rules that need the account's stored history, which a file does not carry: the pipeline
   * applies them, so a bill this command passes may still be held there.
   */
  rulesNotApplied: { rule: HoldRule; why: string }[];
  counts: OfflineCounts;
  bills: OfflineBill[];
  /** Accounts of the reads that could not be billed (the engine refused their reads), with the reason. */
  accountsNotBilled: NotBilledAccount[];
  rejects: OfflineReject[];
}

const NO_STORED_HISTORY = 'needs the stored bills of earlier periods; offline, a file carries none';
const HISTORY_RULES = HOLD_RULES.filter((rule) => rule.includes('-vs-'));

/**
 * Bills computed from files, with the same parser, engine and plausibility policy as the pipeline, and no
 * AWS at all. Without the stored history the policy checks what the bill itself shows (findings, demand,
 * zero consumption, estimates, a negative total); a file carries no previous period to compare with.
 */
export async function computeOfflineBills(input: {
  accounts: readonly Account[];
  tariffs: readonly Tariff[];
  reads: DropSource;
  period: string;
  /** The caller's clock for the period and read_at window (as the pipeline's run clock). */
  now: Date;
}): Promise<OfflineBillsResult> {
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
  const policy = plausibilityPolicyFor(input.period);
  const bills: OfflineBill[] = [];
  const accountsNotBilled: NotBilledAccount[] = [];
  for (const [accountId, entries] of rowsByAccount) {
    const account = accounts.get(accountId)!;
    // As bill-chunk: the same row twice is one read.
    const reads = collapseIdenticalRows(entries).map((e) => e.row);
    try {
      const bill = computeBill({ account, tariffs: input.tariffs, reads, period: input.period });
      const holdReasons = checkPlausibility({ bill, account, reads, policy });
      bills.push(holdReasons.length === 0 ? bill : { ...bill, held: true, holdReasons });
    } catch (error) {
      if (!(error instanceof BillingInputError)) throw error;
      accountsNotBilled.push({ accountId, period: input.period, reason: error.message });
      for (const e of entries)
        rejects.push({ rowNumber: e.rowNumber, column: error.field, reason: error.message });
    }
  }
  rejects.sort((a, b) => a.rowNumber - b.rowNumber);
  const rejectedRows = new Set(rejects.map((r) => r.rowNumber)).size;
  const counts = {
    rows,
    accepted: rows - rejectedRows,
    rejected: rejectedRows,
    accountsBilled: bills.length,
    billsHeld: bills.filter((b) => 'held' in b).length,
  };
  return {
    period: input.period,
    plausibilityPolicy: policy.version,
    rulesNotApplied: HISTORY_RULES.map((rule) => ({ rule, why: NO_STORED_HISTORY })),
    counts,
    bills,
    accountsNotBilled,
    rejects,
  };
}
