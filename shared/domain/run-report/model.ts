import { Dec, dec, formatYuan, sum } from '../money.ts';
import type { NoticeChannel, NoticeStatus } from '../notices.ts';
import type { RunRecord } from '../run.ts';

/*
 * The report of one drop's run, for the operator on billing day: what came in, what was refused and why,
 * which key accounts are billed, missing or held, which bill versions were made or corrected, how the
 * totals moved against the previous period, and what became of the previews. Pure: the service gathers
 * the inputs, this shapes them, render.ts writes HTML and CSV.
 */

export interface RunReportReject {
  rowNumber: number;
  column: string | null;
  reason: string;
}

/** A bill version the run created, with the account's total of the previous period when it had one. */
export interface RunReportBill {
  accountId: string;
  name: string;
  version: number;
  total: string;
  previousTotal?: string | undefined;
}

export interface RunReportHeld {
  accountId: string;
  version: number;
  reasons: string[];
}

export interface RunReportInput {
  run: RunRecord;
  rejects: readonly RunReportReject[];
  bills: readonly RunReportBill[];
  expectedAccounts: number;
  missingAccounts: readonly string[];
  held: readonly RunReportHeld[];
  notices: readonly { channel: NoticeChannel; status: NoticeStatus }[];
  generatedAt: string;
  /** A dry run: nothing was stored or sent. */
  dryRun?: boolean;
}

export interface RejectReason {
  /** The reason with its particulars (numbers, ids) replaced by #, so like rejects group together. */
  reason: string;
  count: number;
  examples: RunReportReject[];
}

export const CHANGE_BUCKETS = [
  // U+2212 minus: a label a spreadsheet would not take for a formula (the CSV would prefix a '-').
  { label: '≤ −50%', below: -50 },
  { label: '−50…−20%', below: -20 },
  { label: '−20…−5%', below: -5 },
  { label: '±5%', below: 5 },
  { label: '5…20%', below: 20 },
  { label: '20…50%', below: 50 },
  { label: '≥ 50%', below: Number.POSITIVE_INFINITY },
] as const;

export type NoticeOutcome = 'sent' | 'deferred' | 'suppressed' | 'failed' | 'pending';
export const NOTICE_OUTCOMES: readonly NoticeOutcome[] = [
  'sent',
  'deferred',
  'suppressed',
  'failed',
  'pending',
];

export interface RunReport {
  runId: string;
  feed: RunRecord['feed'];
  key: string;
  period: string;
  status: RunRecord['status'];
  startedAt: string;
  finishedAt: string;
  generatedAt: string;
  dryRun: boolean;
  rows: { total: number; accepted: number; rejected: number };
  rejectReasons: RejectReason[];
  accounts: { expected: number; billed: number; missing: string[]; held: RunReportHeld[] };
  versions: { created: number; corrected: number; unchanged: number };
  totals: {
    current: string;
    previous: string;
    /** Change of the accounts that had a previous bill, percent with 1 decimal; null without any. */
    changePercent: string | null;
    histogram: { label: string; count: number }[];
    /** Accounts without a bill for the previous period. */
    withoutPrevious: number;
  };
  notices: Record<NoticeChannel, Record<NoticeOutcome, number>>;
  /** Bills with the largest changes first (for the table). */
  bills: (RunReportBill & { changePercent: string | null })[];
}

/** Reject reasons shown, at most, and examples of each. */
export const TOP_REASONS = 10;
export const EXAMPLES_PER_REASON = 3;

