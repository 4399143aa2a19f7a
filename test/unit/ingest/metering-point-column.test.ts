import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METER_READ_FEED, readDrop } from '#ingest/index.ts';
import { collect, csvText, METER_HEADER, meterCells, source } from './fixtures.ts';

/*
 * The optional metering_point_id column of the meter-read feed (upstream-feeds.md §1, issue #12): read
 * when the header has it, in any position and case; without it every row is exactly what it was. A bad
 * id, and rows that contradict each other about a point, are rejects naming row, column and reason,
 * while every other row is read.
 */

const WITH_POINT = [...METER_HEADER, 'metering_point_id'] as const;

const read = (text: string) => collect(readDrop(source(text), METER_READ_FEED));

const drop = (rows: Partial<Record<string, string>>[], header: readonly string[] = WITH_POINT) =>
  read(
    csvText(
      header,
      rows.map((r) => meterCells(r)),
    ),
  );

describe('the metering_point_id column', () => {
  it('is optional: without it a row has no metering point at all (stored and printed as before)', async () => {
    const { rows, counts } = await drop([{}], METER_HEADER);
    expect(counts).toEqual({ rows: 1, accepted: 1, rejected: 0 });
    expect(rows[0]!.row).not.toHaveProperty('meteringPointId');
  });

  it('gives each row its metering point, a blank cell none', async () => {
    const { rows } = await drop([
      { meter_id: 'M-1', metering_point_id: 'MP-0001' },
      { meter_id: 'M-2', metering_point_id: '' },
      { meter_id: 'M-3', metering_point_id: '   ' },
    ]);
    expect(rows.map((r) => r.row.meteringPointId)).toEqual(['MP-0001', undefined, undefined]);
    expect(rows[1]!.row).not.toHaveProperty('meteringPointId');
  });

  it('is found by name in any position and case, as every column is', async () => {
    const header = ['Metering_Point_ID', ...METER_HEADER];
    const text = csvText(header, [{ ...meterCells(), Metering_Point_ID: 'LINE_7' }]);
    const { rows } = await read(text);
    expect(rows[0]!.row.meteringPointId).toBe('LINE_7');
  });

  it.each([
    ['33 characters', 'P'.repeat(33), 'expected a metering point id of 1–32 letters, digits, - or _'],
    ['a bell character', 'MP\u00071', 'expected a metering point id'],
    ['an escape sequence', '\u001b[31mMP1', 'expected a metering point id'],
    ['a right-to-left override', 'MP\u202e1', 'expected a metering point id'],
    ['a zero-width space', 'MP\u200b1', 'expected a metering point id'],
    ['Chinese characters', '计量点1', 'expected a metering point id'],
    ['a blank around it', ' MP1', 'expected a metering point id'],
    ['a dot', 'MP.1', 'expected a metering point id'],
    ['a formula', '=HYPERLINK("x")', 'expected a metering point id'],
    ['100,000 characters', 'P'.repeat(100_000), 'the cell is 100000 characters long, more than 64'],
  ])('rejects an id with %s as that row only, naming row and column', async (_, id, reason) => {
    const { rows, rejects, counts } = await drop([
      { meter_id: 'M-1', metering_point_id: 'MP1' },
      { meter_id: 'M-2', metering_point_id: id },
      { meter_id: 'M-3', metering_point_id: 'MP3' },
    ]);
    expect(counts).toEqual({ rows: 3, accepted: 2, rejected: 1 });
    expect(rows.map((r) => r.row.meterId)).toEqual(['M-1', 'M-3']);
    expect(rejects[0]).toMatchObject({ rowNumber: 2, line: 3, column: 'metering_point_id' });
    expect(rejects[0]!.reason).toContain(reason);
    expect(rejects[0]!.raw.length).toBeLessThanOrEqual(4096 + 40);
  });
});

