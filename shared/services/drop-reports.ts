import type { DropObjectStore, DropRef } from '../adapters/drop-objects.ts';
import type { KeybillRepository, RunRecord } from '../adapters/repository.ts';
import { rejectReportCsv } from '../ingest/index.ts';

export interface RowReject {
  rowNumber: number;
  column: string | null;
  reason: string;
  raw: string;
}

/** Where a drop's reject report goes: beside the drops, under rejects/. */
export const rejectReportKeyFor = (dropKey: string): string =>
  `rejects/${dropKey.replace(/^drops\//, '')}.rejects.csv`;

/** Writes the reject report of a drop, in row order; returns its key, or undefined when nothing was rejected. */
export async function writeRejectReport(
  ref: DropRef,
  rejects: RowReject[],
  objects: DropObjectStore,
): Promise<string | undefined> {
  if (rejects.length === 0) return undefined;
  const key = rejectReportKeyFor(ref.key);
  rejects.sort((a, b) => a.rowNumber - b.rowNumber);
  await objects.put({ bucket: ref.bucket, key }, rejectReportCsv(rejects), 'text/csv; charset=utf-8');
  return key;
}

/** A file-level problem rejects the whole drop: one reason in the report, the run REJECTED. */
export async function rejectWholeDrop(
  ref: DropRef,
  run: RunRecord,
  reason: string,
  deps: { repository: KeybillRepository; objects: DropObjectStore; now: () => Date },
): Promise<string> {
  const key = (await writeRejectReport(
    ref,
    [{ rowNumber: 0, column: null, reason, raw: '' }],
    deps.objects,
  ))!;
  await deps.repository.finishRun({
    ...run,
    status: 'REJECTED',
    finishedAt: deps.now().toISOString(),
    reason,
    rejectReportKey: key,
  });
  return key;
}
