import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  createRejectReportWriter,
  type DropItem,
  type DropReject,
  REJECT_REPORT_HEADER,
  rejectReportChunks,
  rejectReportCsv,
  reportCell,
} from '#ingest/index.ts';

const reject = (overrides: Partial<DropReject> = {}): DropReject => ({
  kind: 'reject',
  rowNumber: 7,
  line: 8,
  column: 'amount',
  reason: 'at most 2 decimals (fen) (got "1.005")',
  raw: 'P-1,3100012345,1.005,2026-11-02T10:15:00+08:00',
  ...overrides,
});

describe('reject report', () => {
  it('has the header row,column,reason,raw and one quoted line per reject', () => {
    const text = rejectReportCsv([reject()]);
    expect(text).toBe(
      `${REJECT_REPORT_HEADER}7,amount,"at most 2 decimals (fen) (got ""1.005"")","P-1,3100012345,1.005,2026-11-02T10:15:00+08:00"\r\n`,
    );
    expect(parse(text)).toEqual([
      ['row', 'column', 'reason', 'raw'],
      [
        '7',
        'amount',
        'at most 2 decimals (fen) (got "1.005")',
        'P-1,3100012345,1.005,2026-11-02T10:15:00+08:00',
      ],
    ]);
  });

  it.each(['=', '+', '-', '@', '\t', '\r'])(
    'neutralises a cell starting with %j so spreadsheets do not run it',
    (c) => {
      const dangerous = `${c}HYPERLINK("http://evil","x")`;
      const text = rejectReportCsv([reject({ column: dangerous, reason: dangerous, raw: dangerous })]);
      const [, line] = parse(text) as string[][];
      expect(line).toEqual(['7', `'${dangerous}`, `'${dangerous}`, `'${dangerous}`]);
    },
  );

  it('leaves harmless cells alone and quotes line breaks', () => {
    expect(reportCell('3100012345')).toBe('3100012345');
    expect(reportCell('a "b"')).toBe('"a ""b"""');
    expect(reportCell('x=1')).toBe('x=1');
    const text = rejectReportCsv([reject({ column: null, raw: '"open,1\n2,3' })]);
    expect(parse(text)[1]).toEqual(['7', '', 'at most 2 decimals (fen) (got "1.005")', '"open,1\n2,3']);
  });

  it('passes accepted rows over and takes rejects from later stages (no kind)', async () => {
    const items: (DropItem<unknown> | { rowNumber: number; column: null; reason: string; raw: string })[] = [
      { kind: 'row', rowNumber: 1, line: 2, row: {} },
      reject({ rowNumber: 2 }),
      { rowNumber: 3, column: null, reason: 'account 1 is not a known key account', raw: '' },
    ];
    const expected = parse(rejectReportCsv(items)).map((r: string[]) => r[0]);
    expect(expected).toEqual(['row', '2', '3']);

    async function* stream() {
      yield* items;
    }
    expect(await rejectReportCsv(stream())).toBe(rejectReportCsv(items));
    const chunks: string[] = [];
    for await (const chunk of rejectReportChunks(stream())) chunks.push(chunk);
    expect(chunks.join('')).toBe(rejectReportCsv(items));
  });

  it('is a header only when there is nothing to report', () => {
    expect(rejectReportCsv([])).toBe(REJECT_REPORT_HEADER);
    const writer = createRejectReportWriter();
    expect(writer.end()).toBe(REJECT_REPORT_HEADER);
    const other = createRejectReportWriter();
    expect(other.write(reject())).toMatch(/^row,column,reason,raw\r\n7,/);
    expect(other.write(reject())).toMatch(/^7,/);
    expect(other.end()).toBe('');
  });
});