describe('rows that contradict each other about a metering point', () => {
  it('refuses a metering point named by a second account, naming the account and row it belongs to', async () => {
    const { rows, rejects } = await drop([
      { account_id: 'A1', meter_id: 'M-1', metering_point_id: 'P1' },
      { account_id: 'B2', meter_id: 'M-9', metering_point_id: 'P1' },
      { account_id: 'B2', meter_id: 'M-8', metering_point_id: 'P2' },
      { account_id: 'A1', meter_id: 'M-2', metering_point_id: 'P1' },
    ]);
    expect(rows.map((r) => `${r.row.accountId}/${r.row.meterId}`)).toEqual(['A1/M-1', 'B2/M-8', 'A1/M-2']);
    expect(rejects).toEqual([
      expect.objectContaining({
        rowNumber: 2,
        column: 'metering_point_id',
        reason:
          'metering point P1 belongs to account A1 (row 1), not B2: a metering point serves one account',
      }),
    ]);
  });

  it('refuses a meter whose rows name another metering point, or none, naming the first row', async () => {
    const { rows, rejects } = await drop([
      { meter_id: 'M-1', period: '2026-09', read_at: '2026-09-30T23:45:00+08:00', metering_point_id: 'P1' },
      { meter_id: 'M-1', metering_point_id: 'P2' },
      { meter_id: 'M-1', read_type: 'estimated', metering_point_id: '' },
      { meter_id: 'M-1', read_type: 'meter_out', metering_point_id: 'P1' },
    ]);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 4]);
    expect(rejects.map((r) => [r.rowNumber, r.column, r.reason])).toEqual([
      [
        2,
        'metering_point_id',
        'meter M-1 of account 3100012345 is at metering point P1 in row 1 and is at metering point P2 here: the rows of one meter must name the same metering point',
      ],
      [
        3,
        'metering_point_id',
        'meter M-1 of account 3100012345 is at metering point P1 in row 1 and names no metering point here: the rows of one meter must name the same metering point',
      ],
    ]);
  });

  it('refuses a meter named at a metering point after a row of it that named none', async () => {
    const { rejects } = await drop([
      { meter_id: 'M-1', metering_point_id: '' },
      { meter_id: 'M-1', read_type: 'meter_out', metering_point_id: 'P1' },
    ]);
    expect(rejects.map((r) => r.rowNumber)).toEqual([2]);
    expect(rejects[0]!.reason).toContain('names no metering point in row 1 and is at metering point P1 here');
  });

  it('takes the same row twice (a re-sent line) as agreeing with itself', async () => {
    const { counts } = await drop([{ metering_point_id: 'P1' }, { metering_point_id: 'P1' }]);
    expect(counts).toEqual({ rows: 2, accepted: 2, rejected: 0 });
  });

  it('lets an earlier rejected row fix nothing', async () => {
    const { rows } = await drop([
      { account_id: 'B2', multiplier: 'x', metering_point_id: 'P1' },
      { account_id: 'A1', metering_point_id: 'P1' },
    ]);
    expect(rows.map((r) => r.row.accountId)).toEqual(['A1']);
  });
});

describe('the same drop with and without the column (property)', () => {
  // Small pools, so that accounts and meters repeat; a point is its account's and meter's, or none.
  const rowArb = fc.record({
    account: fc.constantFrom('A1', 'A2', 'B7'),
    meter: fc.constantFrom('M-1', 'M-2', 'M_3'),
    period: fc.constantFrom('2026-09', '2026-10'),
    readType: fc.constantFrom('actual', 'estimated', 'meter_out', 'meter_in'),
  });
  const dropArb = fc.record({
    rows: fc.array(rowArb, { minLength: 1, maxLength: 25 }),
    pointless: fc.subarray(['A1|M-1', 'A2|M-2', 'B7|M_3', 'A1|M_3']),
    order: fc.shuffledSubarray([...WITH_POINT], { minLength: WITH_POINT.length }),
  });

  it('reads every row alike, the column adding only each row’s metering point', async () => {
    await fc.assert(
      fc.asyncProperty(dropArb, async ({ rows, pointless, order }) => {
        const point = (r: (typeof rows)[number]) =>
          pointless.includes(`${r.account}|${r.meter}`) ? '' : `P-${r.account}-${r.meter}`;
        const cells = rows.map((r) =>
          meterCells({
            account_id: r.account,
            meter_id: r.meter,
            period: r.period,
            read_at: `${r.period}-28T23:45:00+08:00`,
            read_type: r.readType,
            metering_point_id: point(r),
          }),
        );
        const withColumn = await read(csvText(order, cells));
        const without = await read(csvText(METER_HEADER, cells));
        expect(withColumn.counts).toEqual({ rows: rows.length, accepted: rows.length, rejected: 0 });
        expect(without.counts).toEqual(withColumn.counts);
        withColumn.rows.forEach((item, i) => {
          const { meteringPointId, ...rest } = item.row;
          expect(rest).toEqual(without.rows[i]!.row);
          expect(meteringPointId).toBe(point(rows[i]!) || undefined);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('rejects a hostile id in one row and reads every other row', async () => {
    const hostile = fc.oneof(
      fc.string({ minLength: 33, maxLength: 200 }).filter((s) => s.trim() !== ''),
      fc
        .tuple(
          fc.stringMatching(/^[A-Za-z0-9]{0,10}$/),
          fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u202e', '.', '/', '中'),
        )
        .map(([id, bad]) => `${id}${bad}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 9 }), hostile, async (at, id) => {
        const cells = Array.from({ length: 10 }, (_, i) =>
          meterCells({ meter_id: `M-${i}`, metering_point_id: i === at ? id : `P${i}` }),
        );
        const { rows, rejects } = await read(csvText(WITH_POINT, cells));
        expect(rows).toHaveLength(9);
        expect(rejects).toEqual([
          expect.objectContaining({ rowNumber: at + 1, column: 'metering_point_id' }),
        ]);
      }),
      { numRuns: 150 },
    );
  });
});
