import type { DropCounts, DropItem, DropReject, DropRow, DropSource } from '#ingest/index.ts';

/** The columns of the example in upstream-feeds.md §1, in its order. */
export const METER_HEADER = [
  'account_id',
  'meter_id',
  'period',
  'read_at',
  'read_type',
  'multiplier',
  'kwh_total_start',
  'kwh_total_end',
  'kwh_sharp_start',
  'kwh_sharp_end',
  'kwh_peak_start',
  'kwh_peak_end',
  'kwh_flat_start',
  'kwh_flat_end',
  'kwh_valley_start',
  'kwh_valley_end',
  'kvarh_start',
  'kvarh_end',
  'max_demand_kw',
] as const;

export type MeterCells = Record<(typeof METER_HEADER)[number], string> & Record<string, string>;

/** A valid meter-read row (the spec's example), with overrides. */
export function meterCells(overrides: Partial<Record<string, string>> = {}): MeterCells {
  const base: MeterCells = {
    account_id: '3100012345',
    meter_id: 'M-88001',
    period: '2026-10',
    read_at: '2026-10-31T23:45:00+08:00',
    read_type: 'actual',
    multiplier: '2000',
    kwh_total_start: '1520.31',
    kwh_total_end: '1791.07',
    kwh_sharp_start: '120.05',
    kwh_sharp_end: '141.60',
    kwh_peak_start: '480.11',
    kwh_peak_end: '566.02',
    kwh_flat_start: '510.10',
    kwh_flat_end: '601.33',
    kwh_valley_start: '410.05',
    kwh_valley_end: '482.12',
    kvarh_start: '630.20',
    kvarh_end: '742.88',
    max_demand_kw: '0.4123',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

/** RFC 4180 field: quoted only when it has to be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A CSV text from a header and rows given as cells keyed by header name. */
export function csvText(
  header: readonly string[],
  rows: readonly Record<string, string>[],
  eol = '\n',
): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(header.map((h) => csvField(row[h] ?? '')).join(','));
  return lines.join(eol) + eol;
}

/** The bytes as a stream of chunks of `size` bytes (small sizes cut multi-byte characters). */
export async function* chunks(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

export function source(
  bytes: Uint8Array | string,
  extra: Partial<DropSource> = {},
  chunkSize?: number,
): DropSource {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return { fileName: 'drop.csv', body: chunks(data, chunkSize), ...extra };
}

export interface Collected<T> {
  items: DropItem<T>[];
  rows: DropRow<T>[];
  rejects: DropReject[];
  counts: DropCounts;
}

/** Runs a readDrop generator to the end, keeping its return value. */
export async function collect<T>(generator: AsyncGenerator<DropItem<T>, DropCounts>): Promise<Collected<T>> {
  const items: DropItem<T>[] = [];
  for (let next = await generator.next(); ; next = await generator.next()) {
    if (next.done) {
      return {
        items,
        rows: items.filter((i): i is DropRow<T> => i.kind === 'row'),
        rejects: items.filter((i): i is DropReject => i.kind === 'reject'),
        counts: next.value,
      };
    }
    items.push(next.value);
  }
}

/** The rejection a promise ends with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}
