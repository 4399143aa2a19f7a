import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3DropObjectStore } from '#adapters/drop-objects.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { billAccountChunk } from '#services/bill-account-chunk.ts';
import type { MeterReadDropResult } from '#services/run-meter-read-drop.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { LOCAL_NAMES, type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';

const tariffIds = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];
const generated = generateAccounts(6, { tariffIds, seed: 11 });
const accountIds = generated.map((g) => g.account.accountId);

describe('a meter-read drop billed through the bill-chunk fan-out (local stack, two accounts a chunk)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  const drop = async (
    key: string,
    csv: string,
    options: Parameters<LocalPipeline['deliverDrop']>[1] = {},
  ) => {
    await pipeline.putDrop(key, csv);
    return (await pipeline.deliverDrop(key, options)) as MeterReadDropResult;
  };

  beforeAll(async () => {
    stack = await startLocalStack({ services: ['dynamodb', 's3', 'sqs'] });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack, { BILL_CHUNK_ACCOUNTS: '2' });
    await pipeline.stores.tariffs.putTariffs(SAMPLE_TARIFFS);
    await pipeline.stores.accounts.putAccounts(generated.map((g) => g.account));
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('splits the accounts into chunks, bills every account once and finishes the run with the totals', async () => {
    const rows = generateMeterReadRows(generated, '2026-09', { seed: 3 });
    const result = await drop('drops/reads/2026-09/fan-out.csv', toCsv(rows));
    expect(result).toMatchObject({
      outcome: 'processed',
      rows: rows.length,
      accepted: rows.length,
      rejected: 0,
      chunks: 3,
      accountsBilled: 6,
      billsCreated: 6,
    });
    const run = await pipeline.stores.runs.getRun(result.runId);
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.billing).toMatchObject({ chunksTotal: 3, chunksDone: 3, accountsBilled: 6 });
    for (const accountId of accountIds) {
      expect((await pipeline.stores.bills.getLatestBill(accountId, '2026-09'))?.version).toBe(1);
      expect((await pipeline.stores.meterReads.getMeterReads(accountId, '2026-09')).length).toBeGreaterThan(
        0,
      );
    }
  });

  it('counts a chunk the queue delivers twice once', async () => {
    const rows = generateMeterReadRows(generated, '2026-10', { seed: 4 });
    const result = await drop('drops/reads/2026-10/fan-out.csv', toCsv(rows), {
      duplicateChunks: () => true,
    });
    expect(result).toMatchObject({ outcome: 'processed', chunks: 3, accountsBilled: 6, billsCreated: 6 });
    const run = await pipeline.stores.runs.getRun(result.runId);
    expect(run?.billing).toMatchObject({ chunksTotal: 3, chunksDone: 3 });
  });

  it('rejects the rows of an account billing refuses after the rows reading refused, and bills the rest', async () => {
    const rows = generateMeterReadRows(generated, '2026-11', { seed: 5 });
    const first = rows.findIndex((r) => r.account_id === accountIds[0]);
    const refusedAccountRows = rows.filter((r) => r.account_id === accountIds[0]).length + 1;
    const withProblems = [
      ...rows,
      // Billing refuses account 0: the same meter read twice in one period, differently (an exact
      // duplicate row is one read and is billed).
      { ...rows[first]!, max_demand_kw: '0.0001' },
      // Reading refuses these two: an impossible period, an account that is not a key account.
      { ...rows[1]!, period: '2026-13' },
      { ...rows[2]!, account_id: '3100099999' },
    ];
    const result = await drop('drops/reads/2026-11/fan-out.csv', toCsv(withProblems));
    expect(result).toMatchObject({
      outcome: 'processed',
      rows: withProblems.length,
      rejected: refusedAccountRows + 2,
      accountsBilled: 5,
    });
    expect(result.accepted + result.rejected).toBe(result.rows);
    expect(await pipeline.stores.bills.getLatestBill(accountIds[0]!, '2026-11')).toBeUndefined();
    // Nothing of the refused account's rows is kept as its meters' reads.
    expect(await pipeline.stores.meterReads.getMeterReads(accountIds[0]!, '2026-11')).toEqual([]);

    const report = await text(
      (await s3DropObjectStore.open({ bucket: LOCAL_NAMES.bucket, key: result.rejectReportKey! })).body,
    );
    const lines = report.trim().split('\r\n');
    expect(lines[0]).toBe('row,column,reason,raw');
    expect(lines[1]).toMatch(/^\d+,period,/);
    expect(lines[2]).toMatch(/^\d+,account_id,account 3100099999 is not a known key account,/);
    expect(lines.slice(3)).toHaveLength(refusedAccountRows);
    for (const line of lines.slice(3)) expect(line).toContain(`has two actual reads in 2026-11`);
  });

  it('ignores a chunk of an attempt that has since been taken over', async () => {
    const [run] = await pipeline.stores.runs.listRunsByPeriod('2026-09');
    const outcome = await billAccountChunk(
      {
        runId: run!.runId,
        attempt: '2020-01-01T00:00:00.000Z',
        chunk: 0,
        accounts: [{ accountId: accountIds[0]!, period: '2026-09' }],
      },
      { ...pipeline.stores, objects: s3DropObjectStore },
    );
    expect(outcome).toEqual({ outcome: 'stale' });
  });
});
