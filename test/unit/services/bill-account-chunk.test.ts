import { describe, expect, it } from 'vitest';
import type { BillDocument } from '#domain/bill.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { type MeterReadRow, MeterReadRowSchema } from '#domain/meter-read.ts';
import type { BillingReject, RunRecord } from '#domain/run.ts';
import { billAccountChunk } from '#services/bill-account-chunk.ts';
import type { DropObjectStore } from '#services/ports/index.ts';
import { generateAccounts, generateMeterReadRows } from '../../../local/runner/fixtures.ts';

/*
 * bill-chunk with in-memory stores: what one account of a chunk is billed from (issue #11, item 5).
 * The integration test partial-bills.test.ts plays the same cases through the local stack.
 */

const tariffIds = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];
const twoMeters = generateAccounts(8, { tariffIds, seed: 11 }).find((g) => g.meters.length === 2)!;
const { account } = twoMeters;
const [meter1, meter2] = twoMeters.meters.map((m) => m.meterId) as [string, string];
const readsOf = (period: string, seed: number): MeterReadRow[] =>
  generateMeterReadRows([twoMeters], period, { seed }).map((cells) => MeterReadRowSchema.parse(cells));
const run: RunRecord = {
  runId: 'run-1',
  feed: 'meter-reads',
  bucket: 'b',
  key: 'k',
  status: 'BILLING',
  startedAt: '2026-12-01T00:00:00Z',
  // Two chunks, this one first: the run is not finished by it.
  billing: { attempt: 'a1', chunksTotal: 2, chunksDone: 0 },
} as RunRecord;

/** One chunk of one account billed from `staged` over the `stored` reads of the table. */
async function billChunk(staged: readonly MeterReadRow[], stored: readonly MeterReadRow[]) {
  const saved: BillDocument[] = [];
  const put: MeterReadRow[] = [];
  const deleted: MeterReadRow[] = [];
  const rejects: BillingReject[] = [];
  const result = await billAccountChunk(
    {
      runId: run.runId,
      attempt: 'a1',
      chunk: 0,
      accounts: [{ accountId: account.accountId, period: '2026-10' }],
    },
    {
      runs: {
        getRun: async () => run,
        recordBillChunk: async (_r, _a, _c, _t, chunkRejects) => {
          rejects.push(...chunkRejects);
          return 'recorded';
        },
        listBillingRejects: async () => [],
        listBillingOutcomes: async () => ({ held: [], notBilled: [] }),
        finishBilling: async () => false,
      },
      accounts: { getAccounts: async () => new Map([[account.accountId, account]]) },
      tariffs: { getTariffs: async () => [...SAMPLE_TARIFFS] },
      staging: { getStagedMeterReads: async () => staged.map((row, i) => ({ rowNumber: i + 2, row })) },
      bills: {
        getBillHistory: async () => [],
        getBill: async () => undefined,
        saveBill: async (bill) => {
          saved.push(bill);
          return { outcome: 'created', version: 1 };
        },
      },
      holds: { getHold: async () => undefined, listHolds: async () => [], supersedeHold: async () => true },
      meterReads: {
        getMeterReads: async (_id, period) => stored.filter((r) => r.period === period),
        putMeterReads: async (rows) => void put.push(...rows),
        deleteMeterReads: async (rows) => void deleted.push(...rows),
      },
      objects: {} as DropObjectStore,
    },
  );
  return { tally: result.tally, saved, put, deleted, rejects };
}

const september = readsOf('2026-09', 1);
const october = readsOf('2026-10', 2);
const ofMeter = (rows: readonly MeterReadRow[], meterId: string) => rows.find((r) => r.meterId === meterId)!;

describe('bill-chunk bills an account from all its meters or not at all', () => {
  it('bills a correction of meter 2 with the stored read of meter 1, and stores only the corrected read', async () => {
    const corrected = { ...ofMeter(october, meter2), maxDemandKw: '0.0001' };
    const out = await billChunk([corrected], [...september, ...october]);
    expect(out.tally).toMatchObject({ accountsBilled: 1, rowsRejected: 0 });
    const both = await billChunk([ofMeter(october, meter1), corrected], [...september]);
    expect(out.saved[0]!.consumption).toEqual(both.saved[0]!.consumption);
    expect(out.saved[0]!.total).toBe(both.saved[0]!.total);
    expect(out.put).toEqual([corrected]);
    expect(out.deleted).toEqual([]);
  });

  it('does not bill an account whose known meter is unread: its rows are rejects naming the meter', async () => {
    const out = await billChunk([ofMeter(october, meter2)], september);
    expect(out.saved).toEqual([]);
    expect(out.put).toEqual([]);
    expect(out.tally).toMatchObject({ accountsBilled: 0, rowsRejected: 1 });
    expect(out.rejects).toEqual([
      expect.objectContaining({
        rowNumber: 2,
        column: 'meter_id',
        reason: `meter ${meter1} of account ${account.accountId} has no read for 2026-10: a partial bill is never sent`,
      }),
    ]);
  });

  it('bills an exact duplicate row as one read, and refuses two different rows of one meter', async () => {
    const once = await billChunk(october, september);
    const twice = await billChunk([...october, ofMeter(october, meter1)], september);
    expect(twice.tally).toMatchObject({ accountsBilled: 1, rowsRejected: 0 });
    expect(twice.saved[0]!.total).toBe(once.saved[0]!.total);
    expect(twice.put).toHaveLength(2);

    const conflicting = await billChunk(
      [...october, { ...ofMeter(october, meter1), maxDemandKw: '0.0001' }],
      september,
    );
    expect(conflicting.saved).toEqual([]);
    expect(conflicting.rejects).toHaveLength(3);
    expect(conflicting.rejects[0]!.reason).toContain('has two actual reads in 2026-10');
  });

  it('deletes the stored read a correction of another read type supersedes', async () => {
    const estimate: MeterReadRow = { ...ofMeter(october, meter1), readType: 'estimated' };
    const out = await billChunk([estimate], [...september, ...october]);
    expect(out.tally).toMatchObject({ accountsBilled: 1 });
    expect(out.deleted).toEqual([ofMeter(october, meter1)]);
  });
});

describe('bill-chunk tells a new connection from an unpaired meter change (issue #12)', () => {
  const newMeters = october.map((r) => ({ ...r, readType: 'meter_in' as const }));

  it('bills new meters (meter_in, nothing held before) of the account’s first period without a finding', async () => {
    const out = await billChunk(newMeters, []);
    expect(out.tally).toMatchObject({ accountsBilled: 1, rowsRejected: 0 });
    expect(out.saved[0]!.findings.map((f) => f.code)).not.toContain('UNPAIRED_METER_CHANGE');
  });

  it('reports a meter_in with no meter_out when the account was read before', async () => {
    const replaced = [
      ofMeter(october, meter1),
      { ...ofMeter(october, meter2), readType: 'meter_in' as const },
    ];
    const september1 = september.map((r) =>
      r.meterId === meter2 ? { ...r, readType: 'meter_out' as const } : r,
    );
    const out = await billChunk(replaced, september1);
    expect(out.saved[0]!.findings).toContainEqual(
      expect.objectContaining({ code: 'UNPAIRED_METER_CHANGE', meterId: meter2 }),
    );
  });
});
