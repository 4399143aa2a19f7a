import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DropFileError, type DropSource, METER_READ_FEED, readDrop } from '#ingest/index.ts';
import { collect, csvField, METER_HEADER, meterCells } from './fixtures.ts';

/**
 * "Rows" in these properties: the physical lines of the text (ended by `\n`, `\r\n` or a lone `\r`)
 * after the header, minus empty lines and lines whose cells are all blank (a cell of only blanks, or
 * `""` followed by blanks). Since issue #11 a quote never runs across lines, so the drop parser must
 * account for exactly those, however the file is encoded, compressed and cut into chunks.
 */
function referenceRowCount(text: string): number {
  const blankCell = /^(?:\s*|""\s*)$/;
  const isData = (line: string) => line !== '' && !line.split(',').every((cell) => blankCell.test(cell));
  const data = text.split(/\r\n|\n|\r/).filter(isData);
  return data.length - 1;
}

const ENCODINGS = [
  'utf-8',
  'utf-8 bom',
  'gb18030 marked',
  'gb18030 unmarked',
  'gzip utf-8',
  'gzip gb18030 marked',
] as const;
type FileEncoding = (typeof ENCODINGS)[number];

function encode(text: string, encoding: FileEncoding): { bytes: Buffer; charset?: string } {
  const gb = encoding.includes('gb18030');
  let bytes = gb ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8');
  if (encoding === 'utf-8 bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  if (encoding.startsWith('gzip')) bytes = gzipSync(bytes);
  return encoding.endsWith('marked') && !encoding.endsWith('unmarked')
    ? { bytes, charset: 'GB18030' }
    : { bytes };
}

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/** A valid row, varied by a seed. */
function seededCells(seed: number): Record<string, string> {
  const start = seed % 100_000;
  return meterCells({
    account_id: `31${String(seed % 100_000_000).padStart(8, '0')}`,
    meter_id: `M-${seed % 9973}`,
    read_type: ['actual', 'estimated', 'meter_out', 'meter_in'][seed % 4]!,
    kwh_total_start: `${start}.${seed % 100}`,
    kwh_total_end: `${start + (seed % 5000)}.5`,
    kwh_sharp_start: seed % 3 === 0 ? '' : '1.5',
    kwh_sharp_end: seed % 3 === 0 ? '' : '2.25',
  });
}

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'drop-cell' | 'clear-cell'; at: number }
  | { kind: 'upper-case' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      ',',
      '"',
      '""',
      '\n',
      '\r\n',
      '\r',
      'x',
      ' ',
      '-',
      '.',
      '中',
      '😀',
      '\u0000',
      '=1+1',
      '"\n"',
      ',,,',
      '\n,,\n',
      '\n \n',
      '\r\n\r\n',
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constantFrom('drop-cell' as const, 'clear-cell' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('upper-case' as const) }),
);

function mutate(line: string, mutation: Mutation): string {
  switch (mutation.kind) {
    case 'insert': {
      const at = mutation.at % (line.length + 1);
      return line.slice(0, at) + mutation.text + line.slice(at);
    }
    case 'delete': {
      const at = mutation.at % (line.length + 1);
      return line.slice(0, at) + line.slice(at + mutation.length);
    }
    case 'drop-cell':
    case 'clear-cell': {
      const cells = line.split(',');
      const at = mutation.at % cells.length;
      if (mutation.kind === 'drop-cell') cells.splice(at, 1);
      else cells[at] = '';
      return cells.join(',');
    }
    case 'upper-case':
      return line.toUpperCase();
  }
}

const rowArb = fc.record({
  seed: fc.nat(),
  mutations: fc.oneof(
    { weight: 1, arbitrary: fc.constant([] as Mutation[]) },
    { weight: 3, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) },
  ),
});

