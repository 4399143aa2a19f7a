import { pipeline, Readable } from 'node:stream';
import { CsvError, type Options, type Parser, parse } from 'csv-parse';
import { DropFileError } from './errors.ts';

/**
 * One physical line of the file as a CSV record (the header line included). A record never runs across
 * lines: no field of a feed may hold a line break, and a quote left open would otherwise swallow the
 * valid rows after it (issue #11). So a quote not closed on its line makes that line a reject, and
 * reading goes on with the next line.
 */
export interface CsvRecord {
  readonly fields: string[];
  /** The line's text, without its line end. */
  readonly text: string;
  /** Physical line (1-based): `\n`, `\r\n` and a lone `\r` each end a line. */
  readonly line: number;
  /** Set when a quote opened on this line is not closed on it. `fields` is then empty. */
  readonly unterminated: boolean;
}

/**
 * What the byte stream held, counted apart from the parser so that the row accounting can be checked
 * against it (readDrop: accepted + rejected must equal the data lines).
 */
export interface LineStats {
  /** Physical lines with at least one character (empty lines are not counted). */
  nonEmptyLines: number;
  /** Non-empty lines of only commas and blanks, which carry no data and are not rows. */
  blankLines: number;
}

/**
 * Input taken without any line ending before the file is refused: a real line is a few hundred bytes,
 * so this only trips on a binary file, and it bounds memory. Measured on the feeding side, so it is
 * exact to within a slice or two (≈ 128 KiB).
 */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** The parser is fed at most this much at a time, which keeps MAX_RECORD_BYTES accurate. */
const FEED_SLICE_BYTES = 64 * 1024;

interface RawRecord {
  record: string[];
  raw: string;
}

/** csv-parse options for drop files (exported so tests can parse a whole text the same way). */
export const CSV_PARSE_OPTIONS = {
  // The spec says `\n` or `\r\n`; a lone `\r` (old Mac files) ends a line too rather than gluing the
  // whole file into its header, which once made such a drop "succeed" with no rows. `\r\n` first.
  record_delimiter: ['\r\n', '\n', '\r'],
  raw: true,
  // csv-parse splits lines at commas only; quotes are read per line (splitQuotedLine), so an unclosed
  // quote costs its own line and nothing after it.
  quote: false,
  // A row with the wrong number of fields is a reject for that row, not a parse failure.
  relax_column_count: true,
  skip_empty_lines: true,
} as const satisfies Options;

function createParser(): Parser {
  return parse({ ...CSV_PARSE_OPTIONS, record_delimiter: [...CSV_PARSE_OPTIONS.record_delimiter] });
}

/**
 * The fields of one line read with RFC 4180 quoting: a field starting with `"` runs to its closing
 * quote, inner quotes doubled. Lenient like csv-parse's relax_quotes (a stray quote elsewhere stays
 * text; readDrop rejects such a line as malformed quoting). `unterminated` when a quote is not closed.
 */
export function splitQuotedLine(text: string): { fields: string[]; unterminated: boolean } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return { fields: [], unterminated: true };
        value += text.slice(from, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      const comma = text.indexOf(',', i);
      // Text after the closing quote (malformed) is kept, as csv-parse's relax_quotes keeps it.
      value += text.slice(i, comma === -1 ? text.length : comma);
      fields.push(value);
      if (comma === -1) return { fields, unterminated: false };
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      fields.push(text.slice(i, comma === -1 ? text.length : comma));
      if (comma === -1) return { fields, unterminated: false };
      i = comma + 1;
    }
  }
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
 * csv-parse's `raw` holds, before the record, the blank lines it skipped, and after it the record
 * delimiter; this strips both and follows the physical line count.
 */
class LineTracker {
  private breaksSoFar = 0;

  place(raw: string): { text: string; line: number } {
    let start = 0;
    while (start < raw.length) {
      const c = raw.charCodeAt(start);
      if (c !== 10 && c !== 13) break;
      start++;
    }
    const line = 1 + this.breaksSoFar + (start > 0 ? countLineBreaks(raw, 0, start) : 0);
    this.breaksSoFar += countLineBreaks(raw, 0, raw.length);
    let end = raw.length;
    while (end > start) {
      const last = raw.charCodeAt(end - 1);
      if (last !== 10 && last !== 13) break;
      end--;
    }
    return { text: start === 0 && end === raw.length ? raw : raw.slice(start, end), line };
  }
}

