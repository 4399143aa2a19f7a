import { text } from 'node:stream/consumers';
import type { RunRecord } from '#domain/run.ts';
import { REJECT_REPORT_HEADER, rejectReportCsv, rejectReportLine } from '#ingest/index.ts';
import type { DropObjectStore, DropRef, RunStore } from './ports/index.ts';

export interface RowReject {
  rowNumber: number;
  column: string | null;
  reason: string;
  raw: string;
}

/** Where a drop's reject report goes: beside the drops, under rejects/. */
export const rejectReportKeyFor = (dropKey: string): string =>
  `rejects/${dropKey.replace(/^drops\//, '')}.rejects.csv`;

/**
 * Writes the reject report of a drop, in row order; returns its key and size, or undefined when nothing
 * was rejected.
 */
export async function writeRejectReport(
  ref: DropRef,
  rejects: RowReject[],
  objects: DropObjectStore,
): Promise<{ key: string; bytes: number } | undefined> {
  if (rejects.length === 0) return undefined;
  const key = rejectReportKeyFor(ref.key);
  rejects.sort((a, b) => a.rowNumber - b.rowNumber);
  const report = rejectReportCsv(rejects);
  await objects.put({ bucket: ref.bucket, key }, report, 'text/csv; charset=utf-8');
  return { key, bytes: Buffer.byteLength(report) };
}

/**
 * Adds the rows rejected while billing after those rejected while reading (the first `readingBytes`
 * bytes of the existing report, if any). Rewrites rather than appends, so running it twice is harmless.
 */
export async function appendBillingRejects(
  ref: DropRef,
  readingBytes: number | undefined,
  rejects: readonly RowReject[],
  objects: DropObjectStore,
): Promise<string> {
  const key = rejectReportKeyFor(ref.key);
  let reading = REJECT_REPORT_HEADER;
  if (readingBytes !== undefined && readingBytes > 0) {
    const existing = Buffer.from(await text((await objects.open({ bucket: ref.bucket, key })).body));
    reading = existing.subarray(0, readingBytes).toString('utf-8');
  }
  await objects.put(
    { bucket: ref.bucket, key },
    reading + rejects.map(rejectReportLine).join(''),
    'text/csv; charset=utf-8',
  );
  return key;
}

/** A file-level problem rejects the whole drop: one reason in the report, the run REJECTED. */
export async function rejectWholeDrop(
  ref: DropRef,
  run: RunRecord,
  reason: string,
  deps: { runs: Pick<RunStore, 'finishRun'>; objects: DropObjectStore; now: () => Date },
): Promise<string> {
  const report = (await writeRejectReport(
    ref,
    [{ rowNumber: 0, column: null, reason, raw: '' }],
    deps.objects,
  ))!;
  await deps.runs.finishRun({
    ...run,
    status: 'REJECTED',
    finishedAt: deps.now().toISOString(),
    reason,
    rejectReportKey: report.key,
  });
  return report.key;
}
