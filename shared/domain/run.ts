import type { MeterReadRow } from './meter-read.ts';

/** One drop's processing, claimed by the drop's content (its ETag): the operator's unit of work. */
export interface RunRecord {
  runId: string;
  feed: 'meter-reads' | 'payments';
  bucket: string;
  key: string;
  etag?: string;
  period?: string;
  /**
   * RUNNING: the drop is being read. BILLING (meter reads): its rows are staged and account chunks are
   * being billed by bill-chunk. Then SUCCEEDED, REJECTED (a file-level problem) or FAILED.
   */
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  counts?: {
    rows: number;
    accepted: number;
    rejected: number;
    accountsBilled?: number;
    billsCreated?: number;
    billsUnchanged?: number;
    continuityBreaks?: number;
    /** Accounts whose bill is held for review (its preview not sent): the length of `held`, uncut. */
    billsHeld?: number;
    /** Accounts of the drop that got no bill (unknown, a meter unread, reads refused): `notBilled`, uncut. */
    accountsNotBilled?: number;
    paymentsCreated?: number;
    paymentsDuplicate?: number;
  };
  rejectReportKey?: string;
  /**
   * Length in bytes of the reject report as reading the drop left it; billing appends after it (a
   * finisher that runs twice rewrites the same report rather than appending twice).
   */
  readingRejectsBytes?: number;
  reason?: string;
  /** Meter-read runs: the billing fan-out's progress, while BILLING and after. */
  billing?: BillingProgress;
  /** Meter-read runs, once billed: the accounts whose bill is held, with the reasons (at most RUN_LIST_LIMIT). */
  held?: HeldAccount[];
  /** Meter-read runs, once billed: the accounts of the drop that got no bill, with the reason (at most RUN_LIST_LIMIT). */
  notBilled?: NotBilledAccount[];
  /** Set when `held` or `notBilled` was cut at RUN_LIST_LIMIT (the counts are whole; the chunks keep every entry). */
  listsTruncated?: boolean;
}

/** How many held and not-billed accounts a run record lists (a run item stays far below 400 KB). */
export const RUN_LIST_LIMIT = 100;
/** The longest reason a run record repeats (the chunk markers and the holds keep them whole). */
export const RUN_REASON_CHARS = 200;

const clipReason = (text: string): string =>
  text.length > RUN_REASON_CHARS ? `${text.slice(0, RUN_REASON_CHARS)}…` : text;

/** The held and not-billed accounts as a run record lists them: the first RUN_LIST_LIMIT, reasons clipped. */
export function outcomesForRunRecord(
  outcomes: BillingOutcomes,
): Pick<RunRecord, 'held' | 'notBilled' | 'listsTruncated'> {
  const truncated = outcomes.held.length > RUN_LIST_LIMIT || outcomes.notBilled.length > RUN_LIST_LIMIT;
  return {
    held: outcomes.held.slice(0, RUN_LIST_LIMIT).map((h) => ({
      ...h,
      reasons: h.reasons.map((r) => ({ rule: r.rule, message: clipReason(r.message) })),
    })),
    notBilled: outcomes.notBilled
      .slice(0, RUN_LIST_LIMIT)
      .map((n) => ({ ...n, reason: clipReason(n.reason) })),
    ...(truncated ? { listsTruncated: true } : {}),
  };
}

/** An account of a drop whose new bill version is held for review: no preview is sent. */
export interface HeldAccount {
  accountId: string;
  period: string;
  version: number;
  reasons: { rule: string; message: string }[];
}

/** An account of a drop that got no bill: never a partial or refused bill sent. */
export interface NotBilledAccount {
  accountId: string;
  period: string;
  reason: string;
}

export const RUN_STATUSES = ['RUNNING', 'BILLING', 'SUCCEEDED', 'REJECTED', 'FAILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What one billing chunk adds to its run. */
export interface BillChunkTally {
  accountsBilled: number;
  billsCreated: number;
  billsUnchanged: number;
  continuityBreaks: number;
  /** Rows of accounts that could not be billed (they move from accepted to rejected). */
  rowsRejected: number;
  /** Accounts whose bill is held for review. */
  billsHeld: number;
  /** Accounts that could not be billed. */
  accountsNotBilled: number;
}

export interface BillingProgress extends BillChunkTally {
  /** The claim this fan-out belongs to (the run's startedAt): chunks of an earlier attempt are ignored. */
  attempt: string;
  chunksTotal: number;
  chunksDone: number;
}

/** A fan-out's progress as it starts: `chunksTotal` chunks to wait for, nothing counted yet. */
export function startedBilling(attempt: string, chunksTotal: number): BillingProgress {
  return {
    attempt,
    chunksTotal,
    chunksDone: 0,
    accountsBilled: 0,
    billsCreated: 0,
    billsUnchanged: 0,
    continuityBreaks: 0,
    rowsRejected: 0,
    billsHeld: 0,
    accountsNotBilled: 0,
  };
}

/** The accounts billing held or could not bill: kept on each chunk's marker, listed on the run. */
export interface BillingOutcomes {
  held: HeldAccount[];
  notBilled: NotBilledAccount[];
}

/** A valid row staged between reading a drop and billing its account. */
export interface StagedRead {
  rowNumber: number;
  row: MeterReadRow;
}

/** A row rejected while billing (its account is unknown, or the engine refused its reads). */
export interface BillingReject {
  rowNumber: number;
  column: string | null;
  reason: string;
  raw: string;
}
