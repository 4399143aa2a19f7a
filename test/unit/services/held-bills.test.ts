import { describe, expect, it } from 'vitest';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import { type OperatorDeps, runOperatorCommand } from '#services/operator-commands.ts';
import type { NoticeMessage } from '#services/ports/index.ts';
import { testAccount } from '../domain/billing/helpers.ts';
import { testRecipientKeyer } from '../domain/recipient-key.fixtures.ts';
import { releaseBill } from './operator-commands.fixtures.ts';

/*
 * release-bill and list-held-bills against in-memory stores: what is released, what is refused (and
 * that a refusal sends nothing), and that a second release sends nothing more.
 */

const account = testAccount({ accountId: '3100012345' });
const held = (version: number, extra: Partial<BillHold> = {}): BillHold => ({
  accountId: account.accountId,
  period: '2026-10',
  version,
  status: 'HELD',
  heldAt: '2026-11-02T01:00:00Z',
  policyVersion: '2026-12.1',
  reasons: [
    { rule: 'demand-over-capacity', message: 'maximum demand 5400 kW is 5.4× the 1000 kVA in operation' },
  ],
  ...extra,
});

/** A table of one account with the given bill versions of 2026-10 and their holds. */
function world(holds: BillHold[], versions = Math.max(1, ...holds.map((h) => h.version))) {
  const notices = new Map<string, StoredNotice>();
  const queued: NoticeMessage[] = [];
  const store = new Map(holds.map((h) => [h.version, { ...h }]));
  const bill = (version: number) =>
    ({
      accountId: account.accountId,
      period: '2026-10',
      version,
      document: { dueDate: '2026-11-20', total: '1000.00', consumption: { totalKwh: '10' } },
    }) as StoredBill;
  const deps = {
    accounts: { getAccount: async (id: string) => (id === account.accountId ? account : undefined) },
    bills: {
      getLatestBill: async (id: string, period: string) =>
        id === account.accountId && period === '2026-10' ? bill(versions) : undefined,
      getBill: async (_id: string, _p: string, version: number) =>
        version <= versions ? bill(version) : undefined,
    },
    holds: {
      getHold: async (_id: string, _p: string, version: number) => store.get(version),
      listHolds: async () => [...store.values()],
      listHoldsByStatus: async (status: string, period?: string) =>
        [...store.values()].filter(
          (h) => h.status === status && (period === undefined || h.period === period),
        ),
      releaseHold: async (ref: { version: number }, release: BillHold['release']) => {
        const hold = store.get(ref.version);
        if (hold?.status !== 'HELD') return false;
        store.set(ref.version, { ...hold, status: 'RELEASED', release });
        return true;
      },
    },
    keyAccounts: { getKeySelectionBefore: async () => undefined },
    notices: {
      createNotice: async (plan: NoticePlan) => {
        const existing = notices.get(plan.noticeId);
        if (existing !== undefined) return { created: false, notice: existing };
        const notice = { ...plan, status: 'QUEUED' } as StoredNotice;
        notices.set(plan.noticeId, notice);
        return { created: true, notice };
      },
      listNotices: async (_accountId: string, idPrefix = '') =>
        [...notices.values()].filter((n) => n.noticeId.startsWith(idPrefix)),
    },
    queue: { enqueue: async (m: readonly NoticeMessage[]) => void queued.push(...m) },
    recipientKeys: testRecipientKeyer,
    now: () => new Date('2026-11-03T02:00:00Z'),
  } as unknown as OperatorDeps;
  // What the sender does with a queued notice: it is no longer waiting.
  const sendAll = () => {
    for (const n of notices.values()) n.status = 'SENT';
    queued.length = 0;
  };
  return { deps, notices, queued, store, sendAll };
}

