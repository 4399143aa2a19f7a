import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import type { StoredBill } from '#domain/bill-version.ts';
import { shiftPeriod } from '#domain/calendar/index.ts';
import { accountsExpectedIn, missingAccounts } from '#domain/feed-calendar.ts';
import { forEachInParallel } from '#domain/in-parallel.ts';
import { billPreviewIdPrefix } from '#domain/notices.ts';
import type { RunRecord } from '#domain/run.ts';
import {
  buildRunReport,
  type RunReport,
  type RunReportBill,
  type RunReportHeld,
  type RunReportInput,
  type RunReportReject,
} from '#domain/run-report/model.ts';
import { renderRunReportCsv, renderRunReportHtml } from '#domain/run-report/render.ts';
import { billsAsSent, holdsOfHeldVersions } from './bills-as-sent.ts';
import type { AccountStore, BillHoldStore, BillStore, DropObjectStore, NoticeStore } from './ports/index.ts';

/*
 * A drop's run report, gathered from the run, its reject report, the period's bills and their previews'
 * notices, and written beside the drops under reports/runs/ as HTML and CSV. Written again whenever it is
 * asked for (get-run, the hourly check), so the notices' outcomes are current; writing it twice is harmless.
 */

export interface RunReportDeps {
  accounts: Pick<AccountStore, 'listAccounts'>;
  bills: Pick<BillStore, 'listBillsForPeriod' | 'getBill'>;
  holds: Pick<BillHoldStore, 'listHoldsByStatus' | 'listHolds'>;
  notices: Pick<NoticeStore, 'listNotices'>;
  objects: DropObjectStore;
  now?: () => Date;
}

/** Where a drop's run report goes: `reports/runs/<the drop's key under drops/>.html` and `.csv`. */
export const runReportKeysFor = (dropKey: string): { html: string; csv: string } => {
  const base = `reports/runs/${dropKey.replace(/^drops\//, '')}`;
  return { html: `${base}.html`, csv: `${base}.csv` };
};

/** Held bills as the run record lists them (`held`, written by billing when a bill is held for review). */
type WithHeld = RunRecord & {
  held?: { accountId: string; version: number; reasons: { rule?: string; message: string }[] }[];
};

export async function writeRunReport(
  run: RunRecord,
  deps: RunReportDeps,
): Promise<{ bucket: string; html: string; csv: string; report: RunReport }> {
  const report = await gatherRunReport(run, deps);
  const keys = runReportKeysFor(run.key);
  await deps.objects.put(
    { bucket: run.bucket, key: keys.html },
    renderRunReportHtml(report),
    'text/html; charset=utf-8',
  );
  await deps.objects.put(
    { bucket: run.bucket, key: keys.csv },
    renderRunReportCsv(report),
    'text/csv; charset=utf-8',
  );
  return { bucket: run.bucket, ...keys, report };
}

export async function gatherRunReport(
  run: RunRecord,
  deps: RunReportDeps,
  /** A dry run: the bills it computed (nothing stored); its reject report is read from `objects` too. */
  dryRun?: Pick<RunReportInput, 'bills'>,
): Promise<RunReport> {
  const now = deps.now ?? (() => new Date());
  const rejects = await readRejects(run, deps.objects);
  const period = run.feed === 'meter-reads' ? run.period : undefined;
  if (period === undefined) {
    return buildRunReport({ ...EMPTY, run, rejects, generatedAt: now().toISOString() });
  }
  const accounts = await deps.accounts.listAccounts();
  const names = new Map(accounts.map((a) => [a.accountId, a.name]));
  const [current, previous] = await Promise.all([
    latestPerAccount(await deps.bills.listBillsForPeriod(period)),
    previousPeriodAsSent(shiftPeriod(period, -1), deps),
  ]);
  const created =
    dryRun?.bills ??
    [...current.values()].filter((b) => b.runId === run.runId).map((b) => billOf(b, names, previous));
  const expected = accountsExpectedIn(accounts, period);
  const billed =
    dryRun === undefined ? current.keys() : [...current.keys(), ...created.map((b) => b.accountId)];
  return buildRunReport({
    run,
    rejects,
    bills: created.map((b) => ({
      ...b,
      previousTotal: b.previousTotal ?? previous.get(b.accountId)?.document.total,
    })),
    expectedAccounts: expected.length,
    missingAccounts: missingAccounts(expected, billed),
    held: heldOf(run as WithHeld),
    notices: dryRun === undefined ? await previewNotices(created, period, deps) : [],
    generatedAt: now().toISOString(),
    ...(dryRun === undefined ? {} : { dryRun: true }),
  });
}

const EMPTY = { bills: [], expectedAccounts: 0, missingAccounts: [], held: [], notices: [] };

function latestPerAccount(bills: readonly StoredBill[]): Map<string, StoredBill> {
  const latest = new Map<string, StoredBill>();
  for (const bill of bills) {
    const seen = latest.get(bill.accountId);
    if (seen === undefined || seen.version < bill.version) latest.set(bill.accountId, bill);
  }
  return latest;
}

/**
 * The previous period's bills as the customer was sent them: the operator compares this run's totals with
 * what was billed, not with a version held for review (a ×10 held bill would make every change look small).
 */
async function previousPeriodAsSent(period: string, deps: RunReportDeps): Promise<Map<string, StoredBill>> {
  const latest = [...latestPerAccount(await deps.bills.listBillsForPeriod(period)).values()];
  const sent = await billsAsSent(latest, await holdsOfHeldVersions(deps.holds, period), deps.bills);
  return new Map(sent.map((bill) => [bill.accountId, bill]));
}

function billOf(
  bill: StoredBill,
  names: Map<string, string>,
  previous: Map<string, StoredBill>,
): RunReportBill {
  return {
    accountId: bill.accountId,
    name: names.get(bill.accountId) ?? '',
    version: bill.version,
    total: bill.document.total,
    previousTotal: previous.get(bill.accountId)?.document.total,
  };
}

function heldOf(run: WithHeld): RunReportHeld[] {
  return (run.held ?? []).map((h) => ({
    accountId: h.accountId,
    version: h.version,
    reasons: h.reasons.map((r) => (r.rule === undefined ? r.message : `${r.rule}: ${r.message}`)),
  }));
}

/** How many accounts' notices are read at once: a drop's accounts in minutes, not one round trip each. */
const NOTICE_READS_IN_PARALLEL = 16;

/** The bill-preview notices of the versions this run created, each version's read by its id prefix. */
async function previewNotices(bills: readonly RunReportBill[], period: string, deps: RunReportDeps) {
  const perBill: RunReportInput['notices'][number][][] = [];
  await forEachInParallel(bills, NOTICE_READS_IN_PARALLEL, async (bill, index) => {
    const found = await deps.notices.listNotices(bill.accountId, billPreviewIdPrefix({ period, ...bill }));
    perBill[index] = found
      .filter((n) => n.kind === 'bill-preview' && n.period === period && n.billVersion === bill.version)
      .map((n) => ({ channel: n.channel, status: n.status }));
  });
  return perBill.flat();
}

/** The drop's reject report (row, column, reason, raw), as the ingest wrote it. */
async function readRejects(run: RunRecord, objects: DropObjectStore): Promise<RunReportReject[]> {
  if (run.rejectReportKey === undefined) return [];
  const csv = await text((await objects.open({ bucket: run.bucket, key: run.rejectReportKey })).body);
  const records = parse(csv, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<
    string,
    string
  >[];
  return records.map((r) => ({
    rowNumber: Number(r.row),
    column: r.column === '' || r.column === undefined ? null : r.column,
    reason: r.reason ?? '',
  }));
}
