import { describe, expect, it } from 'vitest';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import { type ArrearsDeps, scanAccountsForArrears } from '#services/arrears.ts';
import { ACCOUNT_ID, account, OCTOBER, policy } from '../domain/arrears/fixtures.ts';
import { testRecipientKeyer } from '../domain/recipient-key.fixtures.ts';

/*
 * A held bill is not owed until it is released: the daily arrears scan warns of nothing the customer was
 * never sent (issue #12 item 3 — a held bill sends nothing).
 */

function scanWith(hold: BillHold['status'] | undefined) {
  const planned: NoticePlan[] = [];
  const bill = {
    accountId: ACCOUNT_ID,
    period: '2026-10',
    version: 1,
    document: OCTOBER,
  } as unknown as StoredBill;
  const deps = {
    accounts: { getAccount: async () => account() },
    bills: { getBillHistory: async () => [bill] },
    holds: {
      listHolds: async () =>
        hold === undefined
          ? []
          : [{ accountId: ACCOUNT_ID, period: '2026-10', version: 1, status: hold } as BillHold],
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
  return scanAccountsForArrears('2026-11-17', [ACCOUNT_ID], deps).then(() => planned);
}

describe('arrears of a held bill', () => {
  it('reminds the customer of a bill that is not held', async () => {
    expect((await scanWith(undefined)).length).toBeGreaterThan(0);
  });

  it('reminds of nothing while the bill is held', async () => {
    expect(await scanWith('HELD')).toEqual([]);
  });

  it('reminds as usual once the bill is released', async () => {
    expect((await scanWith('RELEASED')).length).toBeGreaterThan(0);
  });
});
