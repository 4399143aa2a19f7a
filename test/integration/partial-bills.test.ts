import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3DropObjectStore } from '#adapters/drop-objects.ts';
import type { MeterReadColumn } from '#domain/meter-read.ts';
import { dec } from '#domain/money.ts';
import type { MeterReadDropResult } from '#services/run-meter-read-drop.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { LOCAL_NAMES, type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { loadAccounts, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * Issue #11, item 5: a drop carrying only some of an account's meters (a correction of one meter, or a
 * drop whose row of the other meter was rejected) never turns into a bill that leaves a meter out.
 */

type Row = Record<MeterReadColumn, string>;
const generated = generateAccounts(8, { tariffIds: SAMPLE_TARIFF_IDS, seed: 11 });
const twoMeters = generated.find((g) => g.meters.length === 2)!;
const oneMeter = generated.find((g) => g.meters.length === 1)!;
const accountId = twoMeters.account.accountId;
const [meter1, meter2] = twoMeters.meters.map((m) => m.meterId) as [string, string];

/** Reads of both test accounts for a period (the two-meter account's meter 1 first). */
const readsOf = (period: string, seed: number): Row[] =>
  generateMeterReadRows([twoMeters, oneMeter], period, { seed });
/** A row whose total and valley registers advance one more unit (bands still sum to the total). */
const advancedByOneUnit = (row: Row): Row => ({
  ...row,
  kwh_total_end: dec(row.kwh_total_end).plus(1).toFixed(2),
  kwh_valley_end: dec(row.kwh_valley_end).plus(1).toFixed(2),
});

