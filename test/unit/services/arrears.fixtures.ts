import type { AccountArrearsState } from '#domain/arrears/index.ts';
import type { ArrearsDeps } from '#services/arrears-step.ts';
import { ACCOUNT_ID, account, OCTOBER } from '../domain/arrears/fixtures.ts';
import { POLICY } from '../domain/arrears/helpers.ts';
import { testRecipientKeyer } from '../domain/recipient-key.fixtures.ts';

/*
 * The arrears ladder's dependencies in memory: one account (the domain fixtures' October bill, no
 * payments), its stored state with its version, and the reminder schedules created and deleted.
 */

export function memoryArrears(initial?: AccountArrearsState) {
  let stored = initial === undefined ? undefined : { state: initial, version: 1 };
  const scheduled: string[] = [];
  const deleted: string[] = [];
  const deps = {
    accounts: { getAccount: async (id: string) => (id === ACCOUNT_ID ? account() : undefined) },
    bills: {
      getBillHistory: async () => [
        { period: OCTOBER.period, version: 1, document: { total: OCTOBER.total, dueDate: OCTOBER.dueDate } },
      ],
    },
    payments: { listPayments: async () => [] },
    arrearsStates: {
      getArrearsState: async () => stored,
      putArrearsState: async (_id: string, state: AccountArrearsState, version: number | undefined) => {
        if ((stored?.version ?? undefined) !== version) return false;
        stored = { state, version: (version ?? 0) + 1 };
        return true;
      },
      putArrearsEvents: async () => {},
      listAwaitingApproval: async () => (stored === undefined ? [] : [stored.state]),
    },
    notices: {
      createNotice: async (plan: { noticeId: string }) => ({ notice: { ...plan, status: 'QUEUED' } }),
      transitionNotice: async () => true,
    },
    queue: { enqueue: async () => {} },
    scheduler: {
      create: async (s: { name: string }) => void scheduled.push(s.name),
      delete: async (name: string) => void deleted.push(name),
    },
    policy: POLICY,
    recipientKeys: testRecipientKeyer,
  } as unknown as ArrearsDeps;
  return { deps, state: () => stored?.state, version: () => stored?.version, scheduled, deleted };
}
