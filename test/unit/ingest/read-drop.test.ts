import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DropFileError, MAX_RECORD_BYTES, METER_READ_FEED, rawSplitRows, readDrop } from '#ingest/index.ts';
import { checkAccounting } from '#ingest/read-drop.ts';
import { collect, csvText, METER_HEADER, meterCells, rejectionOf, source } from './fixtures.ts';

const header = METER_HEADER.join(',');
const line = (overrides: Partial<Record<string, string>> = {}) =>
  csvText(METER_HEADER, [meterCells(overrides)]).split('\n')[1]!;

const read = (text: string, chunkSize?: number) =>
  collect(readDrop(source(text, {}, chunkSize), METER_READ_FEED));

async function fileError(text: string): Promise<DropFileError> {
  const err = await rejectionOf(read(text));
  expect(err).toBeInstanceOf(DropFileError);
  return err as DropFileError;
}

describe('reading a meter-read drop', () => {
  it('turns the spec example into a typed row', async () => {
    const { rows, counts } = await read(`${header}\n${line()}\n`);
    expect(counts).toEqual({ rows: 1, accepted: 1, rejected: 0 });
    expect(rows[0]).toEqual({
      kind: 'row',
      rowNumber: 1,
      line: 2,
      row: expect.objectContaining({
        accountId: '3100012345',
        meterId: 'M-88001',
        period: '2026-10',
        readAt: '2026-10-31T23:45:00+08:00',
        readType: 'actual',
        multiplier: '2000',
        kwhTotal: { start: '1520.31', end: '1791.07' },
        maxDemandKw: '0.4123',
      }),
    });
    expect(rows[0]?.row.kwhBands.sharp).toEqual({ start: '120.05', end: '141.60' });
  });

  it.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
  ])('reads %s line ends, with or without a final line end', async (_name, eol) => {
    const text = [header, line({ meter_id: 'A' }), line({ meter_id: 'B' })].join(eol);
    for (const body of [text, text + eol]) {
      const { rows } = await read(body, 50);
      expect(rows.map((r) => [r.row.meterId, r.line])).toEqual([
        ['A', 2],
        ['B', 3],
      ]);
    }
  });

  it('reads a file that mixes \\r\\n and \\n line ends', async () => {
    const { rows } = await read(`${header}\r\n${line({ meter_id: 'A' })}\n${line({ meter_id: 'B' })}\r\n`);
    expect(rows.map((r) => r.row.meterId)).toEqual(['A', 'B']);
  });

  it('keeps quoted commas inside their field; a quoted line break is not a field, each line is accounted for', async () => {
    const head = `${header},note`;
    const text = [
      head,
      `${line({ meter_id: 'A' })},"north, gate 2"`,
      `${line({ meter_id: 'B' })},"first line\nsecond ""quoted"" line\r\nthird"`,
      `"3100012345","M-C",2026-10,2026-10-31T23:45:00+08:00,actual,"2000",1,2,,,1,2,1,2,1,2,1,2,1,plain`,
    ].join('\n');
    const { items, counts } = await read(text, 7);
    // Issue #11: a quote running across lines used to make one row of several; now every physical line
    // is a row of its own, and the broken ones are rejects naming line and column.
    expect(counts).toEqual({ rows: 5, accepted: 2, rejected: 3 });
    expect(items.map((i) => [i.kind, i.rowNumber, i.line])).toEqual([
      ['row', 1, 2],
      ['reject', 2, 3],
      ['reject', 3, 4],
      ['reject', 4, 5],
      ['row', 5, 6],
    ]);
    expect(items[1]).toMatchObject({
      column: 'note',
      reason: expect.stringMatching(/not closed on its line/),
    });
    const records: string[][] = [];
    for await (const r of rawSplitRows(source(text))) records.push(r);
    expect(records[1]?.at(-1)).toBe('north, gate 2');
    expect(records.at(-1)?.at(-1)).toBe('plain');
  });

  it('skips empty lines and lines of only commas or spaces without counting them as rows', async () => {
    const blank = ','.repeat(METER_HEADER.length - 1);
    const text = `${header}\n\n${line({ meter_id: 'A' })}\r\n\r\n${blank}\n  \n, ,\n${line({ meter_id: 'B' })}\n\n`;
    const { items, counts } = await read(text);
    expect(counts).toEqual({ rows: 2, accepted: 2, rejected: 0 });
    expect(items.map((i) => [i.kind, i.rowNumber, i.line])).toEqual([
      ['row', 1, 3],
      ['row', 2, 8],
    ]);
  });

  it('finds columns by name: any order, any case, padded, extra columns ignored, optional ones absent', async () => {
    const columns = ['Meter_ID ', ' ACCOUNT_ID', 'remark', ...METER_HEADER.slice(2).reverse()].filter(
      (c) => !c.startsWith('kwh_sharp'),
    );
    const cells = meterCells({ remark: 'whatever, really', meter_id: 'M-9' });
    const row = columns.map((c) => {
      const value = cells[c.trim().toLowerCase()]!;
      return value.includes(',') ? `"${value}"` : value;
    });
    const { rows, counts } = await read(`${columns.join(',')}\n${row.join(',')}\n`);
    expect(counts.accepted).toBe(1);
    expect(rows[0]?.row).toMatchObject({
      accountId: '3100012345',
      meterId: 'M-9',
      kvarh: { start: '630.20', end: '742.88' },
    });
    expect(rows[0]?.row.kwhBands.sharp).toBeUndefined();
  });

  it('refuses a file missing a required column, naming it', async () => {
    const columns = METER_HEADER.filter((c) => c !== 'meter_id');
    const err = await fileError(csvText(columns, [meterCells()]));
    expect(err).toMatchObject({ code: 'missing-column', columns: ['meter_id'], fileName: 'drop.csv' });
    expect(err.message).toContain('"meter_id"');
  });

  it('names every missing column, and hints at the delimiter when the header is one column', async () => {
    const err = await fileError(`${METER_HEADER.join(';')}\n1;2\n`);
    expect(err.code).toBe('missing-column');
    expect(err.columns).toEqual(METER_READ_FEED.requiredColumns);
    expect(err.reason).toMatch(/comma-separated/);
  });

  it('refuses a header that names a column twice', async () => {
    const err = await fileError(`${header},Account_ID\n${line()},3100012345\n`);
    expect(err).toMatchObject({ code: 'duplicate-column', columns: ['account_id'] });
  });

  it.each([
    ['an empty file', ''],
    ['only blank lines', '\n\r\n\n'],
  ])('refuses %s', async (_name, text) => {
    expect((await fileError(text)).code).toBe('empty');
  });

  it('refuses a header without rows: a meter-read drop with nothing in it is not a success', async () => {
    const err = await fileError(`${header}\n\n,,,\n`);
    expect(err.code).toBe('no-rows');
    expect(err.message).toMatch(/no data rows/);
  });

  it('reads a file whose lines end in CR alone, line by line (it used to vanish into its header)', async () => {
    const text = [header, line({ meter_id: 'A' }), line({ meter_id: 'B' }), line({ period: 'x' })].join('\r');
    for (const chunkSize of [undefined, 1, 7]) {
      const { items, counts } = await read(`${text}\r`, chunkSize);
      expect(counts).toEqual({ rows: 3, accepted: 2, rejected: 1 });
      expect(items.map((i) => [i.kind, i.rowNumber, i.line])).toEqual([
        ['row', 1, 2],
        ['row', 2, 3],
        ['reject', 3, 4],
      ]);
    }
  });

  it('reads a file mixing CR, LF and CRLF line ends, cut anywhere, with physical line numbers', async () => {
    const text = `${header}\r\n${line({ meter_id: 'A' })}\r\r\n${line({ meter_id: 'B' })}\n\r${line({ meter_id: 'C' })}`;
    for (const chunkSize of [undefined, 1, 2, 3]) {
      const { items, counts } = await read(text, chunkSize);
      expect(counts).toEqual({ rows: 3, accepted: 3, rejected: 0 });
      expect(items.map((i) => [i.kind, i.line])).toEqual([
        ['row', 2],
        ['row', 4],
        ['row', 6],
      ]);
    }
  });

  it('refuses a binary file as not CSV', async () => {
    const zip = Buffer.from([
      0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00,
    ]);
    const err = await rejectionOf(collect(readDrop(source(zip), METER_READ_FEED)));
    expect(err).toMatchObject({ code: 'not-csv' });
  });

  it('rejects a row with a bad value, naming row, column and reason, while the good rows come through', async () => {
    const text = [header, line({ meter_id: 'A' }), line({ period: '2026-13' }), line({ meter_id: 'C' })].join(
      '\n',
    );
    const { items, counts } = await read(text);
    expect(counts).toEqual({ rows: 3, accepted: 2, rejected: 1 });
    expect(items[1]).toEqual({
      kind: 'reject',
      rowNumber: 2,
      line: 3,
      column: 'period',
      reason: 'expected a period YYYY-MM (got "2026-13")',
      raw: line({ period: '2026-13' }),
    });
    expect(items.filter((i) => i.kind === 'row').map((i) => i.rowNumber)).toEqual([1, 3]);
  });

  it.each([
    ['account_id', { account_id: '' }, /letters or digits \(empty\)/],
    ['read_at', { read_at: '2026-10-31 23:45' }, /datetime/],
    ['multiplier', { multiplier: '0' }, /greater than zero/],
    ['kwh_total_end', { kwh_total_end: '1.23456' }, /at most 4 decimals/],
    ['kwh_sharp_end', { kwh_sharp_end: '' }, /go together/],
    ['read_type', { read_type: 'ACTUAL' }, /expected one of/],
  ])('rejects a bad %s with the schema reason', async (column, overrides, reason) => {
    const { rejects } = await read(`${header}\n${line(overrides)}\n`);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]?.column).toBe(column);
    expect(rejects[0]?.reason).toMatch(reason);
  });

  it('rejects a row with the wrong number of fields', async () => {
    const text = [header, `${line()},extra`, line().split(',').slice(0, 5).join(','), line()].join('\n');
    const { rejects, counts } = await read(text);
    expect(counts).toEqual({ rows: 3, accepted: 1, rejected: 2 });
    expect(rejects.map((r) => [r.rowNumber, r.column, r.reason])).toEqual([
      [1, null, 'expected 19 fields as in the header, found 20'],
      [2, null, 'expected 19 fields as in the header, found 5'],
    ]);
  });

  it('rejects a row with malformed quotes as that row only', async () => {
    const text = [
      header,
      line({ meter_id: 'M"1' }).replace('"M""1"', 'M"1'),
      line().replace('2026-10,', '"2026-10"x,'),
      line({ meter_id: 'OK' }),
    ].join('\n');
    const { items, counts } = await read(text);
    expect(counts).toEqual({ rows: 3, accepted: 1, rejected: 2 });
    expect(items.map((i) => [i.kind, i.kind === 'reject' ? i.column : null])).toEqual([
      ['reject', 'meter_id'],
      ['reject', 'period'],
      ['row', null],
    ]);
    expect(items[0]).toMatchObject({ reason: expect.stringMatching(/malformed quoting/) });
  });

  it('rejects a quote left open as its own line only, and reads the rows after it (issue #11, 7 rows)', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => line({ meter_id: `M-${i + 1}` }));
    rows[1] = rows[1]!.replace('M-2', '"M-2');
    for (const chunkSize of [undefined, 1, 100]) {
      const { items, counts } = await read([header, ...rows].join('\n'), chunkSize);
      expect(counts).toEqual({ rows: 7, accepted: 6, rejected: 1 });
      expect(items[1]).toMatchObject({ kind: 'reject', rowNumber: 2, line: 3, column: 'meter_id' });
      expect(items[1]).toMatchObject({ reason: expect.stringMatching(/not closed on its line/) });
      expect((items[1] as { raw: string }).raw).toBe(rows[1]);
      const accepted = items
        .filter((i) => i.kind === 'row')
        .map((i) => (i.kind === 'row' ? i.row.meterId : ''));
      expect(accepted).toEqual(['M-1', 'M-3', 'M-4', 'M-5', 'M-6', 'M-7']);
    }
  });

  it('rejects a stray quote early in a large file as one row, without refusing the file', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => line({ meter_id: `M-${i + 1}` }));
    rows[1] = rows[1]!.replace('M-2', '"M-2');
    const { counts } = await read([header, ...rows].join('\n'), 64 * 1024);
    expect(counts).toEqual({ rows: 20_000, accepted: 19_999, rejected: 1 });
  });

  it('refuses a file where one field runs on for more than MAX_RECORD_BYTES', async () => {
    const text = `${header}\n${line()}\n"${'x'.repeat(MAX_RECORD_BYTES + 256 * 1024)}\n`;
    expect((await fileError(text)).code).toBe('record-too-large');
  });

  it('returns counts where accepted + rejected = rows', async () => {
    const text = [header, line(), line({ period: 'x' }), `${line()},`, line({ meter_id: 'B' })].join('\n');
    const { counts, items } = await read(text);
    expect(counts).toEqual({ rows: 4, accepted: 2, rejected: 2 });
    expect(counts.rows).toBe(items.length);
  });

  it('releases the body stream when the consumer stops early', async () => {
    const text = [header, ...Array.from({ length: 5000 }, () => line())].join('\n');
    const body = Readable.from(Buffer.from(text), { highWaterMark: 1024 });
    for await (const item of readDrop({ fileName: 'drop.csv', body }, METER_READ_FEED)) {
      expect(item.kind).toBe('row');
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.destroyed).toBe(true);
  });

  it('offers the bare decode-and-split as rawSplitRows, header included', async () => {
    const records: string[][] = [];
    for await (const r of rawSplitRows(source(`${header}\n${line()}\n\n${line({ period: 'bad' })}\n`)))
      records.push(r);
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual([...METER_HEADER]);
    expect(records[2]?.[2]).toBe('bad');
  });
});

