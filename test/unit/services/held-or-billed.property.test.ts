import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BillDocument } from '#domain/bill.ts';
import type { NewBillHold } from '#domain/bill-hold.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { type MeterReadRow, MeterReadRowSchema } from '#domain/meter-read.ts';
import type { BillChunkTally, BillingOutcomes, BillingReject, RunRecord, StagedRead } from '#domain/run.ts';
import { METER_READ_FEED, readDrop } from '#ingest/index.ts';
import { billAccountChunk } from '#services/bill-account-chunk.ts';
import type { DropObjectStore } from '#services/ports/index.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../../local/runner/fixtures.ts';
import { collect, source } from '../ingest/fixtures.ts';

/*
 * Issue #11's end-to-end property, through the pipeline's own reading (readDrop) and billing
 * (billAccountChunk, on in-memory stores that know every meter from last period's reads): for random
 * drops mixing valid and broken rows, accepted + rejected = the drop's physical rows, and the account of
 * every valid row is either billed from all its meters (held or not: a held one is listed with its
 * reasons) or not billed and listed with the reason — never billed from some of its meters.
 */

const NOW = new Date('2026-11-05T02:00:00Z');
const tariffIds = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];
const generated = generateAccounts(10, { tariffIds, seed: 7 });
const accounts = new Map(generated.map((g) => [g.account.accountId, g.account]));
const metersOf = new Map(generated.map((g) => [g.account.accountId, g.meters.map((m) => m.meterId).sort()]));
const parse = (cells: Record<string, string>) => MeterReadRowSchema.parse(cells);
const september = generateMeterReadRows(generated, '2026-09', { seed: 1 }).map(parse);
const october = generateMeterReadRows(generated, '2026-10', { seed: 2 });

type Kind =
  | 'valid'
  | 'missing'
  | 'broken multiplier'
  | 'multiplier ×10'
  | 'estimated'
  | 'duplicated'
  | 'conflicting';
const KINDS: readonly Kind[] = [
  'missing',
  'broken multiplier',
  'multiplier ×10',
  'estimated',
  'duplicated',
  'conflicting',
];

/** The lines one generated row becomes in the drop. */
function linesOf(row: Record<string, string>, kind: Kind): Record<string, string>[] {
  switch (kind) {
    case 'valid':
      return [row];
    case 'missing':
      return [];
    case 'broken multiplier':
      return [{ ...row, multiplier: '-40' }];
    case 'multiplier ×10':
      return [{ ...row, multiplier: String(Number(row.multiplier) * 10) }];
    case 'estimated':
      return [{ ...row, read_type: 'estimated' }];
    case 'duplicated':
      return [row, { ...row }];
    case 'conflicting':
      return [row, { ...row, kwh_total_end: String(Number(row.kwh_total_end) + 1) }];
  }
}

/** The drop read and its accounts billed by one chunk, as ingest-drop and bill-chunk do. */
async function runDrop(csv: string) {
  const read = await collect(readDrop(source(csv), METER_READ_FEED, { now: NOW }));
  const staged = new Map<string, StagedRead[]>();
  let unknown = 0;
  for (const { row, rowNumber } of read.rows) {
    if (!accounts.has(row.accountId)) {
      unknown++;
      continue;
    }
    staged.set(row.accountId, [...(staged.get(row.accountId) ?? []), { rowNumber, row }]);
  }
  const billed = new Map<string, { reads: MeterReadRow[]; hold?: NewBillHold }>();
  const saved: { bill: BillDocument; hold?: NewBillHold }[] = [];
  const recorded: { tally: BillChunkTally; rejects: readonly BillingReject[]; outcomes: BillingOutcomes }[] =
    [];
  const run = { runId: 'r', status: 'BILLING', billing: { attempt: 'a', chunksTotal: 2, chunksDone: 0 } };
  await billAccountChunk(
    {
      runId: 'r',
      attempt: 'a',
      chunk: 0,
      accounts: [...staged.keys()].map((accountId) => ({ accountId, period: '2026-10' })),
    },
    {
      runs: {
        getRun: async () => run as RunRecord,
        recordBillChunk: async (_r, _a, _c, tally, rejects, outcomes) => {
          recorded.push({ tally, rejects, outcomes: outcomes ?? { held: [], notBilled: [] } });
          return 'recorded';
        },
        listBillingRejects: async () => [],
        listBillingOutcomes: async () => ({ held: [], notBilled: [] }),
        finishBilling: async () => false,
      },
      accounts: { getAccounts: async (ids) => new Map(ids.map((id) => [id, accounts.get(id)!])) },
      tariffs: { getTariffs: async () => [...SAMPLE_TARIFFS] },
      staging: { getStagedMeterReads: async (_r, accountId) => staged.get(accountId) ?? [] },
      bills: {
        getBillHistory: async () => [],
        getBill: async () => undefined,
        saveBill: async (bill, _runId, hold) => {
          saved.push({ bill, ...(hold === undefined ? {} : { hold }) });
          return { outcome: 'created', version: 1 };
        },
      },
      holds: {
        getHold: async (accountId) => {
          const hold = saved.find((s) => s.bill.accountId === accountId)?.hold;
          return hold === undefined
            ? undefined
            : { accountId, period: '2026-10', version: 1, status: 'HELD', heldAt: '', ...hold };
        },
        listHolds: async () => [],
        supersedeHold: async () => true,
      },
      meterReads: {
        // Last period read every meter: each is a meter the account is known to have.
        getMeterReads: async (accountId, period) =>
          period === '2026-09' ? september.filter((r) => r.accountId === accountId) : [],
        putMeterReads: async (rows) => {
          const accountId = rows[0]!.accountId;
          billed.set(accountId, { reads: [...rows] });
        },
        deleteMeterReads: async () => {},
      },
      objects: {} as DropObjectStore,
    },
  );
  const [chunk] = recorded;
  return { read, unknown, billed, saved, chunk: chunk! };
}

