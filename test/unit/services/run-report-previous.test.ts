import { describe, expect, it } from 'vitest';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { RunRecord } from '#domain/run.ts';
import { gatherRunReport, type RunReportDeps } from '#services/run-report.ts';

/*
 * The run report compares this run's totals with the previous period as the customer was sent it: a
 * version held for review gives way to the version sent before it, or to no comparison at all.
 */

const RUN = {
  runId: 'run-1',
  feed: 'meter-reads',
  bucket: 'b',
  key: 'drops/reads/2026-11/a.csv',
  period: '2026-11',
  status: 'SUCCEEDED',
  startedAt: '2026-12-01T00:00:00Z',
} as RunRecord;

const bill = (accountId: string, period: string, version: number, total: string, runId = 'old') =>
  ({ accountId, period, version, runId, document: { total } }) as unknown as StoredBill;
const hold = (accountId: string, period: string, version: number, status: BillHold['status']) =>
  ({ accountId, period, version, status }) as BillHold;

function deps(stored: StoredBill[], holds: BillHold[]): RunReportDeps & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    accounts: { listAccounts: async () => [{ accountId: 'A' }, { accountId: 'B' }] as never },
    bills: {
      listBillsForPeriod: async (period) => stored.filter((b) => b.period === period),
      getBill: async (accountId, period, version) => {
        reads.push(`${accountId} ${period} v${version}`);
        return stored.find((b) => b.accountId === accountId && b.period === period && b.version === version);
      },
    },
    holds: {
      listHoldsByStatus: async (status, period) =>
        holds.filter((h) => h.status === status && (period === undefined || h.period === period)),
      listHolds: async (accountId, period) =>
        holds.filter((h) => h.accountId === accountId && (period === undefined || h.period === period)),
    },
    notices: { listNotices: async () => [] },
    objects: { open: () => Promise.reject(new Error('no reject report')), put: async () => {} },
    now: () => new Date('2026-12-02T00:00:00Z'),
  };
}

const previousTotals = async (stored: StoredBill[], holds: BillHold[]) => {
  const d = deps(stored, holds);
  const report = await gatherRunReport(RUN, d);
  return {
    previous: Object.fromEntries(report.bills.map((b) => [b.accountId, b.previousTotal ?? null])),
    reads: d.reads,
  };
};

describe('run report: totals against the previous period', () => {
  const november = [bill('A', '2026-11', 1, '1000.00', 'run-1'), bill('B', '2026-11', 1, '2000.00', 'run-1')];

  it.each([
    {
      case: 'compares with the latest October version when none is held',
      october: [bill('A', '2026-10', 1, '900.00'), bill('B', '2026-10', 1, '1800.00')],
      holds: [],
      previous: { A: '900.00', B: '1800.00' },
      reads: [],
    },
    {
      case: 'compares with the released version 1 when version 2 of October is held (×10)',
      october: [
        bill('A', '2026-10', 1, '900.00'),
        bill('A', '2026-10', 2, '9000.00'),
        bill('B', '2026-10', 1, '1800.00'),
      ],
      holds: [hold('A', '2026-10', 1, 'RELEASED'), hold('A', '2026-10', 2, 'HELD')],
      previous: { A: '900.00', B: '1800.00' },
      reads: ['A 2026-10 v1'],
    },
    {
      case: 'has no comparison when October was never sent (its only version held)',
      october: [bill('A', '2026-10', 1, '9000.00'), bill('B', '2026-10', 1, '1800.00')],
      holds: [hold('A', '2026-10', 1, 'HELD')],
      previous: { A: null, B: '1800.00' },
      reads: [],
    },
    {
      case: 'counts a released October version as sent',
      october: [bill('A', '2026-10', 1, '9000.00'), bill('B', '2026-10', 1, '1800.00')],
      holds: [hold('A', '2026-10', 1, 'RELEASED')],
      previous: { A: '9000.00', B: '1800.00' },
      reads: [],
    },
  ])('$case', async ({ october, holds, previous, reads }) => {
    expect(await previousTotals([...november, ...october], holds)).toEqual({ previous, reads });
  });
});