function isBlank(fields: readonly string[]): boolean {
  for (const field of fields) if (field.trim() !== '') return false;
  return true;
}

/** Counts non-empty physical lines in the bytes as they pass (`\n`, `\r\n`, lone `\r`). */
class ByteLineCounter {
  nonEmptyLines = 0;
  /** The line being read has at least one byte. */
  private lineHasContent = false;
  private lastWasCr = false;

  count(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // The common case, no CR at all: native indexOf from LF to LF.
    if (bytes.indexOf(13) === -1) {
      let from = 0;
      let lines = 0;
      let content = this.lineHasContent;
      for (let lf = bytes.indexOf(10); lf !== -1; lf = bytes.indexOf(10, from)) {
        // The `\n` of a `\r\n` cut between chunks ends the line the `\r` already ended.
        if (lf > from || (content && !(lf === 0 && this.lastWasCr))) lines++;
        content = false;
        from = lf + 1;
      }
      this.nonEmptyLines += lines;
      this.lineHasContent = from < bytes.length || content;
      this.lastWasCr = false;
      return;
    }
    this.countByByte(bytes);
  }

  private countByByte(bytes: Buffer): void {
    let content = this.lineHasContent;
    let lastWasCr = this.lastWasCr;
    let lines = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 10) {
        if (!lastWasCr && content) lines++;
        content = false;
        lastWasCr = false;
      } else if (b === 13) {
        if (content) lines++;
        content = false;
        lastWasCr = true;
      } else {
        content = true;
        lastWasCr = false;
      }
    }
    this.nonEmptyLines += lines;
    this.lineHasContent = content;
    this.lastWasCr = lastWasCr;
  }

  end(): void {
    if (this.lineHasContent) this.nonEmptyLines++;
    this.lineHasContent = false;
  }
}

async function* feedWithRecordBound(
  chunks: AsyncIterable<Buffer>,
  parser: Parser,
  fileName: string,
  counter: ByteLineCounter,
): AsyncGenerator<Buffer> {
  let progressMark = -1;
  let progressLine = 1;
  let bytesWithoutProgress = 0;
  for await (const chunk of chunks) {
    counter.count(chunk);
    for (let offset = 0; offset < chunk.length; offset += FEED_SLICE_BYTES) {
      // info.bytes moves at every delimiter; empty lines are counted separately.
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
          `line ${progressLine} runs on for more than ${MAX_RECORD_BYTES / 1024 / 1024} MiB without a line end ` +
            '(is this a text file?)',
        );
      }
      yield slice;
    }
  }
  counter.end();
}

/** The record of one line: csv-parse's comma split, or the quote-aware split when the line has a quote. */
function recordOf(fields: string[], text: string, line: number): CsvRecord {
  if (text.indexOf('"') === -1) return { fields, text, line, unterminated: false };
  const quoted = splitQuotedLine(text);
  return { fields: quoted.fields, text, line, unterminated: quoted.unterminated };
}

/**
 * Splits UTF-8 bytes into CSV records, one per physical line, streaming, with each line's text and
 * number. Empty lines and lines whose cells are all empty or blank are not yielded (they are counted
 * in `stats`, filled as the file is read and complete once the generator is done).
 */
export async function* csvRecords(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  stats: LineStats = { nonEmptyLines: 0, blankLines: 0 },
): AsyncGenerator<CsvRecord> {
  const parser: Parser = createParser();
  const lines = new LineTracker();
  const counter = new ByteLineCounter();
  // A read-ahead of one slice keeps the parser's progress, seen from the feeding side, close to current.
  const feed = Readable.from(feedWithRecordBound(chunks, parser, fileName, counter), { highWaterMark: 1 });
  const records = pipeline(feed, parser, () => {});
  try {
    for await (const { record, raw } of records as AsyncIterable<RawRecord>) {
      const { text, line } = lines.place(raw);
      const item = recordOf(record, text, line);
      // Records of only empty cells (`,,,,`, as spreadsheets export) carry no data. Skipped here
      // rather than with csv-parse's skip_records_with_empty_values, whose skips hide line breaks.
      if (!item.unterminated && isBlank(item.fields)) {
        stats.blankLines++;
        continue;
      }
      yield item;
    }
  } catch (err) {
    if (err instanceof CsvError)
      throw new DropFileError(fileName, 'not-csv', `not readable as CSV: ${err.message}`);
    throw err;
  } finally {
    stats.nonEmptyLines = counter.nonEmptyLines;
  }
}
