/**
 * Drop parser: turns an upstream feed file (bytes from the drop bucket) into validated rows and
 * per-row rejects, streaming, with flat memory. Pure: the caller supplies the byte stream and the
 * object metadata (the Lambda adapter passes the S3 GetObject body).
 *
 * - Compression: gzip is recognised by its magic bytes (1f 8b); name and Content-Encoding are hints only.
 * - Encoding: a UTF-8 BOM means UTF-8; else `charset` metadata (gb18030 / gbk / gb2312 → GB18030,
 *   utf-8 / ascii → UTF-8, anything else → DropFileError); else detection: ASCII passes through
 *   undecided, and the first ENCODING_SNIFF_BYTES from the first non-ASCII byte decide (valid UTF-8 →
 *   UTF-8, otherwise GB18030). Bytes invalid in the chosen encoding later on make that row a reject.
 * - CSV: one record per physical line (`\n`, `\r\n` or a lone `\r`; mixed allowed), RFC 4180 quoting
 *   within the line. Empty lines and lines of only commas/blanks are not rows. A row with the wrong field
 *   count, malformed quotes, a quote not closed on its line, undecodable bytes or a cell longer than the
 *   feed's maxCellChars is a reject; the lines after it are read. A line running past MAX_RECORD_BYTES
 *   refuses the file.
 * - Policy: a feed's rowPolicy (meter reads: the period and read_at window) is applied with the caller's
 *   `now` (ReadDropOptions), never the clock read here.
 * - Numbering: `rowNumber` is the 1-based data record number (header = row 0); `line` is the physical
 *   line the record starts on. readDrop's return value is the DropCounts (accepted + rejected = rows =
 *   the data lines counted from the bytes, or the file is refused: row-count-mismatch); a feed with
 *   requireRows refuses a file with no rows (no-rows).
 */
export { MAX_RECORD_BYTES } from './csv.ts';
export {
  type DropBody,
  type DropTextEncoding,
  ENCODING_SNIFF_BYTES,
  type EncodingEvidence,
  type OnEncoding,
} from './decode.ts';
export { DropFileError, type DropFileErrorCode } from './errors.ts';
export { type FeedDefinition, METER_READ_FEED, meterReadFeed, PAYMENT_FEED } from './feeds.ts';
export {
  type DropCounts,
  type DropItem,
  type DropReject,
  type DropRow,
  type DropSource,
  MAX_REJECT_RAW_CHARS,
  type ReadDropOptions,
  rawSplitRows,
  readDrop,
} from './read-drop.ts';
export {
  createRejectReportWriter,
  REJECT_REPORT_HEADER,
  type RejectReportEntry,
  type RejectReportWriter,
  rejectReportChunks,
  rejectReportCsv,
  rejectReportLine,
  reportCell,
} from './reject-report.ts';
