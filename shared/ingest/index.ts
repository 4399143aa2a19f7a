/**
 * Drop parser: turns an upstream feed file (bytes from the drop bucket) into validated rows and
 * per-row rejects. Pure: the caller supplies the byte stream and the object metadata.
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
export { type FeedDefinition, METER_READ_FEED, PAYMENT_FEED } from './feeds.ts';
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
