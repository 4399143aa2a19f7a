import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  DropFileError,
  type DropTextEncoding,
  ENCODING_SNIFF_BYTES,
  type EncodingEvidence,
  METER_READ_FEED,
  rawSplitRows,
  readDrop,
} from '#ingest/index.ts';
import { collect, csvText, METER_HEADER, meterCells, rejectionOf, source } from './fixtures.ts';

const HEADER_WITH_NAME = [...METER_HEADER, '户名'];
const CUSTOMER = '上海某某钢铁有限公司😀';
const chineseText = csvText(HEADER_WITH_NAME, [
  meterCells({ account_id: '3100000001', 户名: CUSTOMER }),
  meterCells({ account_id: '3100000002', 户名: '杭州𠀀电子' }),
]);

async function splitAll(...args: Parameters<typeof source>): Promise<string[][]> {
  const records: string[][] = [];
  for await (const record of rawSplitRows(source(...args))) records.push(record);
  return records;
}

async function encodingOf(...args: Parameters<typeof source>) {
  const seen: [DropTextEncoding, EncodingEvidence][] = [];
  const result = await collect(
    readDrop(source(...args), METER_READ_FEED, { onEncoding: (e, how) => seen.push([e, how]) }),
  );
  return { seen, result };
}

describe('drop text encoding', () => {
  it.each([
    ['metadata charset=gb18030', { charset: 'gb18030' }, 'metadata'],
    ['metadata charset=GBK (a subset of GB18030)', { charset: 'GBK' }, 'metadata'],
    ['no mark: the bytes are not valid UTF-8', {}, 'detected'],
  ] as const)('reads a GB18030 file with %s', async (_name, extra, evidence) => {
    const bytes = iconv.encode(chineseText, 'gb18030');
    const records = await splitAll(bytes, extra);
    expect(records[0]).toEqual(HEADER_WITH_NAME);
    expect(records[1]?.at(-1)).toBe(CUSTOMER);
    expect(records[2]?.at(-1)).toBe('杭州𠀀电子');

    const { seen, result } = await encodingOf(bytes, extra);
    expect(seen).toEqual([['gb18030', evidence]]);
    expect(result.rows.map((r) => r.row.accountId)).toEqual(['3100000001', '3100000002']);
  });

  it('decodes characters cut across chunk boundaries, in GB18030 and UTF-8', async () => {
    for (const [bytes, extra] of [
      [iconv.encode(chineseText, 'gb18030'), {}],
      [Buffer.from(chineseText, 'utf8'), {}],
    ] as const) {
      for (const size of [1, 2, 3, 5, 7]) {
        const records = await splitAll(bytes, extra, size);
        expect(records[1]?.at(-1)).toBe(CUSTOMER);
        expect(records[2]?.at(-1)).toBe('杭州𠀀电子');
      }
    }
  });

  it('detects GB18030 whose first non-ASCII byte comes after a long ASCII prefix', async () => {
    const asciiRows = Array.from({ length: 2000 }, (_, i) =>
      meterCells({ account_id: `31${String(i).padStart(8, '0')}`, 户名: 'ascii only' }),
    );
    const text = csvText(HEADER_WITH_NAME, [...asciiRows, meterCells({ 户名: CUSTOMER })]);
    const bytes = iconv.encode(text, 'gb18030');
    expect(bytes.indexOf(0x80) === -1 || bytes.findIndex((b) => b >= 0x80) > 200_000).toBe(true);

    const { seen, result } = await encodingOf(bytes, {}, 4096);
    expect(seen).toEqual([['gb18030', 'detected']]);
    expect(result.counts).toEqual({ rows: 2001, accepted: 2001, rejected: 0 });
    const records = await splitAll(bytes, {}, 4096);
    expect(records.at(-1)?.at(-1)).toBe(CUSTOMER);
  });

  it('reads unmarked UTF-8 as UTF-8 and a pure ASCII file as ASCII', async () => {
    expect((await encodingOf(chineseText)).seen).toEqual([['utf-8', 'detected']]);
    expect((await encodingOf(csvText(METER_HEADER, [meterCells()]))).seen).toEqual([['utf-8', 'ascii']]);
  });

  it('strips a UTF-8 BOM, which also outranks a GB18030 mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(chineseText, 'utf8')]);
    for (const extra of [{}, { charset: 'gb18030' }]) {
      const { seen, result } = await encodingOf(bytes, extra, 2);
      expect(seen).toEqual([['utf-8', 'bom']]);
      expect(result.counts).toEqual({ rows: 2, accepted: 2, rejected: 0 });
    }
    expect((await splitAll(bytes))[0]?.[0]).toBe('account_id');
  });

  it('rejects the row, not the file, when UTF-8 turns invalid after the detection window', async () => {
    const filler = Array.from({ length: 600 }, () => meterCells({ 户名: '上海' }));
    const head = Buffer.from(csvText(HEADER_WITH_NAME, filler), 'utf8');
    expect(head.length).toBeGreaterThan(ENCODING_SNIFF_BYTES);
    const line = (name: string) => csvText(HEADER_WITH_NAME, [meterCells({ 户名: name })]).split('\n')[1]!;
    const bytes = Buffer.concat([
      head,
      iconv.encode(`${line('杭州')}\n`, 'gb18030'),
      Buffer.from(`${line('上海')}\n`, 'utf8'),
    ]);

    const { seen, result } = await encodingOf(bytes, {}, 4096);
    expect(seen).toEqual([['utf-8', 'detected']]);
    expect(result.counts).toEqual({ rows: 602, accepted: 601, rejected: 1 });
    expect(result.rejects[0]).toMatchObject({ rowNumber: 601, column: '户名' });
    expect(result.rejects[0]?.reason).toMatch(/not valid text/);
  });

  it('refuses a charset it does not know instead of guessing', async () => {
    const err = await rejectionOf(
      collect(readDrop(source(chineseText, { charset: 'latin1' }), METER_READ_FEED)),
    );
    expect(err).toBeInstanceOf(DropFileError);
    expect(err).toMatchObject({ code: 'unsupported-charset', fileName: 'drop.csv' });
  });
});

