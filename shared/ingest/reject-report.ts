import { type CsvCell, writeCsv, writeCsvCell } from '#domain/csv/write-csv.ts';
import type { DropItem, DropReject } from './read-drop.ts';

export const REJECT_REPORT_HEADER = writeCsv([['row', 'column', 'reason', 'raw']]);

/** A line of the reject report: a reject from readDrop, or one a later stage adds (no `kind`). */
export type RejectReportEntry = Pick<DropReject, 'rowNumber' | 'column' | 'reason' | 'raw'>;

type ReportInput = RejectReportEntry | DropItem<unknown>;

/** One report cell: neutralised against formula injection, then quoted per RFC 4180 where needed. */
export const reportCell = (value: string): string => writeCsvCell(value);

const reportRecord = (entry: RejectReportEntry): CsvCell[] => [
  entry.rowNumber,
  entry.column ?? '',
  entry.reason,
  entry.raw,
];

export function rejectReportLine(entry: RejectReportEntry): string {
  return writeCsv([reportRecord(entry)]);
}

export interface RejectReportWriter {
  /** CSV text for one entry, preceded by the header on the first call. */
  write(entry: RejectReportEntry): string;
  /** The header when nothing was written (an empty report still has one), otherwise ''. */
  end(): string;
}

/** Builds the reject report piece by piece, for a consumer that uploads it as it goes. */
export function createRejectReportWriter(): RejectReportWriter {
  let started = false;
  const header = (): string => {
    if (started) return '';
    started = true;
    return REJECT_REPORT_HEADER;
  };
  return {
    write: (entry) => header() + rejectReportLine(entry),
    end: header,
  };
}

const isReject = (item: ReportInput): item is RejectReportEntry =>
  !('kind' in item) || item.kind === 'reject';

/** The reject report as a stream of CSV text chunks; accepted rows among `items` are passed over. */
export async function* rejectReportChunks(
  items: Iterable<ReportInput> | AsyncIterable<ReportInput>,
): AsyncGenerator<string> {
  const writer = createRejectReportWriter();
  for await (const item of items) {
    if (isReject(item)) yield writer.write(item);
  }
  const tail = writer.end();
  if (tail !== '') yield tail;
}

/**
 * The whole reject report as one string: synchronously from an in-memory list, as a promise from an
 * async source. Accepted rows among `items` are passed over. For very large reports prefer
 * rejectReportChunks or createRejectReportWriter.
 */
export function rejectReportCsv(items: Iterable<ReportInput>): string;
export function rejectReportCsv(items: AsyncIterable<ReportInput>): Promise<string>;
export function rejectReportCsv(
  items: Iterable<ReportInput> | AsyncIterable<ReportInput>,
): string | Promise<string> {
  if (Symbol.iterator in items) {
    const records: CsvCell[][] = [];
    for (const item of items) if (isReject(item)) records.push(reportRecord(item));
    return REJECT_REPORT_HEADER + writeCsv(records);
  }
  return (async () => {
    let text = '';
    for await (const chunk of rejectReportChunks(items)) text += chunk;
    return text;
  })();
}
