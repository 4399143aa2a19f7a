import { beforeAll, describe, expect, it } from 'vitest';
import type { BillDocument } from '#domain/bill.ts';
import type { BillHold, NewBillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { type MeterReadRow, MeterReadRowSchema } from '#domain/meter-read.ts';
import { dec } from '#domain/money.ts';
import type { RunRecord } from '#domain/run.ts';
import { billAccountChunk } from '#services/bill-account-chunk.ts';
import type { DropObjectStore } from '#services/ports/index.ts';
import { generateAccounts, generateMeterReadRows } from '../../../local/runner/fixtures.ts';

/*
 * A new bill is compared with what the customer was sent for the previous period and the same period last
 * year, never with a version an operator still holds: a held ×10 bill as the yardstick would hold the
 * next right month and let the next wrong one through. October 2026 billed over stored versions of
 * September 2026 (and October 2025) held in turn.
 */

type Status = BillHold['status'];
const tariffIds = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];
const generated = generateAccounts(8, { tariffIds, seed: 11 }).find((g) => g.meters.length === 1)!;
const { account } = generated;
const readsOf = (period: string, seed: number): MeterReadRow[] =>
  generateMeterReadRows([generated], period, { seed }).map((cells) => MeterReadRowSchema.parse(cells));
const september = readsOf('2026-09', 1);
const october = readsOf('2026-10', 2);
const run = {
  runId: 'run-1',
  status: 'BILLING',
  billing: { attempt: 'a1', chunksTotal: 2, chunksDone: 0 },
} as RunRecord;

/** One stored version of an earlier period: its total and kWh `factor` times October's, its hold. */
interface Version {
  factor: number;
  hold?: Status;
  /** No longer in the table (a broken store): its period cannot be compared. */
  gone?: true;
}

/** October billed over the stored `earlier` versions of each period (oldest first), as bill-chunk does. */
async function billOctober(
  earlier: Record<string, Version[]>,
  options: { staged?: readonly MeterReadRow[]; stored?: readonly MeterReadRow[] } = {},
) {
  const versionsOf = (period: string) => earlier[period] ?? [];
  const storedBill = (period: string, version: number): StoredBill | undefined => {
    const v = versionsOf(period)[version - 1];
    if (v === undefined || v.gone) return undefined;
    const document = {
      period,
      total: dec(baseline.total).times(v.factor).toFixed(2),
      consumption: { totalKwh: dec(baseline.totalKwh).times(v.factor).toFixed(0) },
    } as BillDocument;
    return {
      accountId: account.accountId,
      period,
      version,
      contentHash: `${period}#${version}`,
      document,
      createdAt: '',
    };
  };
  const holds = Object.entries(earlier).flatMap(([period, versions]) =>
    versions.flatMap((v, i) =>
      v.hold === undefined
        ? []
        : [{ accountId: account.accountId, period, version: i + 1, status: v.hold } as BillHold],
    ),
  );
  const reads = { holds: 0, earlierVersions: [] as string[] };
  const saved: { bill: BillDocument; hold?: NewBillHold }[] = [];
  await billAccountChunk(
    {
      runId: run.runId,
      attempt: 'a1',
      chunk: 0,
      accounts: [{ accountId: account.accountId, period: '2026-10' }],
    },
    {
      runs: {
        getRun: async () => run,
        recordBillChunk: async () => 'recorded',
        listBillingRejects: async () => [],
        listBillingOutcomes: async () => ({ held: [], notBilled: [] }),
        finishBilling: async () => false,
      },
      accounts: { getAccounts: async () => new Map([[account.accountId, account]]) },
      tariffs: { getTariffs: async () => [...SAMPLE_TARIFFS] },
      staging: {
        getStagedMeterReads: async () =>
          (options.staged ?? october).map((row, i) => ({ rowNumber: i + 2, row })),
      },
      bills: {
        // As the table answers: the latest version of each earlier period, newest first.
        getBillHistory: async () =>
          Object.keys(earlier)
            .filter((period) => versionsOf(period).length > 0)
            .sort((a, b) => b.localeCompare(a))
            .map((period) => storedBill(period, versionsOf(period).length)!),
        getBill: async (_id, period, version) => {
          reads.earlierVersions.push(`${period} v${version}`);
          return storedBill(period, version);
        },
        saveBill: async (bill, _runId, hold) => {
          saved.push({ bill, ...(hold === undefined ? {} : { hold }) });
          return { outcome: 'created', version: 1 };
        },
      },
      holds: {
        getHold: async () => undefined,
        listHolds: async (accountId, period) => {
          if (period === undefined) reads.holds++;
          return holds.filter(
            (h) => h.accountId === accountId && (period === undefined || h.period === period),
          );
        },
        supersedeHold: async () => true,
      },
      meterReads: {
        getMeterReads: async (_id, period) =>
          (options.stored ?? september).filter((r) => r.period === period),
        putMeterReads: async () => {},
        deleteMeterReads: async () => {},
      },
      objects: {} as DropObjectStore,
    },
  );
  const [only] = saved;
  if (only === undefined) throw new Error('October was not billed');
  return {
    bill: only.bill,
    historyRules: (only.hold?.reasons ?? []).map((r) => r.rule).filter((rule) => /-vs-/.test(rule)),
    reads,
  };
}

/** October billed over no history: what the earlier versions' factors multiply. */
const baseline = { total: '0', totalKwh: '0' };

