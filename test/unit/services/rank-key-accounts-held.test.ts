import { describe, expect, it } from 'vitest';
import type { BillDocument } from '#domain/bill.ts';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import { generatePopulation } from '#domain/key-accounts/index.ts';
import { dec } from '#domain/money.ts';
import { type RankingDeps, runKeyAccountRanking } from '#services/rank-key-accounts.ts';

/*
 * An account is ranked by what it was billed: a period whose latest version is held counts the latest
 * version the customer was sent (never held, or released), or nothing when none was.
 */

type Status = BillHold['status'];
const population = generatePopulation({ count: 8, lastPeriod: '2026-10', periods: 3 });
const ranked = population.accounts[0]!.accountId;
const october = population.bills.find((b) => b.accountId === ranked && b.period === '2026-10')!;
/** Version 1 of October is the generated bill; later versions are ten times its total. */
const totalOf = (version: number) =>
  version === 1 ? october.total : dec(october.total).times(10).toFixed(2);

function rankWith(holds: readonly (Status | undefined)[]) {
  const versions = Math.max(1, holds.length);
  const stored = (b: (typeof population.bills)[number], version = 1): StoredBill => ({
    accountId: b.accountId,
    period: b.period,
    version,
    contentHash: `${version}`,
    document: { ...b, total: b === october ? totalOf(version) : b.total } as unknown as BillDocument,
    createdAt: '2026-11-01T00:00:00Z',
  });
  const holdItems = holds.flatMap((status, i) =>
    status === undefined
      ? []
      : [{ accountId: ranked, period: '2026-10', version: i + 1, status } as BillHold],
  );
  const csv: string[] = [];
  const reads = { holdsOfPeriod: 0 };
  const deps: RankingDeps = {
    accounts: { listAccounts: async () => population.accounts },
    bills: {
      // As the table answers: the latest version of each period, newest first.
      getBillHistory: async (accountId) =>
        population.bills
          .filter((b) => b.accountId === accountId)
          .sort((x, y) => y.period.localeCompare(x.period))
          .map((b) => stored(b, b === october ? versions : 1)),
      getBill: async (_accountId, _period, version) => stored(october, version),
    },
    holds: {
      listHoldsByStatus: async (status) => holdItems.filter((h) => h.status === status),
      listHolds: async () => {
        reads.holdsOfPeriod++;
        return holdItems;
      },
    },
    keyAccounts: {
      putKeySelection: async () => 'created',
      getKeySelectionBefore: async () => undefined,
      putKeyOverride: async () => {},
      listKeyOverrides: async () => [],
    },
    notices: { listNotices: async () => [], createNotice: async () => ({}) as never },
    objects: {
      open: async () => ({}) as never,
      put: async (ref, body) => void (ref.key.endsWith('.csv') ? csv.push(body) : undefined),
    },
  };
  return runKeyAccountRanking({ asOf: '2026-11-03', reportBucket: 'reports' }, deps).then(() => {
    const [header, ...rows] = csv[0]!
      .trim()
      .split(/\r?\n/)
      .map((line) => line.split(','));
    const column = (name: string) => header!.indexOf(name);
    const row = rows.find((r) => r[column('account_id')] === ranked)!;
    return { revenue: row[column('revenue')]!, holdsRead: reads.holdsOfPeriod };
  });
}

describe("the key-account ranking counts a period's billed version", () => {
  it.each<{ name: string; holds: (Status | undefined)[]; counted: number | null; holdsRead: number }>([
    { name: 'a version never held', holds: [], counted: 1, holdsRead: 0 },
    { name: 'a held version 1', holds: ['HELD'], counted: null, holdsRead: 1 },
    { name: 'a released version 1', holds: ['RELEASED'], counted: 1, holdsRead: 0 },
    { name: 'a held correction of a sent version 1', holds: [undefined, 'HELD'], counted: 1, holdsRead: 1 },
    {
      name: 'a held version 2 that replaced a held version 1',
      holds: ['SUPERSEDED', 'HELD'],
      counted: null,
      holdsRead: 1,
    },
    {
      name: 'a version 2 that replaced a held version 1',
      holds: ['SUPERSEDED', undefined],
      counted: 2,
      holdsRead: 0,
    },
    { name: 'a released correction', holds: [undefined, 'RELEASED'], counted: 2, holdsRead: 0 },
    {
      name: 'a held version 3 after a superseded version 2',
      holds: [undefined, 'SUPERSEDED', 'HELD'],
      counted: 1,
      holdsRead: 1,
    },
  ])('$name: counts version $counted', async ({ holds, counted, holdsRead }) => {
    const others = population.bills.filter((b) => b.accountId === ranked && b !== october);
    const expected = others
      .reduce((sum, b) => sum.plus(b.total), dec(counted === null ? 0 : totalOf(counted)))
      .toFixed(2);
    const result = await rankWith(holds);
    expect(result.revenue).toBe(expected);
    expect(result.holdsRead).toBe(holdsRead);
  });
});