describe('release-bill', () => {
  it('releases the latest held version, records who and why, and plans its previews once', async () => {
    const w = world([held(1)]);
    const answer = await runOperatorCommand(releaseBill, w.deps);
    expect(answer).toEqual({
      ok: true,
      command: 'release-bill',
      result: {
        released: {
          accountId: account.accountId,
          period: '2026-10',
          version: 1,
          by: '王经理',
          reason: releaseBill.reason,
          at: '2026-11-03T02:00:00.000Z',
        },
        previewsPlanned: 1,
        previewsEnqueued: 1,
      },
    });
    expect(w.store.get(1)).toMatchObject({ status: 'RELEASED', release: { by: '王经理' } });
    expect([...w.notices.values()].map((n) => n.kind)).toEqual(['bill-preview']);
  });

  it('answers a second release already-released, and sends nothing more', async () => {
    const w = world([held(1)]);
    await runOperatorCommand(releaseBill, w.deps);
    w.sendAll();
    const again = await runOperatorCommand({ ...releaseBill, by: '李经理' }, w.deps);
    expect(again).toMatchObject({ ok: false, kind: 'refused', refused: 'already-released' });
    if (!again.ok) expect(again.error).toContain('already released by 王经理 at 2026-11-03T02:00:00.000Z');
    expect(w.queued).toEqual([]);
    expect(w.notices.size).toBe(1);
  });

  it('completes a release that stopped before its previews were planned', async () => {
    const w = world([held(1, { status: 'RELEASED', release: { by: '王经理', reason: 'ok', at: '…' } })]);
    const again = await runOperatorCommand(releaseBill, w.deps);
    expect(again).toMatchObject({ ok: false, refused: 'already-released' });
    expect(w.queued).toHaveLength(1);
  });

  it.each([
    [
      'an unknown account',
      { accountId: '3100099999' },
      [held(1)],
      'no-such-account',
      /3100099999 does not exist/,
    ],
    ['a period without a bill', { period: '2026-09' }, [held(1)], 'no-such-bill', /no bill .* for 2026-09/],
    ['a version that does not exist', { version: 7 }, [held(1)], 'no-such-bill', /for 2026-10 version 7/],
    ['a version that is not held', { version: 1 }, [], 'not-held', /is not held/],
    [
      'a held version a newer one replaced',
      { version: 1 },
      [held(1), held(2)],
      'superseded',
      /replaced by version 2/,
    ],
    [
      'a superseded version',
      { version: 1 },
      [held(1, { status: 'SUPERSEDED', supersededBy: 2 })],
      'superseded',
      /replaced by version 2/,
    ],
  ])('refuses %s, sending nothing', async (_what, change, holds, code, reason) => {
    const w = world(holds, Math.max(1, ...holds.map((h) => h.version)));
    const answer = await runOperatorCommand({ ...releaseBill, ...change }, w.deps);
    expect(answer).toMatchObject({ ok: false, kind: 'refused', command: 'release-bill', refused: code });
    if (!answer.ok) expect(answer.error).toMatch(reason);
    expect(w.notices.size).toBe(0);
    expect([...w.store.values()].every((h) => h.status !== 'RELEASED')).toBe(true);
  });

  it('refuses where the notices queue is not configured, before releasing anything', async () => {
    const w = world([held(1)]);
    const answer = await runOperatorCommand(releaseBill, { ...w.deps, queue: undefined });
    expect(answer).toMatchObject({ ok: false, refused: 'not-configured' });
    expect(w.store.get(1)?.status).toBe('HELD');
  });
});

describe('list-held-bills', () => {
  it('lists the held versions with their reasons, of one period or all', async () => {
    const w = world([held(1, { status: 'SUPERSEDED' }), held(2)]);
    const answer = await runOperatorCommand({ command: 'list-held-bills', period: '2026-10' }, w.deps);
    expect(answer).toEqual({
      ok: true,
      command: 'list-held-bills',
      result: {
        count: 1,
        heldBills: [
          {
            accountId: account.accountId,
            period: '2026-10',
            version: 2,
            heldAt: '2026-11-02T01:00:00Z',
            policyVersion: '2026-12.1',
            reasons: held(2).reasons,
          },
        ],
      },
    });
    expect(await runOperatorCommand({ command: 'list-held-bills', period: '2026-09' }, w.deps)).toMatchObject(
      {
        ok: true,
        result: { count: 0, heldBills: [] },
      },
    );
  });

  it('keeps a long list to 500 entries and says so, with the whole count', async () => {
    const w = world(Array.from({ length: 501 }, (_, i) => held(i + 1)));
    const answer = await runOperatorCommand({ command: 'list-held-bills' }, w.deps);
    expect(answer).toMatchObject({ ok: true, result: { count: 501, truncated: true } });
    if (answer.ok) expect((answer.result as { heldBills: unknown[] }).heldBills).toHaveLength(500);
  });
});