describe('bill-chunk compares a new bill with what the customer was sent', () => {
  beforeAll(async () => {
    const { bill } = await billOctober({});
    Object.assign(baseline, { total: bill.total, totalKwh: bill.consumption.totalKwh });
  });

  it('bills October over no history without a comparison, its total large enough to compare', async () => {
    const { bill } = await billOctober({});
    expect(bill.comparison).toBeUndefined();
    // A tenth of it is still above the policy's ¥1,000 and 1,000 kWh floors: every case below compares.
    expect(dec(baseline.total).div(10).gt(1000)).toBe(true);
    expect(dec(baseline.totalKwh).div(10).gt(1000)).toBe(true);
  });

  it.each<{
    name: string;
    september: Version[];
    comparedWith: number | null;
    held: string[];
    earlierRead: string[];
  }>([
    {
      name: 'a version never held, like October',
      september: [{ factor: 1 }],
      comparedWith: 1,
      held: [],
      earlierRead: [],
    },
    {
      name: 'a held ×10 correction of a sent version like October',
      september: [{ factor: 1 }, { factor: 10, hold: 'HELD' }],
      comparedWith: 1,
      held: [],
      earlierRead: ['2026-09 v1'],
    },
    {
      name: 'a held ×10 correction of a released version like October',
      september: [
        { factor: 1, hold: 'RELEASED' },
        { factor: 10, hold: 'HELD' },
      ],
      comparedWith: 1,
      held: [],
      earlierRead: ['2026-09 v1'],
    },
    {
      name: 'a held ×10 version 1, nothing sent',
      september: [{ factor: 10, hold: 'HELD' }],
      comparedWith: null,
      held: [],
      earlierRead: [],
    },
    {
      name: 'a held ×10 version 2 that replaced a held version 1, nothing sent',
      september: [
        { factor: 10, hold: 'SUPERSEDED' },
        { factor: 10, hold: 'HELD' },
      ],
      comparedWith: null,
      held: [],
      earlierRead: [],
    },
    {
      name: 'a sent version a tenth of October, then a held version like October (October is ×10)',
      september: [{ factor: 0.1 }, { factor: 1, hold: 'HELD' }],
      comparedWith: 1,
      held: ['total-vs-previous-period', 'consumption-vs-previous-period'],
      earlierRead: ['2026-09 v1'],
    },
    {
      name: 'a released ×10 version: what the customer was sent is the yardstick, however odd',
      september: [{ factor: 10, hold: 'RELEASED' }],
      comparedWith: 1,
      held: ['total-vs-previous-period', 'consumption-vs-previous-period'],
      earlierRead: [],
    },
    {
      name: 'a version 2 like October that replaced a held ×10 version 1',
      september: [{ factor: 10, hold: 'SUPERSEDED' }, { factor: 1 }],
      comparedWith: 2,
      held: [],
      earlierRead: [],
    },
    {
      name: 'a held ×10 version 3 after a superseded version 2 and a sent version 1',
      september: [{ factor: 1 }, { factor: 10, hold: 'SUPERSEDED' }, { factor: 10, hold: 'HELD' }],
      comparedWith: 1,
      held: [],
      earlierRead: ['2026-09 v1'],
    },
    {
      name: 'a held ×10 correction of a sent version the table no longer has',
      september: [
        { factor: 1, gone: true },
        { factor: 10, hold: 'HELD' },
      ],
      comparedWith: null,
      held: [],
      earlierRead: ['2026-09 v1'],
    },
  ])(
    'September with $name: compared with version $comparedWith',
    async ({ september: versions, comparedWith, held, earlierRead }) => {
      const { bill, historyRules, reads } = await billOctober({ '2026-09': versions });
      const expected =
        comparedWith === null
          ? undefined
          : dec(baseline.total)
              .times(versions[comparedWith - 1]!.factor)
              .toFixed(2);
      expect(bill.comparison?.previousPeriod?.total).toBe(expected);
      expect(historyRules.sort()).toEqual([...held].sort());
      // One query for the account's holds; an earlier version read only for a held latest one.
      expect(reads).toEqual({ holds: 1, earlierVersions: earlierRead });
    },
  );

  it('compares with the version of the same period last year the customer was sent', async () => {
    const { bill, historyRules } = await billOctober({
      '2025-10': [{ factor: 1 }, { factor: 10, hold: 'HELD' }],
      '2026-09': [{ factor: 1 }],
    });
    expect(bill.comparison?.samePeriodLastYear?.total).toBe(dec(baseline.total).toFixed(2));
    expect(bill.comparison?.previousPeriod?.total).toBe(dec(baseline.total).toFixed(2));
    expect(historyRules).toEqual([]);
  });

  it('counts a period billed but never sent as billed: a meter_in with no meter_out is still a finding', async () => {
    const newMeters = october.map((r) => ({ ...r, readType: 'meter_in' as const }));
    const firstEver = await billOctober({}, { staged: newMeters, stored: [] });
    expect(firstEver.bill.findings.map((f) => f.code)).not.toContain('UNPAIRED_METER_CHANGE');
    const afterHeld = await billOctober(
      { '2026-09': [{ factor: 1, hold: 'HELD' }] },
      { staged: newMeters, stored: [] },
    );
    expect(afterHeld.bill.comparison).toBeUndefined();
    expect(afterHeld.bill.findings.map((f) => f.code)).toContain('UNPAIRED_METER_CHANGE');
  });
});
