import { describe, expect, it } from 'vitest';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import { scanAccountsForArrears } from '#services/arrears-scan.ts';
import type { ArrearsDeps } from '#services/arrears-step.ts';
import { ACCOUNT_ID, account, OCTOBER, policy } from '../domain/arrears/fixtures.ts';
import { testRecipientKeyer } from '../domain/recipient-key.fixtures.ts';

/*
 * A held bill is not owed until it is released: the daily arrears scan warns of nothing the customer was
 * never sent (issue #12 item 3 — a held bill sends nothing). A held correction of a bill the customer was
 * sent leaves that bill owed: the ledger counts the latest version the customer was sent.
 */

type Status = BillHold['status'];
/** October's versions: their totals, and the status of each one's hold (none: never held). */
type Version = { total: string; hold?: Status };

function scanWith(versions: readonly Version[]) {
  const planned: NoticePlan[] = [];
  const read: number[] = [];
  const stored = versions.map(
    (v, i) =>
      ({
        accountId: ACCOUNT_ID,
        period: '2026-10',
        version: i + 1,
        document: { ...OCTOBER, total: v.total },
      }) as unknown as StoredBill,
  );
  const deps = {
    accounts: { getAccount: async () => account() },
    // As the table answers: the latest version of each period.
    bills: {
      getBillHistory: async () => stored.slice(-1),
      getBill: async (_id: string, _period: string, version: number) => {
        read.push(version);
        return stored[version - 1];
      },
    },
    holds: {
      listHolds: async () =>
        versions.flatMap((v, i) =>
          v.hold === undefined
            ? []
            : [{ accountId: ACCOUNT_ID, period: '2026-10', version: i + 1, status: v.hold } as BillHold],
        ),
    },
    payments: { listPayments: async () => [] },
    arrearsStates: {
      getArrearsState: async () => undefined,
      putArrearsState: async () => true,
      putArrearsEvents: async () => {},
    },
    notices: {
      createNotice: async (plan: NoticePlan) => {
        planned.push(plan);
        return { created: true, notice: { ...plan, status: 'QUEUED' } as StoredNotice };
      },
      transitionNotice: async () => true,
    },
    queue: { enqueue: async () => {} },
    scheduler: { create: async () => {}, delete: async () => {} },
    policy: policy(),
    recipientKeys: testRecipientKeyer,
  } as unknown as ArrearsDeps;
  // The reminder before the due date (2026-11-20) is due on this day.
  return scanAccountsForArrears('2026-11-17', [ACCOUNT_ID], deps).then(() => ({
    arrears: [
      ...new Set(planned.map((p) => (p.evidence?.amounts as { arrears: string } | undefined)?.arrears)),
    ],
    earlierVersionsRead: read,
  }));
}

describe('arrears of a held bill', () => {
  it.each<{ name: string; versions: Version[]; arrears: string[]; read: number[] }>([
    { name: 'a bill that is not held', versions: [{ total: '128000.50' }], arrears: ['128000.50'], read: [] },
    { name: 'a bill still held', versions: [{ total: '128000.50', hold: 'HELD' }], arrears: [], read: [] },
    {
      name: 'a released bill',
      versions: [{ total: '128000.50', hold: 'RELEASED' }],
      arrears: ['128000.50'],
      read: [],
    },
    {
      name: 'a held correction of a bill the customer was sent',
      versions: [{ total: '128000.50' }, { total: '99000.00', hold: 'HELD' }],
      arrears: ['128000.50'],
      read: [1],
    },
    {
      name: 'a held correction of a released bill',
      versions: [
        { total: '128000.50', hold: 'RELEASED' },
        { total: '99000.00', hold: 'HELD' },
      ],
      arrears: ['128000.50'],
      read: [1],
    },
    {
      name: 'a released correction',
      versions: [{ total: '128000.50' }, { total: '99000.00', hold: 'RELEASED' }],
      arrears: ['99000.00'],
      read: [],
    },
    {
      name: 'a held version 2 that replaced a held version 1 (nothing was ever sent)',
      versions: [
        { total: '128000.50', hold: 'SUPERSEDED' },
        { total: '99000.00', hold: 'HELD' },
      ],
      arrears: [],
      read: [],
    },
    {
      name: 'a held version 3 after a superseded version 2: version 1 is owed',
      versions: [
        { total: '128000.50' },
        { total: '1.00', hold: 'SUPERSEDED' },
        { total: '99000.00', hold: 'HELD' },
      ],
      arrears: ['128000.50'],
      read: [1],
    },
    {
      name: 'a version 2 that replaced a held version 1',
      versions: [{ total: '128000.50', hold: 'SUPERSEDED' }, { total: '99000.00' }],
      arrears: ['99000.00'],
      read: [],
    },
  ])('$name: reminds of $arrears', async ({ versions, arrears, read }) => {
    const scanned = await scanWith(versions);
    expect(scanned.arrears).toEqual(arrears);
    expect(scanned.earlierVersionsRead).toEqual(read);
  });
});