const fileArb = fc.record({
  columns: fc.shuffledSubarray([...METER_HEADER], { minLength: METER_HEADER.length }),
  upperCaseHeader: fc.boolean(),
  extraColumn: fc.boolean(),
  headerFault: fc.constantFrom('none', 'none', 'none', 'none', 'missing', 'duplicate'),
  rows: fc.array(rowArb, { minLength: 60, maxLength: 110 }),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  encoding: fc.constantFrom(...ENCODINGS),
  chunkSize: fc.integer({ min: 16, max: 8192 }),
});
type FileCase = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

function buildText(file: FileCase): { text: string; mutatedRows: number } {
  let columns: string[] = [...file.columns];
  if (file.extraColumn) columns.splice(columns.length >> 1, 0, '备注');
  if (file.headerFault === 'missing') columns = columns.filter((c) => c !== 'meter_id');
  if (file.headerFault === 'duplicate') columns.push('period');
  const header = columns.map((c) => (file.upperCaseHeader ? c.toUpperCase() : c)).join(',');
  let mutatedRows = 0;
  const lines = file.rows.map(({ seed, mutations }) => {
    const cells: Record<string, string> = {
      ...seededCells(seed),
      备注: seed % 2 === 0 ? '大客户, 二号线' : 'note',
    };
    let line = columns.map((c) => csvField(cells[c] ?? '')).join(',');
    for (const mutation of mutations) line = mutate(line, mutation);
    if (mutations.length > 0) mutatedRows++;
    return line;
  });
  return { text: [header, ...lines].join(file.eol) + file.eol, mutatedRows };
}

function dropSource(file: FileCase, text: string): DropSource {
  const { bytes, charset } = encode(text, file.encoding);
  return {
    fileName: `drop-${file.encoding.replaceAll(' ', '-')}.csv`,
    body: chunked(bytes, file.chunkSize),
    ...(charset === undefined ? {} : { charset }),
  };
}

describe('drop parser under mutated input (property)', () => {
  it('only ever fails with DropFileError, and accounts for every row exactly once', async () => {
    let mutatedRows = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, async (file) => {
        const built = buildText(file);
        let result: Awaited<ReturnType<typeof collect>>;
        try {
          result = await collect(readDrop(dropSource(file, built.text), METER_READ_FEED));
        } catch (err) {
          expect(err).toBeInstanceOf(DropFileError);
          expect(file.headerFault).not.toBe('none');
          return;
        }
        expect(file.headerFault).toBe('none');
        mutatedRows += built.mutatedRows;
        const { counts, items } = result;
        expect(counts.accepted + counts.rejected).toBe(counts.rows);
        expect(items).toHaveLength(counts.rows);
        expect(counts.rows).toBe(referenceRowCount(built.text));
        expect(items.map((i) => i.rowNumber)).toEqual(items.map((_, n) => n + 1));
        for (let n = 1; n < items.length; n++) expect(items[n]!.line).toBeGreaterThan(items[n - 1]!.line);
        for (const item of items) {
          if (item.kind === 'reject') expect(item.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
    expect(mutatedRows).toBeGreaterThanOrEqual(10_000);
  }, 60_000);

  it('accepts every valid row, whatever the header order, case, encoding and chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileArb.map(
          (file): FileCase => ({
            ...file,
            headerFault: 'none',
            rows: file.rows.slice(0, 20).map((r) => ({ ...r, mutations: [] })),
          }),
        ),
        async (file) => {
          const { text } = buildText(file);
          const { counts, rows } = await collect(readDrop(dropSource(file, text), METER_READ_FEED));
          expect(counts).toEqual({ rows: file.rows.length, accepted: file.rows.length, rejected: 0 });
          expect(rows.map((r) => r.row.accountId)).toEqual(
            file.rows.map((r) => seededCells(r.seed).account_id),
          );
          expect(rows.map((r) => r.line)).toEqual(file.rows.map((_, n) => n + 2));
        },
      ),
      { numRuns: 40 },
    );
  });
});