export function buildRunReport(input: RunReportInput): RunReport {
  const { run } = input;
  const counts = run.counts ?? { rows: 0, accepted: 0, rejected: 0 };
  const bills = input.bills.map((b) => ({ ...b, changePercent: changePercent(b.total, b.previousTotal) }));
  const compared = bills.filter((b) => b.previousTotal !== undefined);
  const current = sum(compared.map((b) => b.total));
  const previous = sum(compared.map((b) => b.previousTotal!));
  return {
    runId: run.runId,
    feed: run.feed,
    key: run.key,
    period: run.period ?? '',
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? '',
    generatedAt: input.generatedAt,
    dryRun: input.dryRun === true,
    rows: { total: counts.rows, accepted: counts.accepted, rejected: counts.rejected },
    rejectReasons: groupRejects(input.rejects),
    accounts: {
      expected: input.expectedAccounts,
      billed: counts.accountsBilled ?? input.bills.length,
      missing: [...input.missingAccounts],
      held: [...input.held],
    },
    versions: {
      created: input.bills.length,
      corrected: input.bills.filter((b) => b.version > 1).length,
      unchanged: counts.billsUnchanged ?? 0,
    },
    totals: {
      current: formatYuan(sum(bills.map((b) => b.total))),
      previous: formatYuan(previous),
      changePercent: previous.isZero() ? null : percent(current.minus(previous), previous),
      histogram: histogram(bills),
      withoutPrevious: bills.length - compared.length,
    },
    notices: noticeCounts(input.notices),
    bills: bills.sort((a, b) => magnitude(b.changePercent) - magnitude(a.changePercent)),
  };
}

const percent = (change: Dec, of: Dec): string =>
  change.dividedBy(of.abs()).times(100).toDecimalPlaces(1, Dec.ROUND_HALF_UP).toFixed(1);

function changePercent(total: string, previousTotal: string | undefined): string | null {
  if (previousTotal === undefined || dec(previousTotal).isZero()) return null;
  return percent(dec(total).minus(previousTotal), dec(previousTotal));
}

const magnitude = (value: string | null): number => (value === null ? -1 : Math.abs(Number(value)));

function histogram(bills: readonly { changePercent: string | null }[]) {
  const counts = CHANGE_BUCKETS.map((bucket) => ({ label: bucket.label, count: 0 }));
  for (const { changePercent } of bills) {
    if (changePercent === null) continue;
    const value = Number(changePercent);
    const i = CHANGE_BUCKETS.findIndex((bucket, j) => value < bucket.below || (j === 0 && value <= -50));
    counts[i]!.count++;
  }
  return counts;
}

/** Particulars that differ between rows of one kind of problem: numbers and the ids around them. */
export const reasonKind = (reason: string): string =>
  reason
    .replace(/[A-Za-z]*[-_]?\d[\w.:+-]*/g, '#')
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 200);

function groupRejects(rejects: readonly RunReportReject[]): RejectReason[] {
  const groups = new Map<string, RejectReason>();
  for (const reject of rejects) {
    const kind = `${reject.column ?? ''}: ${reasonKind(reject.reason)}`;
    let group = groups.get(kind);
    if (group === undefined) {
      group = { reason: kind.startsWith(': ') ? kind.slice(2) : kind, count: 0, examples: [] };
      groups.set(kind, group);
    }
    group.count++;
    if (group.examples.length < EXAMPLES_PER_REASON) group.examples.push(reject);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).slice(0, TOP_REASONS);
}

const OUTCOME_OF: Record<NoticeStatus, NoticeOutcome> = {
  SENT: 'sent',
  DELIVERED: 'sent',
  DEFERRED: 'deferred',
  SUPPRESSED: 'suppressed',
  FAILED: 'failed',
  BOUNCED: 'failed',
  COMPLAINED: 'failed',
  QUEUED: 'pending',
  SENDING: 'pending',
  UNCERTAIN: 'pending',
};

function noticeCounts(notices: RunReportInput['notices']): RunReport['notices'] {
  const zero = () => Object.fromEntries(NOTICE_OUTCOMES.map((o) => [o, 0])) as Record<NoticeOutcome, number>;
  const counts = { email: zero(), sms: zero() };
  for (const n of notices) counts[n.channel][OUTCOME_OF[n.status]]++;
  return counts;
}
