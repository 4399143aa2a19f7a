import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { dec } from '#domain/money.ts';
import type { MeterReadDropResult } from '#services/run-meter-read-drop.ts';
import type { PaymentDropResult } from '#services/run-payment-drop.ts';
import { computeOfflineBills } from '../../cli/offline-bills.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { LOCAL_NAMES, type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';

const tariffIds = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];
const generated = generateAccounts(4, { tariffIds, seed: 7 });
const september = generateMeterReadRows(generated, '2026-09', { seed: 1 });
// October continues September's registers, except for one meter whose start reading jumps.
const october = generateMeterReadRows(generated, '2026-10', { seed: 2 }).map((row, i) => {
  const before = september[i]!;
  const advance = (start: string, end: string) => dec(end).minus(start);
  const continued = { ...row };
  for (const reg of ['kwh_total', 'kwh_sharp', 'kwh_peak', 'kwh_flat', 'kwh_valley', 'kvarh'] as const) {
    const start = before[`${reg}_end`];
    continued[`${reg}_start`] = start;
    continued[`${reg}_end`] = dec(start)
      .plus(advance(row[`${reg}_start`], row[`${reg}_end`]))
      .toFixed(2);
  }
  if (i === 0) continued.kwh_total_start = dec(continued.kwh_total_start).plus(5).toFixed(2);
  return continued;
});

