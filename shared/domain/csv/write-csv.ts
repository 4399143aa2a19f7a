import { type CastingContext, type Options, stringify } from 'csv-stringify/sync';

/*
 * CSV as the reports write it (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted,
 * quotes doubled; no byte-order mark: a caller that wants one adds it). Text cells a spreadsheet would
 * run as a formula (OWASP CSV injection: = + - @ tab CR at the start) get a leading apostrophe. Numbers
 * and checked decimals are written as they are, so that "-12.5" stays a number.
 */

/** What a spreadsheet would run as a formula (OWASP CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The one formula-neutralising cast, for every text cell of every report. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A numeric cell given as a decimal string, checked to be a plain decimal and written unchanged. */
export class CsvDecimal {
  private constructor(readonly text: string) {}

  /** The decimal cell for `value`; null (an empty cell) for null or undefined. Throws on anything else. */
  static of(value: string | number | null | undefined): CsvDecimal | null {
    if (value === null || value === undefined) return null;
    const text = String(value);
    if (!DECIMAL.test(text)) throw new Error(`not a decimal for a numeric CSV cell: ${JSON.stringify(text)}`);
    return new CsvDecimal(text);
  }
}

/** A text cell (neutralised), a number or checked decimal (as is), or an empty cell. */
export type CsvCell = string | number | CsvDecimal | null | undefined;

function castObject(value: object, context: CastingContext): string {
  if (value instanceof CsvDecimal) return value.text;
  throw new Error(`not a CSV cell in column ${context.column}: ${JSON.stringify(value)}`);
}

// A fresh object per call: csv-stringify fills its defaults into the options' `cast` it is given.
const csvOptions = (): Options => ({
  record_delimiter: '\r\n',
  // With an explicit record delimiter csv-stringify would quote only that one; a lone \n or \r in a cell
  // must be quoted too.
  quote_record_delimiter: true,
  cast: { string: neutraliseFormula, object: castObject },
});

/** The records as CSV text, each ended by CRLF. */
export function writeCsv(records: Iterable<readonly CsvCell[]>): string {
  return stringify([...records], csvOptions());
}

/** One cell as writeCsv writes it (neutralised, quoted where needed). */
export function writeCsvCell(cell: CsvCell): string {
  return writeCsv([[cell]]).slice(0, -'\r\n'.length);
}