describe('row accounting (issue #11)', () => {
  it('refuses a file whose rows do not account for its data lines, with the counts in the reason', () => {
    const counts = { rows: 7, accepted: 2, rejected: 5 };
    expect(() => checkAccounting('drop.csv', counts, 7, {})).not.toThrow();
    const err = (() => {
      try {
        checkAccounting('drop.csv', { rows: 2, accepted: 1, rejected: 1 }, 7, {});
      } catch (error) {
        return error as DropFileError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DropFileError);
    expect(err).toMatchObject({
      code: 'row-count-mismatch',
      message: 'drop.csv: row accounting does not add up: 7 data lines, 2 rows read, 1 accepted + 1 rejected',
    });
    expect(() => checkAccounting('drop.csv', { rows: 7, accepted: 2, rejected: 4 }, 7, {})).toThrow(
      /does not add up/,
    );
  });

  it('counts the data lines from the bytes: blank lines and lines of commas are not rows, CR/LF/CRLF all end lines', async () => {
    const text = `\n\r\n${header}\r\r\n${line()}\r,,\r \n${line()}\r\n\n${line({ period: 'x' })}`;
    for (const chunkSize of [undefined, 1, 2, 5]) {
      expect((await read(text, chunkSize)).counts).toEqual({ rows: 3, accepted: 2, rejected: 1 });
    }
  });
});
