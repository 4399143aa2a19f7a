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
}

export interface BillingProgress extends BillChunkTally {
  /** The claim this fan-out belongs to (the run's startedAt): chunks of an earlier attempt are ignored. */
  attempt: string;
  chunksTotal: number;
  chunksDone: number;
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
