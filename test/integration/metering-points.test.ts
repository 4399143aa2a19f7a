import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3DropObjectStore } from '#adapters/drop-objects.ts';
import { findingsThatHold } from '#domain/bill.ts';
import { METER_READ_FEED_COLUMNS, type MeterReadColumn } from '#domain/meter-read.ts';
import { dec } from '#domain/money.ts';
import type { MeterReadDropResult } from '#services/run-meter-read-drop.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { LOCAL_NAMES, type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { loadAccounts, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * Issue #12, item 7: a drop with metering_point_id through both phases (ingest-drop, bill-chunk) on the
 * local stack: a meter change on one metering point is one line, the point is stored with the reads, and
 * a point claimed by a second account is a reject naming the first.
 */

type Row = Record<string, string>;
const generated = generateAccounts(8, { tariffIds: SAMPLE_TARIFF_IDS, seed: 11 });
const twoMeters = generated.find((g) => g.meters.length === 2)!;
const oneMeter = generated.find((g) => g.meters.length === 1)!;
const accountId = twoMeters.account.accountId;
const [meter1, meter2] = twoMeters.meters.map((m) => m.meterId) as [string, string];

const readsOf = (period: string, seed: number): Row[] =>
  generateMeterReadRows([twoMeters, oneMeter], period, { seed });
const ofMeter = (rows: readonly Row[], meterId: string): Row => rows.find((r) => r.meter_id === meterId)!;

/** A new meter's read: the same register advances from zero, and twice the old meter's demand. */
function newMeterAfter(old: Row, meterId: string): Row {
  const row: Row = { ...old, meter_id: meterId, read_type: 'meter_in' };
  for (const column of Object.keys(old) as MeterReadColumn[]) {
    if (!column.endsWith('_start') || old[column] === '') continue;
    const end = column.replace(/_start$/, '_end');
    row[end] = dec(old[end]!).minus(old[column]!).toFixed(2);
    row[column] = '0';
  }
  row.max_demand_kw = dec(old.max_demand_kw!).times(2).toFixed(4);
  return row;
}

const demandOf = (row: Row) => dec(row.max_demand_kw!).times(row.multiplier!);

describe('metering points through a drop (local stack)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  const drop = async (key: string, rows: readonly Row[], columns: readonly string[]) => {
    await pipeline.putDrop(key, toCsv(rows, columns));
    return (await pipeline.deliverDrop(key)) as MeterReadDropResult;
  };

  beforeAll(async () => {
    stack = await startLocalStack({ services: ['dynamodb', 's3', 'sqs'] });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await loadAccounts(
      pipeline,
      generated.map((g) => g.account),
    );
    // The period before, from a producer without the column: both accounts known, both billed.
    const before = await drop(
      'drops/reads/2026-09/plain.csv',
      readsOf('2026-09', 1),
      METER_READ_FEED_COLUMNS.slice(0, -1),
    );
    expect(before).toMatchObject({ accountsBilled: 2, rejected: 0 });
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('bills a meter change on one metering point as one line, stores the points, and rejects a point two accounts claim', async () => {
    const rows = readsOf('2026-10', 2);
    const old = {
      ...ofMeter(rows, meter1),
      read_type: 'meter_out',
      read_at: '2026-10-15T10:00:00+08:00',
      metering_point_id: 'P-LINE-1',
    };
    const replacement = { ...newMeterAfter(ofMeter(rows, meter1), 'NEW-1'), metering_point_id: 'P-LINE-1' };
    const other = { ...ofMeter(rows, meter2), metering_point_id: 'P-LINE-2' };
    const intruder = { ...ofMeter(rows, oneMeter.meters[0]!.meterId), metering_point_id: 'P-LINE-1' };
    const result = await drop(
      'drops/reads/2026-10/points.csv',
      [old, replacement, other, intruder],
      METER_READ_FEED_COLUMNS,
    );

    expect(result).toMatchObject({ rows: 4, accepted: 3, rejected: 1, accountsBilled: 1 });
    const report = await text(
      (await s3DropObjectStore.open({ bucket: LOCAL_NAMES.bucket, key: result.rejectReportKey! })).body,
    );
    expect(report).toContain(
      `4,metering_point_id,"metering point P-LINE-1 belongs to account ${accountId} (row 1), not ${oneMeter.account.accountId}: a metering point serves one account"`,
    );

    const bill = await pipeline.stores.bills.getLatestBill(accountId, '2026-10');
    // The line of P-LINE-1 takes the larger of the old and the new meter's demand, P-LINE-2 its own.
    const expected = demandOf(replacement).plus(demandOf(other));
    expect(dec(bill!.document.demand.maxDemandKw).toFixed(4)).toBe(expected.toFixed(4));
    expect(bill!.document.findings.map((f) => f.code)).not.toContain('UNPAIRED_METER_CHANGE');
    expect(findingsThatHold(bill!.document)).toEqual([]);

    const stored = await pipeline.stores.meterReads.getMeterReads(accountId, '2026-10');
    expect(stored.map((r) => [r.meterId, r.readType, r.meteringPointId])).toEqual([
      [meter1, 'meter_out', 'P-LINE-1'],
      [meter2, 'actual', 'P-LINE-2'],
      ['NEW-1', 'meter_in', 'P-LINE-1'],
    ]);
  });
});