describe('partial bills: an account is billed from all its meters or not at (local stack)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  const drop = async (key: string, rows: readonly Row[]) => {
    await pipeline.putDrop(key, toCsv(rows));
    return (await pipeline.deliverDrop(key)) as MeterReadDropResult;
  };
  const rejectLines = async (result: MeterReadDropResult) => {
    const report = await text(
      (await s3DropObjectStore.open({ bucket: LOCAL_NAMES.bucket, key: result.rejectReportKey! })).body,
    );
    return report.trim().split('\r\n').slice(1);
  };
  const latest = (period: string) => pipeline.stores.bills.getLatestBill(accountId, period);

  beforeAll(async () => {
    stack = await startLocalStack({ services: ['dynamodb', 's3', 'sqs'] });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await loadAccounts(
      pipeline,
      generated.map((g) => g.account),
    );
    // The period before: both meters read, so both are the account's known meters from now on.
    const before = await drop('drops/reads/2026-09/both.csv', readsOf('2026-09', 1));
    expect(before).toMatchObject({ accountsBilled: 2, rejected: 0 });
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('bills a correction of meter 2 with meter 1’s stored read (version 2 includes meter 1)', async () => {
    const rows = readsOf('2026-10', 2);
    await drop('drops/reads/2026-10/both.csv', rows);
    const v1 = await latest('2026-10');
    expect(v1?.version).toBe(1);

    const corrected = advancedByOneUnit(rows.find((r) => r.meter_id === meter2)!);
    const result = await drop('drops/reads/2026-10/meter-2-corrected.csv', [corrected]);
    expect(result).toMatchObject({ outcome: 'processed', accepted: 1, rejected: 0, accountsBilled: 1 });
    const v2 = await latest('2026-10');
    expect(v2?.version).toBe(2);
    // Meter 2 advanced one register unit more: the bill grows by that much, meter 1 still in it.
    expect(dec(v2!.document.consumption.totalKwh).toFixed(2)).toBe(
      dec(v1!.document.consumption.totalKwh).plus(corrected.multiplier).toFixed(2),
    );
    const stored = await pipeline.stores.meterReads.getMeterReads(accountId, '2026-10');
    expect(stored.map((r) => [r.meterId, r.kwhTotal.end])).toEqual([
      [meter1, rows.find((r) => r.meter_id === meter1)!.kwh_total_end],
      [meter2, corrected.kwh_total_end],
    ]);
  });

  it('replaces a meter’s stored read of another read type, and forgets it', async () => {
    const [meter1Read] = await pipeline.stores.meterReads.getMeterReads(accountId, '2026-10');
    const estimate = {
      ...readsOf('2026-10', 2).find((r) => r.meter_id === meter1)!,
      read_type: 'estimated',
    };
    const result = await drop('drops/reads/2026-10/meter-1-estimated.csv', [estimate]);
    expect(result).toMatchObject({ accepted: 1, rejected: 0, accountsBilled: 1 });
    const stored = await pipeline.stores.meterReads.getMeterReads(accountId, '2026-10');
    expect(stored.map((r) => [r.meterId, r.readType])).toEqual([
      [meter1, 'estimated'],
      [meter2, 'actual'],
    ]);
    // Same readings under another read type: the energy is unchanged, never billed twice.
    expect(meter1Read?.readType).toBe('actual');
    const bill = await latest('2026-10');
    expect(bill?.version).toBe(3);
    expect(bill?.document.findings.map((f) => f.code)).toContain('ESTIMATED_READ');
  });

  it('does not bill an account whose known meter has no read: its rows are rejected with the reason', async () => {
    const rows = readsOf('2026-11', 3).filter((r) => r.meter_id !== meter1);
    const result = await drop('drops/reads/2026-11/meter-1-missing.csv', rows);
    expect(result).toMatchObject({
      outcome: 'processed',
      rows: 2,
      accepted: 1,
      rejected: 1,
      accountsBilled: 1,
    });
    expect(await latest('2026-11')).toBeUndefined();
    expect(await pipeline.stores.meterReads.getMeterReads(accountId, '2026-11')).toEqual([]);
    const run = await pipeline.stores.runs.getRun(result.runId);
    expect(run?.status).toBe('SUCCEEDED');
    // Listed on the run (get-run shows it; the run report reads it): not billed, and why.
    expect(run?.counts?.accountsNotBilled).toBe(1);
    expect(run?.notBilled).toEqual([
      {
        accountId,
        period: '2026-11',
        reason: `meter ${meter1} of account ${accountId} has no read for 2026-11: a partial bill is never sent`,
      },
    ]);
    const lines = await rejectLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `meter ${meter1} of account ${accountId} has no read for 2026-11: a partial bill is never sent`,
    );
    expect(lines[0]).toContain(meter2);
  });

  it('does not bill the rest of an account whose other meter’s row was rejected at reading', async () => {
    const rows = readsOf('2026-11', 4).map((r) => (r.meter_id === meter1 ? { ...r, multiplier: 'x' } : r));
    const result = await drop('drops/reads/2026-11/meter-1-broken.csv', rows);
    expect(result).toMatchObject({
      rows: 3,
      accepted: 1,
      rejected: 2,
      accountsBilled: 1,
      accountsNotBilled: 1,
    });
    expect(result.notBilled?.map((n) => n.accountId)).toEqual([accountId]);
    expect(await latest('2026-11')).toBeUndefined();
    const lines = await rejectLines(result);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain(`meter ${meter1} of account ${accountId} has no read for 2026-11`);
  });

  it('bills an account whose drop repeats a row exactly, as one read', async () => {
    const rows = readsOf('2026-11', 5);
    const result = await drop('drops/reads/2026-11/duplicate-row.csv', [...rows, { ...rows[0]! }]);
    expect(result).toMatchObject({ rows: 4, accepted: 4, rejected: 0, accountsBilled: 2, billsCreated: 2 });
    const bill = await latest('2026-11');
    expect(bill?.version).toBe(1);
    const single = await drop('drops/reads/2026-11/without-duplicate.csv', rows);
    expect(single).toMatchObject({ accountsBilled: 2, billsCreated: 0, billsUnchanged: 2 });
  });

  it('still refuses two different rows for one meter and read type', async () => {
    const rows = readsOf('2026-08', 6);
    const conflicting = advancedByOneUnit(rows[0]!);
    const result = await drop('drops/reads/2026-08/conflicting.csv', [...rows, conflicting]);
    expect(result).toMatchObject({ rows: 4, accepted: 1, rejected: 3, accountsBilled: 1 });
    expect(await latest('2026-08')).toBeUndefined();
    expect((await rejectLines(result)).join('\n')).toContain(`has two actual reads in 2026-08`);
  });
});
