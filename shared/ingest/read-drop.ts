import type { z } from 'zod';
import type { RowBreach } from '#domain/meter-read-bounds.ts';
import { type CsvRecord, csvRecords, type LineStats } from './csv.ts';
import {
  bodyChunks,
  type DropBody,
  declaredEncoding,
  decodeToUtf8,
  gunzipIfCompressed,
  type OnEncoding,
} from './decode.ts';
import { DropFileError } from './errors.ts';
import type { FeedDefinition } from './feeds.ts';

export interface DropSource {
  /** Object key or file name; used in errors only (gzip is recognised by its bytes, not the name). */
  fileName: string;
  body: DropBody;
  /** The object's `charset` metadata, e.g. 'gb18030'. */
  charset?: string;
  /** Content-Encoding if known. Informational: gzip is recognised by its magic bytes either way. */
  contentEncoding?: string;
}

/**
 * Numbering: `rowNumber` counts data records from 1 (the header is row 0); records are what the CSV
 * grammar yields, so a row with a quoted line break is one row, and empty lines and lines of only
 * commas are not rows. `line` is the physical line (1-based) on which the record starts.
 */
export interface DropRow<T> {
  kind: 'row';
  rowNumber: number;
  line: number;
  row: T;
}

export interface DropReject {
  kind: 'reject';
  rowNumber: number;
  line: number;
  /** The CSV column (header name, lower-case) at fault, or null when the row as a whole is. */
  column: string | null;
  reason: string;
  /** The row's text as it was in the file (without line end), cut at MAX_REJECT_RAW_CHARS. */
  raw: string;
}

export type DropItem<T> = DropRow<T> | DropReject;

/**
 * Always `accepted + rejected === rows`, and `rows` is the number of data lines in the file, counted from
 * its bytes apart from the parser (non-empty, non-blank lines after the header): readDrop refuses the
 * file (DropFileError `row-count-mismatch`) rather than return counts that do not add up.
 */
export interface DropCounts {
  rows: number;
  accepted: number;
  rejected: number;
}

export interface ReadDropOptions {
  /** Told once how the text encoding was decided (for logs). */
  onEncoding?: OnEncoding;
  /**
   * The caller's clock, for the feed's rowPolicy (e.g. the period window of meter reads). Without it the
   * policy is not applied: the domain never reads the clock itself.
   */
  now?: Date;
}

/** Longer raw text (a line of a binary file, a huge cell) is cut in rejects. */
export const MAX_REJECT_RAW_CHARS = 4096;

/** Longest cell of a feed's columns read at all, unless the feed says otherwise (FeedDefinition.maxCellChars). */
export const DEFAULT_MAX_CELL_CHARS = 256;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/** The file's records, decoded, whatever the compression and encoding. */
function dropRecords(
  source: DropSource,
  options: ReadDropOptions,
  stats?: LineStats,
): AsyncGenerator<CsvRecord> {
  const declared = declaredEncoding(source.charset, source.fileName);
  const inflated = gunzipIfCompressed(bodyChunks(source.body), source.fileName);
  return csvRecords(decodeToUtf8(inflated, declared, options.onEncoding), source.fileName, stats);
}

interface Header {
  /** Trimmed lower-case name of every header field, by position. */
  readonly names: readonly string[];
  /** Where each of the feed's columns present in the header sits. */
  readonly bindings: readonly { readonly column: string; readonly index: number }[];
  /** For each of the feed's columns, in the feed's order, its field index; -1 when the header lacks it. */
  readonly positions: readonly number[];
}

// Control characters or U+FFFD in the header: a binary or wrongly decoded file, not a CSV text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of this pattern
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/;

