/** Why a whole drop file was refused (as opposed to single rows rejected). */
export type DropFileErrorCode =
  | 'empty'
  | 'not-csv'
  | 'missing-column'
  | 'duplicate-column'
  | 'unsupported-charset'
  | 'corrupt-gzip'
  | 'record-too-large'
  | 'no-rows'
  | 'row-count-mismatch';

/**
 * A file-level problem: nothing in the file can be trusted row by row. It can arrive after rows were
 * already yielded (a gzip stream truncated at the end is only noticed there), so a consumer must treat
 * the whole drop as failed when it sees one.
 */
export class DropFileError extends Error {
  override readonly name = 'DropFileError';
  readonly fileName: string;
  readonly code: DropFileErrorCode;
  readonly reason: string;
  /** The columns concerned, for `missing-column` and `duplicate-column`. */
  readonly columns: readonly string[];

  constructor(fileName: string, code: DropFileErrorCode, reason: string, columns: readonly string[] = []) {
    super(`${fileName}: ${reason}`);
    this.fileName = fileName;
    this.code = code;
    this.reason = reason;
    this.columns = columns;
  }
}