describe('every valid row’s account is billed from all its meters, or held or not billed and listed (property, issue #11)', () => {
  it('holds for random mixes of valid and broken rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            { weight: 5, arbitrary: fc.constant<Kind>('valid') },
            { weight: 3, arbitrary: fc.constantFrom(...KINDS) },
          ),
          { minLength: october.length, maxLength: october.length },
        ),
        async (kinds) => {
          const lines = october.flatMap((row, i) => linesOf(row, kinds[i]!));
          const { read, billed, saved, chunk } = await runDrop(toCsv(lines));
          // Billing moves the rows of accounts it cannot bill from accepted to rejected, as the run counts them.
          const accepted = read.counts.accepted - chunk.rejects.length;
          const rejected = read.counts.rejected + chunk.rejects.length;
          expect(accepted + rejected).toBe(lines.length);
          expect(read.counts.rows).toBe(lines.length);

          const accountsWithValidRows = new Set(read.rows.map((r) => r.row.accountId));
          const notBilled = new Set(chunk.outcomes.notBilled.map((n) => n.accountId));
          const held = new Map(chunk.outcomes.held.map((h) => [h.accountId, h]));
          for (const accountId of accountsWithValidRows) {
            const bill = billed.get(accountId);
            if (bill === undefined) {
              expect(notBilled.has(accountId), `${accountId} neither billed nor listed`).toBe(true);
              continue;
            }
            expect(notBilled.has(accountId)).toBe(false);
            expect([...new Set(bill.reads.map((r) => r.meterId))].sort()).toEqual(metersOf.get(accountId));
            const hold = saved.find((s) => s.bill.accountId === accountId)?.hold;
            expect(held.has(accountId)).toBe(hold !== undefined);
            if (hold !== undefined) expect(held.get(accountId)!.reasons.length).toBeGreaterThan(0);
          }
          expect(chunk.tally.billsHeld).toBe(held.size);
          expect(chunk.tally.accountsNotBilled).toBe(notBilled.size);
          expect(chunk.tally.accountsBilled).toBe(billed.size);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('exercises each outcome: a swapped multiplier held, a missing meter not billed, the rest billed', async () => {
    const twoMeters = generated.find((g) => g.meters.length === 2)!.account.accountId;
    const kinds = october.map(
      (row, i): Kind =>
        i === 0
          ? 'multiplier ×10'
          : row.account_id === twoMeters && row.meter_id.endsWith('-1')
            ? 'missing'
            : 'valid',
    );
    const { chunk, billed } = await runDrop(toCsv(october.flatMap((row, i) => linesOf(row, kinds[i]!))));
    expect(chunk.outcomes.held.map((h) => h.accountId)).toEqual([october[0]!.account_id]);
    expect(chunk.outcomes.notBilled).toEqual([
      {
        accountId: twoMeters,
        period: '2026-10',
        reason: expect.stringContaining('a partial bill is never sent'),
      },
    ]);
    expect(billed.size).toBe(generated.length - 1);
  });
});
