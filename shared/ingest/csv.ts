import { pipeline, Readable } from 'node:stream';
import { CsvError, type Options, type Parser, parse } from 'csv-parse';
import { DropFileError } from './errors.ts';

/** One record as csv-parse produced it (the header record included). */
export interface CsvRecord {
  readonly fields: string[];
  /** The record's text in the file, without blank lines before it and without its line end. */
  readonly text: string;
  /** Physical line (1-based) on which the record starts. */
  readonly line: number;
  /**
   * Set when csv-parse could not finish the record: a quote opened and never closed, so the record
   * runs to the end of the file. `fields` is then empty.
   */
  readonly unterminated: boolean;
}

/**
 * Input taken without any field or record ending before the file is refused: a real record is a few
 * hundred bytes, so this only trips on an unclosed quote (or a binary file), and it bounds memory.
 * Measured on the feeding side, so it is exact to within a slice or two (≈ 128 KiB).
 */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** The parser is fed at most this much at a time, which keeps MAX_RECORD_BYTES accurate. */
const FEED_SLICE_BYTES = 64 * 1024;

interface RawRecord {
  record: string[];
  raw: string;
}

interface SkippedRecord {
  /** Records the parser had pushed when this one was given up: it goes between those and the next. */
  readonly recordsBefore: number;
  readonly raw: string;
}

/** csv-parse options for drop files (exported so tests can parse a whole text the same way). */
export const CSV_PARSE_OPTIONS = {
  // The spec says `\n` or `\r\n`; naming both (instead of auto-discovery from the first line)
  // keeps a file with mixed line ends readable. A lone `\r` stays inside the field.
  record_delimiter: ['\r\n', '\n'],
  raw: true,
  // A row with the wrong number of fields is a reject for that row, not a parse failure.
  relax_column_count: true,
  // A stray quote inside a field is kept as text; the row check reports it as malformed quoting.
  relax_quotes: true,
  skip_empty_lines: true,
  // With relax_quotes the only error left is a quote still open at the end of the file: that record
  // goes to on_skip instead of failing the stream (and losing the records buffered before it).
  skip_records_with_error: true,
} as const satisfies Options;

function createParser(onSkip: (err: CsvError | undefined, raw: string | undefined) => void): Parser {
  return parse({
    ...CSV_PARSE_OPTIONS,
    record_delimiter: [...CSV_PARSE_OPTIONS.record_delimiter],
    on_skip: (err, raw) => {
      onSkip(err, raw);
      return undefined;
    },
  });
}

/** Count of line breaks (`\n`, `\r\n` or a lone `\r`) in `text[from, to)`. */
function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  for (let i = text.indexOf('\r', from); i !== -1 && i < to; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== 10) count++;
  }
  return count;
}

/**
 * csv-parse's `raw` holds, before the record, the blank lines it skipped, and after it the first
 * character of the record delimiter; this strips both and follows the physical line count.
 */
class LineTracker {
  private breaksSoFar = 0;

  /** `unterminated`: the raw text runs to the end of the file, so every trailing line end goes. */
  place(raw: string, unterminated = false): { text: string; line: number } {
    let start = 0;
    while (start < raw.length) {
      const c = raw.charCodeAt(start);
      if (c !== 10 && c !== 13) break;
      start++;
    }
    const line = 1 + this.breaksSoFar + (start > 0 ? countLineBreaks(raw, 0, start) : 0);
    this.breaksSoFar += countLineBreaks(raw, 0, raw.length);
    let end = raw.length;
    do {
      const last = raw.charCodeAt(end - 1);
      if (end <= start || (last !== 10 && last !== 13)) break;
      end--;
    } while (unterminated);
    return { text: start === 0 && end === raw.length ? raw : raw.slice(start, end), line };
  }
}

function isBlank(fields: readonly string[]): boolean {
  for (const field of fields) if (field.trim() !== '') return false;
  return true;
}

async function* feedWithRecordBound(
  chunks: AsyncIterable<Buffer>,
  parser: Parser,
  fileName: string,
): AsyncGenerator<Buffer> {
  let progressMark = -1;
  let progressLine = 1;
  let bytesWithoutProgress = 0;
  for await (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; offset += FEED_SLICE_BYTES) {
      // info.bytes moves at every delimiter outside quotes; empty lines are counted separately.
      const mark = parser.info.bytes + parser.info.empty_lines;
      if (mark !== progressMark) {
        progressMark = mark;
        progressLine = parser.info.lines;
        bytesWithoutProgress = 0;
      }
      const slice =
        offset === 0 && chunk.length <= FEED_SLICE_BYTES
          ? chunk
          : chunk.subarray(offset, offset + FEED_SLICE_BYTES);
      bytesWithoutProgress += slice.length;
      if (bytesWithoutProgress > MAX_RECORD_BYTES) {
        throw new DropFileError(
          fileName,
          'record-too-large',
          `a field runs on for more than ${MAX_RECORD_BYTES / 1024 / 1024} MiB from around line ${progressLine} ` +
            '(an unclosed quote?)',
        );
      }
      yield slice;
    }
  }
}

/**
 * Splits UTF-8 bytes into CSV records (RFC 4180), streaming, with each record's text and start line.
 * Empty lines and records whose cells are all empty or blank are not yielded.
 */
export async function* csvRecords(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
): AsyncGenerator<CsvRecord> {
  const skipped: SkippedRecord[] = [];
  const parser: Parser = createParser((_err, raw) => {
    skipped.push({ recordsBefore: parser.info.records, raw: raw ?? '' });
  });
  const lines = new LineTracker();
  const unterminated = (skip: SkippedRecord): CsvRecord => {
    const { text, line } = lines.place(skip.raw, true);
    return { fields: [], text, line, unterminated: true };
  };
  // A read-ahead of one slice keeps the parser's progress, seen from the feeding side, close to current.
  const feed = Readable.from(feedWithRecordBound(chunks, parser, fileName), { highWaterMark: 1 });
  const records = pipeline(feed, parser, () => {});
  let pushed = 0;
  try {
    for await (const { record, raw } of records as AsyncIterable<RawRecord>) {
      pushed++;
      while (skipped.length > 0 && skipped[0]!.recordsBefore < pushed) yield unterminated(skipped.shift()!);
      const { text, line } = lines.place(raw);
      // Records of only empty cells (`,,,,`, as spreadsheets export) carry no data. Skipped here
      // rather than with csv-parse's skip_records_with_empty_values, whose skips hide line breaks.
      if (isBlank(record)) continue;
      yield { fields: record, text, line, unterminated: false };
    }
  } catch (err) {
    if (err instanceof CsvError)
      throw new DropFileError(fileName, 'not-csv', `not readable as CSV: ${err.message}`);
    throw err;
  }
  for (const skip of skipped) yield unterminated(skip);
}
