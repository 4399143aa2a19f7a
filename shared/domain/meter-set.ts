import type { MeterReadRow } from './meter-read.ts';
import type { StagedRead } from './run.ts';

/*
 * The set of reads an account-period is billed from (issue #11, item 5). A drop may carry only some of an
 * account's meters (a correction of one meter, or the other meter's row rejected at reading): the bill is
 * then computed from the stored reads of the period with each meter the drop carries replaced, and it is
 * computed at all only when every meter the account is known to have is read, so that no customer is
 * ever sent a bill that silently leaves a meter out.
 */

/** Meter order (as the store keys them), so that the same reads always make the same bill. */
const byMeter = (a: MeterReadRow, b: MeterReadRow): number => {
  const ka = `${a.meterId}#${a.readType}`;
  const kb = `${b.meterId}#${b.readType}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/*
 * A drop's rows of a meter are that meter's whole word on the period: a meter is read once a period
 * (actual or estimated, or meter_out when removed, meter_in when new), so a row of another read type
 * replaces the stored one too (an actual read corrects an estimate and the two are never billed together).
 */

/** The stored reads of an account-period with every meter the drop carries replaced by the drop's rows, in meter order. */
export function mergeMeterReads(
  stored: readonly MeterReadRow[],
  carried: readonly MeterReadRow[],
): MeterReadRow[] {
  const carriedMeters = new Set(carried.map((r) => r.meterId));
  return [...stored.filter((r) => !carriedMeters.has(r.meterId)), ...carried].sort(byMeter);
}

/**
 * The stored reads the drop replaces that storing the drop's rows does not overwrite (the store keys a
 * read by meter and read type): they must be deleted, or a later drop would bill them again.
 */
export function supersededReads(
  stored: readonly MeterReadRow[],
  carried: readonly MeterReadRow[],
): MeterReadRow[] {
  const carriedMeters = new Set(carried.map((r) => r.meterId));
  const overwritten = new Set(carried.map((r) => `${r.meterId}#${r.readType}`));
  return stored.filter((r) => carriedMeters.has(r.meterId) && !overwritten.has(`${r.meterId}#${r.readType}`));
}

/**
 * The meters the account is known to have that the billed set does not read, in order: a meter is known
 * when the previous period read it and it did not end there (`meter_out`). A meter of this period's
 * stored reads is in the merged set already; a meter changed this period is read by its `meter_out`.
 */
export function metersWithoutRead(
  merged: readonly MeterReadRow[],
  previous: readonly MeterReadRow[],
): string[] {
  const read = new Set(merged.map((r) => r.meterId));
  const removed = new Set(previous.filter((r) => r.readType === 'meter_out').map((r) => r.meterId));
  const known = new Set(previous.map((r) => r.meterId).filter((m) => !removed.has(m)));
  return [...known].filter((m) => !read.has(m)).sort();
}

/** Meters a reason names; the rest are counted, so that an account of hundreds of meters keeps its reason short. */
const NAMED_METERS = 10;

/** Why an account-period with unread meters is not billed: the reject reason of each of its rows. */
export function partialBillReason(accountId: string, period: string, missing: readonly string[]): string {
  const named = missing.slice(0, NAMED_METERS).join(', ');
  const more = missing.length > NAMED_METERS ? ` and ${missing.length - NAMED_METERS} more` : '';
  const meters = missing.length === 1 ? `meter ${missing[0]}` : `meters ${named}${more}`;
  const verb = missing.length === 1 ? 'has' : 'have';
  return `${meters} of account ${accountId} ${verb} no read for ${period}: a partial bill is never sent`;
}

/** A row's content independent of the order its fields were stored in. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/**
 * A drop's rows with exact duplicates collapsed to their first occurrence: the same row twice is one
 * read. Two different rows for one meter and read type both stay, and billing refuses them.
 */
export function collapseIdenticalRows(staged: readonly StagedRead[]): StagedRead[] {
  const seen = new Set<string>();
  const ordered = [...staged].sort((a, b) => a.rowNumber - b.rowNumber);
  return ordered.filter((s) => {
    const key = canonical(s.row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
