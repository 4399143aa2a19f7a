import { describe, expect, it } from 'vitest';
import type { AccountArrearsState, ArrearsEvent } from '#domain/arrears/index.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import type { ArrearsDeps } from '#services/arrears-step.ts';
import { type OperatorDeps, runOperatorCommand } from '#services/operator-commands.ts';
import { ACCOUNT_ID, account, OCTOBER } from '../domain/arrears/fixtures.ts';
import { POLICY, scanDays } from '../domain/arrears/helpers.ts';
import { testRecipientKeyer } from '../domain/recipient-key.fixtures.ts';

/*
 * `defer-disconnection` from an operator (console or CLI) to a day beyond the official calendar's
 * coverage (billing-rules §8): refused, saying how to confirm, unless the operator confirms the working
 * day; then applied and stored as confirmed by them.
 */

/** The October bill's plan, notified on 2026-12-21 for 2026-12-24. */
const NOTIFIED = scanDays('2026-11-17', '2026-12-21').state;

function operatorWorld() {
  const stored: AccountArrearsState[] = [];
  const events: ArrearsEvent[] = [];
  const arrears = {
    accounts: { getAccount: async () => account() },
    bills: {
      getBillHistory: async () => [
        { accountId: ACCOUNT_ID, period: '2026-10', version: 1, document: OCTOBER } as unknown as StoredBill,
      ],
    },
    payments: { listPayments: async () => [] },
    arrearsStates: {
      getArrearsState: async () => ({ state: stored.at(-1) ?? NOTIFIED, version: stored.length + 1 }),
      putArrearsState: async (_id: string, state: AccountArrearsState) => {
        stored.push(state);
        return true;
      },
      putArrearsEvents: async (_id: string, put: ArrearsEvent[]) => {
        events.push(...put);
      },
    },
    notices: {
      createNotice: async (plan: NoticePlan) => ({
        created: true,
        notice: { ...plan, status: 'QUEUED' } as StoredNotice,
      }),
      transitionNotice: async () => true,
    },
    queue: { enqueue: async () => {} },
    scheduler: { create: async () => {}, delete: async () => {} },
    policy: POLICY,
    recipientKeys: testRecipientKeyer,
  } as unknown as ArrearsDeps;
  const world = {
    accounts: arrears.accounts,
    arrears,
    now: () => new Date('2026-12-22T10:00:00+08:00'),
  } as unknown as OperatorDeps;
  return { world, stored, events };
}

const deferral = {
  command: 'defer-disconnection',
  accountId: ACCOUNT_ID,
  newDate: '2027-01-04',
  by: '王经理',
  reason: '分期',
};

describe('an operator defers a disconnection beyond the official calendar', () => {
  it('is refused without the confirmation, naming the day, the last covered day and how to confirm; nothing stored', async () => {
    const { world, stored } = operatorWorld();
    const response = await runOperatorCommand(deferral, world);
    expect(response).toMatchObject({ ok: false, kind: 'refused', refused: 'beyond-calendar' });
    if (!response.ok) {
      expect(response.error).toContain('2027-01-04 is beyond the official calendar');
      expect(response.error).toContain('2026-12-31');
      expect(response.error).toContain('--confirm-working-day');
    }
    expect(stored).toEqual([]);
  });

  it('is applied with the confirmation, and the stored plan says the working day was confirmed, not checked', async () => {
    const { world, stored, events } = operatorWorld();
    const response = await runOperatorCommand({ ...deferral, confirmWorkingDay: true }, world);
    expect(response).toMatchObject({ ok: true });
    expect(stored.at(-1)?.plans[0]?.revisions.at(-1)).toMatchObject({
      disconnectAt: '2027-01-04T10:00:00+08:00',
      workingDayConfirmedBy: '王经理',
    });
    expect(events.find((e) => e.type === 'plan-deferred')?.detail).toBe(
      '2027-01-04T10:00:00+08:00; working day confirmed by 王经理, not checked against the official calendar',
    );
  });

  it('is refused on a 2027 Saturday even with the confirmation', async () => {
    const { world, stored } = operatorWorld();
    const response = await runOperatorCommand(
      { ...deferral, newDate: '2027-01-02', confirmWorkingDay: true },
      world,
    );
    expect(response).toMatchObject({
      ok: false,
      refused: 'bad-date',
      error: 'defer-disconnection refused: 2027-01-02 is not a working day',
    });
    expect(stored).toEqual([]);
  });
});
