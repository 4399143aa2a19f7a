import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvDecimal, neutraliseFormula, writeCsv, writeCsvCell } from '#domain/csv/write-csv.ts';

const FORMULA_PREFIXES = ['=', '+', '-', '@', '\t', '\r'];

/** Text biased towards what CSV and spreadsheets treat specially. */
const hostileText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...FORMULA_PREFIXES, '\n', '"', ',', "'", ' ', 'a', '1', '中') }),
  fc.string({ unit: 'grapheme' }),
);

describe('CSV writer', () => {
  it.each(FORMULA_PREFIXES)('neutralises a text cell starting with %j', (prefix) => {
    const value = `${prefix}HYPERLINK("http://evil","x")`;
    expect(neutraliseFormula(value)).toBe(`'${value}`);
    expect(parse(writeCsv([[value, 'x']]))).toEqual([[`'${value}`, 'x']]);
  });

  it.each([
    ['plain 文本', 'plain 文本'],
    ['x=1', 'x=1'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['-x, "y"', `"'-x, ""y"""`],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['', ''],
  ])('writes the text cell %j as %j', (value, expected) => {
    expect(writeCsvCell(value)).toBe(expected);
  });

  it('writes numbers and checked decimals as they are, and null or undefined as an empty cell', () => {
    expect(writeCsv([[7, -3, CsvDecimal.of('-12.5'), CsvDecimal.of('0.10'), null, undefined, 'x']])).toBe(
      '7,-3,-12.5,0.10,,,x\r\n',
    );
    expect(CsvDecimal.of(null)).toBeNull();
    expect(() => CsvDecimal.of('=1+1')).toThrow(/not a decimal/);
    expect(() => CsvDecimal.of('1e5')).toThrow(/not a decimal/);
  });

  it('ends every record with CRLF, writes no byte-order mark, and nothing for no records', () => {
    expect(
      writeCsv([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toBe('a,b\r\nc,d\r\n');
    expect(writeCsv([])).toBe('');
  });

  it('round-trips any text through csv-parse, neutralised, and never leaves a formula prefix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(hostileText, { minLength: 2, maxLength: 5 }), { maxLength: 8 }),
        (rows) => {
          const text = writeCsv(rows);
          expect(text.endsWith('\r\n') || rows.length === 0).toBe(true);
          const parsed: string[][] = parse(text, { relax_column_count: true });
          expect(parsed).toEqual(rows.map((row) => row.map(neutraliseFormula)));
          for (const cell of parsed.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