describe('meter-read and payment drops through S3 and the ingest handler (local stack)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  const drop = async (key: string, body: string | Uint8Array, metadata?: Record<string, string>) => {
    await pipeline.putDrop(key, body, metadata);
    return (await pipeline.deliverDrop(key)) as MeterReadDropResult;
  };

  beforeAll(async () => {
    // Payments settle arrears, whose warnings name recipients by keys under a secret.
    stack = await startLocalStack({ services: ['dynamodb', 's3', 'sqs', 'secrets'] });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await pipeline.stores.tariffs.putTariffs(SAMPLE_TARIFFS);
    await pipeline.stores.accounts.putAccounts(generated.map((g) => g.account));
    const first = await drop('drops/reads/2026-09/reads.csv', toCsv(september));
    expect(first).toMatchObject({ outcome: 'processed', accountsBilled: 4, rejected: 0 });
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('bills a GB18030 drop marked by object metadata, gzip-compressed', async () => {
    const result = await drop(
      'drops/reads/2026-10/reads.csv.gz',
      gzipSync(iconv.encode(toCsv(october), 'gb18030')),
      {
        charset: 'gb18030',
      },
    );
    expect(result).toMatchObject({
      outcome: 'processed',
      rows: october.length,
      accepted: october.length,
      accountsBilled: 4,
    });
  });

  it('reports a reading that does not continue the last stored one, and still bills it', async () => {
    const bill = await pipeline.stores.bills.getLatestBill(october[0]!.account_id, '2026-10');
    expect(bill?.document.findings.map((f) => f.code)).toContain('READ_CONTINUITY_BREAK');
    const other = await pipeline.stores.bills.getLatestBill(generated[1]!.account.accountId, '2026-10');
    expect(other?.document.findings.map((f) => f.code)).not.toContain('READ_CONTINUITY_BREAK');
    const runs = await pipeline.stores.runs.listRunsByPeriod('2026-10');
    expect(runs[0]?.counts?.continuityBreaks).toBe(1);
  });

  it('ignores the same content delivered again under another key', async () => {
    const again = await drop(
      'drops/reads/2026-10/reads-resent.csv.gz',
      gzipSync(iconv.encode(toCsv(october), 'gb18030')),
      {
        charset: 'gb18030',
      },
    );
    expect(again.outcome).toBe('duplicate');
    const bill = await pipeline.stores.bills.getLatestBill(generated[2]!.account.accountId, '2026-10');
    expect(bill?.version).toBe(1);
  });

  it('supersedes a bill with a new version when a corrected drop changes it, and keeps the old one', async () => {
    const accountId = generated[2]!.account.accountId;
    const corrected = october.map((r) =>
      r.account_id === accountId
        ? {
            ...r,
            kwh_valley_end: dec(r.kwh_valley_end).plus(10).toFixed(2),
            kwh_total_end: dec(r.kwh_total_end).plus(10).toFixed(2),
          }
        : r,
    );
    const result = await drop(
      'drops/reads/2026-10/reads-corrected.csv',
      `\uFEFF${toCsv(corrected).replaceAll('\n', '\r\n')}`,
    );
    expect(result).toMatchObject({ outcome: 'processed', billsCreated: 1, billsUnchanged: 3 });
    const v2 = await pipeline.stores.bills.getLatestBill(accountId, '2026-10');
    const v1 = await pipeline.stores.bills.getBill(accountId, '2026-10', 1);
    expect(v2?.version).toBe(2);
    expect(v1).toBeDefined();
    expect(dec(v2!.document.total).gt(v1!.document.total)).toBe(true);
  });

  it('rejects a whole drop that lacks a required column, naming it, with a reject report', async () => {
    const withoutMultiplier = toCsv(
      october,
      Object.keys(october[0]!).filter((c) => c !== 'multiplier'),
    );
    const result = await drop('drops/reads/2026-10/broken.csv', withoutMultiplier);
    expect(result.outcome).toBe('rejected');
    expect(result.reason).toContain('multiplier');
    expect(result.rejectReportKey).toBe('rejects/reads/2026-10/broken.csv.rejects.csv');
    const runs = await pipeline.stores.runs.listRunsByStatus('REJECTED');
    expect(runs.map((r) => r.key)).toContain('drops/reads/2026-10/broken.csv');
  });

  it('rejects bad rows with row, column and reason and bills every good row', async () => {
    const rows = [
      ...october.slice(0, 2),
      { ...october[2]!, period: '2026-13' },
      { ...october[3]!, read_at: 'yesterday' },
    ];
    const result = await drop('drops/reads/2026-10/partial.csv', toCsv(rows));
    expect(result).toMatchObject({ outcome: 'processed', rows: 4, accepted: 2, rejected: 2 });
    expect(result.accepted + result.rejected).toBe(result.rows);
  });

  // Issue #11: the same bad files through the pipeline and the offline CLI give the same counts.
  const offlineCounts = async (text: string) =>
    (
      await computeOfflineBills({
        accounts: generated.map((g) => g.account),
        tariffs: SAMPLE_TARIFFS,
        reads: { fileName: 'reads.csv', body: Readable.from([text]) },
        period: '2026-10',
        now: new Date(),
      })
    ).counts;
  const reportOf = async (key: string) => {
    const got = await new S3Client({}).send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }));
    return got.Body!.transformToString();
  };

  it('reads a drop whose lines end in CR alone instead of letting it vanish (issue #11)', async () => {
    const text = toCsv(october).replaceAll('\r\n', '\n').replaceAll('\n', '\r');
    const result = await drop('drops/reads/2026-10/cr-only.csv', text);
    expect(result).toMatchObject({
      outcome: 'processed',
      rows: october.length,
      accepted: october.length,
      rejected: 0,
      accountsBilled: 4,
    });
    expect(await offlineCounts(text)).toEqual({
      rows: october.length,
      accepted: october.length,
      rejected: 0,
      accountsBilled: 4,
      // Row 1's total start jumps by 5 while its bands do not: BAND_SUM_MISMATCH holds that bill.
      billsHeld: 1,
    });
  });

  it('rejects whole, with a reject report, a drop that yields no rows from a non-empty file (issue #11)', async () => {
    const text = `${toCsv(october).split('\n')[0]}\n,,,\n`;
    const result = await drop('drops/reads/2026-10/header-only.csv', text);
    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/no data rows/) });
    expect(await reportOf(result.rejectReportKey!)).toMatch(/no data rows/);
    const runs = await pipeline.stores.runs.listRunsByStatus('REJECTED');
    expect(runs.map((r) => r.key)).toContain('drops/reads/2026-10/header-only.csv');
    await expect(offlineCounts(text)).rejects.toThrow(/no data rows/);
  });

  it('accounts for every line of a drop with a stray quote, out-of-window periods and huge registers (issue #11)', async () => {
    const stray = 'STRAY-QUOTE';
    const rows = [
      october[0]!,
      { ...october[1]!, meter_id: stray },
      october[2]!,
      october[3]!,
      { ...october[0]!, period: '2099-12', read_at: '2099-12-31T23:45:00+08:00' },
      { ...october[1]!, read_at: '2019-10-31T23:45:00+08:00' },
      { ...october[2]!, kwh_total_end: `1${'0'.repeat(60)}` },
      { ...october[3]!, kwh_total_start: '5000', kwh_total_end: '4000' },
      { ...october[3]!, kwh_peak_end: '9'.repeat(100_000) },
    ];
    // A stray quote before row 2's meter_id, opened and never closed.
    const text = toCsv(rows).replace(stray, `"${october[1]!.meter_id}`);
    const result = await drop('drops/reads/2026-10/mixed-bad.csv', text);
    expect(result).toMatchObject({ outcome: 'processed', rows: 9, accepted: 3, rejected: 6 });
    const report = await reportOf(result.rejectReportKey!);
    expect(report).toMatch(/^2,meter_id,a quote opened in this field is not closed on its line/m);
    expect(report).toMatch(/^5,period,period 2099-12 is in the future/m);
    expect(report).toMatch(/^6,read_at,read_at 2019-10-31T23:45:00\+08:00 is outside period 2026-10/m);
    expect(report).toMatch(/^7,kwh_total_end,"reading 10+ has 61 integer digits/m);
    expect(report).toMatch(/^8,kwh_total_end,"reversed reading/m);
    expect(report).toMatch(/^9,kwh_peak_end,"the cell is 100000 characters long/m);
    expect(await offlineCounts(text)).toMatchObject({ rows: 9, accepted: 3, rejected: 6, billsHeld: 1 });
  });

  it('stores each payment once, however often the collection system sends it', async () => {
    const accountId = generated[0]!.account.accountId;
    const payments: Record<string, string>[] = [
      {
        payment_id: 'P-1001',
        account_id: accountId,
        amount: '1000.00',
        paid_at: '2026-11-10T10:00:00+08:00',
      },
      { payment_id: 'P-1002', account_id: accountId, amount: '250.50', paid_at: '2026-11-11T10:00:00+08:00' },
      {
        payment_id: 'P-1003',
        account_id: accountId,
        amount: '-250.50',
        paid_at: '2026-11-12T10:00:00+08:00',
        reverses: 'P-1002',
      },
    ];
    const columns = ['payment_id', 'account_id', 'amount', 'paid_at', 'bill_id', 'reverses'];
    await pipeline.putDrop('drops/payments/2026-11-12.csv', toCsv(payments, columns));
    const first = (await pipeline.deliverDrop('drops/payments/2026-11-12.csv')) as PaymentDropResult;
    expect(first).toMatchObject({ outcome: 'processed', paymentsCreated: 3, paymentsDuplicate: 0 });
    // The next day's file repeats one payment and adds one.
    const next: Record<string, string>[] = [
      payments[0]!,
      { payment_id: 'P-1004', account_id: accountId, amount: '10.00', paid_at: '2026-11-13T10:00:00+08:00' },
    ];
    await pipeline.putDrop('drops/payments/2026-11-13.csv', toCsv(next, columns));
    const second = (await pipeline.deliverDrop('drops/payments/2026-11-13.csv')) as PaymentDropResult;
    expect(second).toMatchObject({ outcome: 'processed', paymentsCreated: 1, paymentsDuplicate: 1 });
    expect((await pipeline.stores.payments.listPayments(accountId)).map((p) => p.paymentId).sort()).toEqual([
      'P-1001',
      'P-1002',
      'P-1003',
      'P-1004',
    ]);
  });
});