describe('drop compression', () => {
  const text = csvText(HEADER_WITH_NAME, [meterCells({ 户名: CUSTOMER }), meterCells({ meter_id: 'M-2' })]);

  it.each([
    ['a .csv.gz name', { fileName: 'drops/2026-10.csv.gz' }],
    ['Content-Encoding gzip', { contentEncoding: 'gzip' }],
    ['no hint at all', {}],
  ])('inflates gzip recognised by its magic bytes, with %s', async (_name, extra) => {
    const { counts, rows } = await collect(
      readDrop(source(gzipSync(Buffer.from(text)), extra, 1), METER_READ_FEED),
    );
    expect(counts).toEqual({ rows: 2, accepted: 2, rejected: 0 });
    expect(rows.map((r) => r.row.meterId)).toEqual(['M-88001', 'M-2']);
  });

  it('reads a .gz-named object that arrives already inflated', async () => {
    const { counts } = await collect(
      readDrop(source(text, { fileName: 'x.csv.gz', contentEncoding: 'gzip' }), METER_READ_FEED),
    );
    expect(counts.accepted).toBe(2);
  });

  it('inflates a gzip of a GB18030 file', async () => {
    const bytes = gzipSync(iconv.encode(text, 'gb18030'));
    const records: string[][] = [];
    for await (const r of rawSplitRows(source(bytes, { charset: 'gb18030' }, 100))) records.push(r);
    expect(records[1]?.at(-1)).toBe(CUSTOMER);
  });

  it('refuses a truncated gzip stream as a file error', async () => {
    const bytes = gzipSync(Buffer.from(text.repeat(50)));
    const err = await rejectionOf(
      collect(readDrop(source(bytes.subarray(0, bytes.length - 20)), METER_READ_FEED)),
    );
    expect(err).toBeInstanceOf(DropFileError);
    expect(err).toMatchObject({ code: 'corrupt-gzip' });
  });

  it('accepts a Node readable stream as the body, like an S3 GetObject body', async () => {
    const body = Readable.from([gzipSync(Buffer.from(text))]);
    const { counts } = await collect(readDrop({ fileName: 'drop.csv.gz', body }, METER_READ_FEED));
    expect(counts.accepted).toBe(2);
  });
});