function readHeader(
  record: CsvRecord,
  feed: Pick<FeedDefinition<unknown>, 'columns' | 'requiredColumns'>,
  fileName: string,
): Header {
  if (record.unterminated) {
    throw new DropFileError(fileName, 'not-csv', 'the header row opens a quote that is never closed');
  }
  const names = record.fields.map((name) => name.trim().toLowerCase());
  if (names.some((name) => NOT_TEXT.test(name))) {
    throw new DropFileError(fileName, 'not-csv', 'the header row is not text; is this a CSV file?');
  }
  const known = new Set(feed.columns);
  const positions = new Map<string, number>();
  const duplicates: string[] = [];
  names.forEach((name, index) => {
    if (!known.has(name)) return;
    if (positions.has(name)) duplicates.push(name);
    else positions.set(name, index);
  });
  if (duplicates.length > 0) {
    throw new DropFileError(
      fileName,
      'duplicate-column',
      `column ${duplicates.map((c) => `"${c}"`).join(', ')} appears more than once in the header`,
      duplicates,
    );
  }
  const missing = feed.requiredColumns.filter((column) => !positions.has(column));
  if (missing.length > 0) {
    const hint = names.length === 1 ? ' (the header has a single column: is the file comma-separated?)' : '';
    throw new DropFileError(
      fileName,
      'missing-column',
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}${hint}`,
      missing,
    );
  }
  return {
    names,
    bindings: feed.columns.flatMap((column) => {
      const index = positions.get(column);
      return index === undefined ? [] : [{ column, index }];
    }),
    positions: feed.columns.map((column) => positions.get(column) ?? -1),
  };
}

/**
 * Index of the first field of `text` that breaks RFC 4180 quoting (a quote inside an unquoted field,
 * text after a closing quote, a quote never closed), or -1. csv-parse runs with relax_quotes, so it
 * reads such rows leniently; this is where they become rejects.
 */
export function malformedQuoteField(text: string): number {
  let field = 0;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) return field;
        if (text.charCodeAt(quote + 1) === 34) {
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      if (i >= text.length) return -1;
      if (text.charCodeAt(i) !== 44) return field;
    } else {
      const comma = text.indexOf(',', i);
      const quote = text.indexOf('"', i);
      if (quote !== -1 && (comma === -1 || quote < comma)) return field;
      if (comma === -1) return -1;
      i = comma;
    }
    i++;
    field++;
  }
}

function describeIssue(issue: z.core.$ZodIssue, value: string | undefined): string {
  if (value === undefined || value.trim() === '') return `${issue.message} (empty)`;
  return `${issue.message} (got "${clip(value, 60)}")`;
}

function rejectOf(record: CsvRecord, rowNumber: number, column: string | null, reason: string): DropReject {
  return {
    kind: 'reject',
    rowNumber,
    line: record.line,
    column,
    reason,
    raw: clip(record.text, MAX_REJECT_RAW_CHARS),
  };
}

const columnAt = (header: Header, index: number): string | null => header.names[index] ?? null;

/** Why a record cannot be a row whatever its cells say (its CSV text is broken), or undefined. */
function recordProblem(record: CsvRecord, rowNumber: number, header: Header): DropReject | undefined {
  const { fields, text } = record;
  if (record.unterminated) {
    return rejectOf(
      record,
      rowNumber,
      columnAt(header, malformedQuoteField(text)),
      'a quote opened in this field is not closed on its line (a field cannot run across lines)',
    );
  }
  if (text.includes('\uFFFD')) {
    return rejectOf(
      record,
      rowNumber,
      columnAt(
        header,
        fields.findIndex((f) => f.includes('\uFFFD')),
      ),
      'contains bytes that are not valid text in the file encoding (UTF-8 or GB18030)',
    );
  }
  if (text.includes('"')) {
    const bad = malformedQuoteField(text);
    if (bad !== -1) {
      return rejectOf(
        record,
        rowNumber,
        columnAt(header, bad),
        'malformed quoting: a field with a quote must be enclosed in quotes, with inner quotes doubled',
      );
    }
  }
  if (fields.length !== header.names.length) {
    return rejectOf(
      record,
      rowNumber,
      null,
      `expected ${header.names.length} fields as in the header, found ${fields.length}`,
    );
  }
  return undefined;
}

/** The row's cells in the order of the feed's columns, undefined where the header lacks the column. */
function cellsInFeedOrder(fields: readonly string[], header: Header): (string | undefined)[] {
  const positions = header.positions;
  const cells = new Array<string | undefined>(positions.length);
  for (let i = 0; i < positions.length; i++) {
    const index = positions[i]!;
    cells[i] = index < 0 ? undefined : fields[index];
  }
  return cells;
}

/** The row's cells keyed by column name (only columns present in the header): the schema's input. */
function cellsByColumn(fields: readonly string[], header: Header): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const { column, index } of header.bindings) cells[column] = fields[index]!;
  return cells;
}

/**
 * A cell of the feed's columns longer than the feed allows, as a reject, before anything parses it: a
 * 100,000-digit register costs a length check, not a decimal.
 */
function oversizedCell<T>(
  record: CsvRecord,
  rowNumber: number,
  header: Header,
  feed: FeedDefinition<T>,
): DropReject | undefined {
  const max = feed.maxCellChars ?? DEFAULT_MAX_CELL_CHARS;
  const { fields } = record;
  for (const { column, index } of header.bindings) {
    const length = fields[index]!.length;
    if (length > max) {
      return rejectOf(record, rowNumber, column, `the cell is ${length} characters long, more than ${max}`);
    }
  }
  return undefined;
}

/** A drop's check of each valid row against the rows before it (FeedDefinition.acrossRows). */
type AcrossRows<T> = ((row: T, rowNumber: number) => RowBreach | undefined) | undefined;

/**
 * The row, or its reject when the feed's policy (given the caller's clock) refuses it or it contradicts
 * an earlier row of the drop.
 */
function withinPolicy<T>(
  record: CsvRecord,
  rowNumber: number,
  row: T,
  feed: FeedDefinition<T>,
  now: Date | undefined,
  across: AcrossRows<T>,
): DropItem<T> {
  const breach = (now === undefined ? undefined : feed.rowPolicy?.(row, now)) ?? across?.(row, rowNumber);
  if (breach === undefined) return { kind: 'row', rowNumber, line: record.line, row };
  return rejectOf(record, rowNumber, breach.column, breach.reason);
}

// Plain functions rather than closures made per row: this runs a million times a drop.
function checkRecord<T>(
  record: CsvRecord,
  rowNumber: number,
  header: Header,
  feed: FeedDefinition<T>,
  now: Date | undefined,
  across: AcrossRows<T>,
): DropItem<T> {
  const problem = recordProblem(record, rowNumber, header) ?? oversizedCell(record, rowNumber, header, feed);
  if (problem !== undefined) return problem;

  // The feed's fast path takes the rows its schema certainly accepts; zod decides (and words) the rest.
  if (feed.certainRow !== undefined) {
    const row = feed.certainRow(cellsInFeedOrder(record.fields, header));
    if (row !== undefined) return withinPolicy(record, rowNumber, row, feed, now, across);
  }
  const cells = cellsByColumn(record.fields, header);
  const result = feed.schema.safeParse(cells);
  if (result.success) return withinPolicy(record, rowNumber, result.data, feed, now, across);
  const issue = result.error.issues[0]!;
  const column = typeof issue.path[0] === 'string' ? issue.path[0] : null;
  return rejectOf(
    record,
    rowNumber,
    column,
    describeIssue(issue, column === null ? undefined : cells[column]),
  );
}

/**
 * Reads one drop file: inflates gzip, decodes UTF-8 / GB18030, parses CSV, maps the header and
 * validates each row. Yields rows and rejects in file order; returns the counts. Throws DropFileError
 * for a problem with the file as a whole (possibly after rows were yielded, see DropFileError).
 */
export async function* readDrop<T>(
  source: DropSource,
  feed: FeedDefinition<T>,
  options: ReadDropOptions = {},
): AsyncGenerator<DropItem<T>, DropCounts, undefined> {
  const counts: DropCounts = { rows: 0, accepted: 0, rejected: 0 };
  const stats: LineStats = { nonEmptyLines: 0, blankLines: 0 };
  let header: Header | undefined;
  let across: AcrossRows<T>;
  for await (const record of dropRecords(source, options, stats)) {
    if (header === undefined) {
      header = readHeader(record, feed, source.fileName);
      across = feed.acrossRows?.(header.names);
      continue;
    }
    counts.rows++;
    const item = checkRecord(record, counts.rows, header, feed, options.now, across);
    if (item.kind === 'row') counts.accepted++;
    else counts.rejected++;
    yield item;
  }
  if (header === undefined)
    throw new DropFileError(source.fileName, 'empty', 'the file is empty (no header row)');
  checkAccounting(source.fileName, counts, stats.nonEmptyLines - stats.blankLines - 1, feed);
  return counts;
}

/** Refuses a file whose rows do not account for its lines, or that a feed needing rows has none of. */
export function checkAccounting(
  fileName: string,
  counts: DropCounts,
  dataLines: number,
  feed: Pick<FeedDefinition<unknown>, 'requireRows'>,
): void {
  if (counts.rows !== dataLines || counts.accepted + counts.rejected !== counts.rows) {
    throw new DropFileError(
      fileName,
      'row-count-mismatch',
      `row accounting does not add up: ${dataLines} data lines, ${counts.rows} rows read, ` +
        `${counts.accepted} accepted + ${counts.rejected} rejected`,
    );
  }
  if (feed.requireRows === true && counts.rows === 0) {
    throw new DropFileError(fileName, 'no-rows', 'the file has a header but no data rows');
  }
}

/**
 * Baseline for benchmarks: decoding and CSV splitting only, every record (header included) as its
 * fields, no header mapping or validation. A record cut off by an unclosed quote is not yielded.
 */
export async function* rawSplitRows(source: DropSource): AsyncGenerator<string[]> {
  for await (const record of dropRecords(source, {})) {
    if (!record.unterminated) yield record.fields;
  }
}
