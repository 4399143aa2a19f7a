import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METER_READ_FEED, readDrop } from '#ingest/index.ts';
import { collect, csvField, METER_HEADER, meterCells, source } from './fixtures.ts';

/*
 * Issue #11's accounting property: for files mixing valid rows with broken ones (a quote left open, a
 * quoted line break, a huge cell, a period or read_at outside the window, a reversed reading) and line
 * ends of every kind (LF, CRLF, CR alone), every physical data line is one row, accepted or rejected, and
 * every valid row is accepted.
 */

/** The caller's clock: 2026-11-05 in Shanghai, so period 2026-10 is inside the window. */
const NOW = new Date('2026-11-05T02:00:00Z');

type Kind =
  | 'valid'
  | 'open quote'
  | 'quoted line break'
  | 'huge cell'
  | 'future period'
  | 'stale period'
  | 'stale read_at'
  | 'reversed reading'
  | 'huge register';

const KINDS: readonly Kind[] = [
  'valid',
  'open quote',
  'quoted line break',
  'huge cell',
  'future period',
  'stale period',
  'stale read_at',
  'reversed reading',
  'huge register',
];

const rowArb = fc.record({
  kind: fc.oneof(
    { weight: 6, arbitrary: fc.constant<Kind>('valid') },
    { weight: 4, arbitrary: fc.constantFrom(...KINDS.filter((k) => k !== 'valid')) },
  ),
  column: fc.nat({ max: METER_HEADER.length - 1 }),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  hugeLength: fc.integer({ min: 65, max: 200_000 }),
});
type RowCase = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

/** The physical lines one case writes (more than one for a quoted line break) and whether it is valid. */
function linesOf(row: RowCase, n: number): { text: string; lines: number } {
  const overrides: Record<string, string> = { meter_id: `M-${n}` };
  if (row.kind === 'future period')
    Object.assign(overrides, { period: '2099-12', read_at: '2099-12-31T23:45:00+08:00' });
  if (row.kind === 'stale period')
    Object.assign(overrides, { period: '2024-10', read_at: '2024-10-31T23:45:00+08:00' });
  if (row.kind === 'stale read_at') overrides.read_at = '2019-10-31T23:45:00+08:00';
  if (row.kind === 'reversed reading')
    Object.assign(overrides, { kwh_total_start: '5000', kwh_total_end: '4000' });
  if (row.kind === 'huge register') overrides.kwh_total_end = `1${'0'.repeat(60)}`;
  const cells: string[] = METER_HEADER.map((c) => csvField(meterCells(overrides)[c] ?? ''));
  const at = row.column;
  if (row.kind === 'open quote') cells[at] = `"${cells[at]}`;
  if (row.kind === 'huge cell') cells[at] = '9'.repeat(row.hugeLength);
  if (row.kind === 'quoted line break') {
    cells[at] = `"${cells[at]}${row.eol}${cells[at]}"`;
    return { text: cells.join(','), lines: 2 };
  }
  return { text: cells.join(','), lines: 1 };
}

describe('row accounting over mixed valid and broken rows (property, issue #11)', () => {
  it('accepted + rejected = physical data lines, and every valid row is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.integer({ min: 1, max: 4096 }),
        async (rows, headerEol, chunkSize) => {
          let text = METER_HEADER.join(',') + headerEol;
          let physical = 0;
          rows.forEach((row, n) => {
            const { text: line, lines } = linesOf(row, n);
            text += line + row.eol;
            physical += lines;
          });
          const { counts, rows: accepted } = await collect(
            readDrop(source(text, {}, chunkSize), METER_READ_FEED, { now: NOW }),
          );
          expect(counts.accepted + counts.rejected).toBe(counts.rows);
          expect(counts.rows).toBe(physical);
          const valid = rows.flatMap((row, n) => (row.kind === 'valid' ? [`M-${n}`] : []));
          expect(accepted.map((r) => r.row.meterId)).toEqual(valid);
          expect(counts.rejected).toBe(physical - valid.length);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});
