import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account.ts';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { KeySelectionRecord } from '#domain/key-accounts/index.ts';
import { type NoticePlan, planBillPreviewNotices, type StoredNotice } from '#domain/notices.ts';
import { unkeyedRecipientKey } from '#domain/recipient-key.ts';
import { planBillNotices } from '#services/plan-bill-notices.ts';
import type { KeyAccountStore, NoticeMessage, NoticeQueue } from '#services/ports/index.ts';
import { testRecipientKeyer, testRecipientKeys } from '../domain/recipient-key.fixtures.ts';

const account: Account = {
  accountId: '3100012345',
  name: '华东精密铸造有限公司',
  category: 'large-industrial',
  language: 'zh-CN',
  tariffId: 'GD-LI-1-10KV',
  basicChargeMethod: 'capacity',
  capacityKva: '2000',
  suspendedKva: '0',
  powerFactorStandard: '0.90',
  paymentDueDay: 20,
  important: false,
  contacts: [{ name: '张伟', email: 'zw@plant.example.cn', phone: '13812345678' }],
  accountManager: { id: 'AM001', name: '王经理', email: 'am@example.cn', phone: '+8613900001000' },
};

/** A table with one account, one bill due 2026-12-20, and (maybe) a key-account selection. */
function fakes(
  selection: KeySelectionRecord | undefined,
  hold?: BillHold,
  holdsOfPeriod: readonly Pick<BillHold, 'version' | 'status'>[] = hold === undefined ? [] : [hold],
) {
  const created: NoticePlan[] = [];
  const queued: NoticeMessage[] = [];
  const accounts = { getAccount: async () => account };
  const bills = {
    getBill: async () =>
      ({
        document: { dueDate: '2026-12-20', total: '1234.50', consumption: { totalKwh: '5000' } },
      }) as StoredBill,
  };
  const holdsRead: string[] = [];
  const holds = {
    getHold: async () => hold,
    listHolds: async (accountId: string, period?: string) => {
      holdsRead.push(`${accountId} ${period}`);
      return holdsOfPeriod as BillHold[];
    },
  };
  const keyAccounts = { getKeySelectionBefore: async () => selection } as Pick<
    KeyAccountStore,
    'getKeySelectionBefore'
  >;
  const notices = {
    createNotice: async (plan: NoticePlan) => {
      created.push(plan);
      return { created: true, notice: { ...plan, status: 'QUEUED' } as StoredNotice };
    },
    listNotices: async () => [],
  };
  const queue: NoticeQueue = { enqueue: async (m) => void queued.push(...m) };
  return {
    accounts,
    bills,
    holds,
    keyAccounts,
    notices,
    queue,
    created,
    queued,
    holdsRead,
    recipientKeys: testRecipientKeyer,
  };
}

const bill = { accountId: account.accountId, period: '2026-11', version: 1 };
const now = () => new Date('2026-12-01T02:00:00Z');

describe('bill-preview planning by service plan', () => {
  it('serves every channel at once before the first key-account selection', async () => {
    const f = fakes(undefined);
    await planBillNotices(bill, { ...f, now });
    expect(f.created.map((p) => p.channel)).toEqual(['email', 'sms']);
    expect(f.created.every((p) => p.sendAt === undefined)).toBe(true);
  });

  it("uses the segment's channels and sends its days before the due date, leading with its advice", async () => {
    // peak-heavy: email only, 7 days before the due date, leads with shifting peak to valley.
    const f = fakes({
      period: '2026-10',
      effectiveFrom: '2026-11-01',
      configVersion: '2026.1',
      keyAccounts: [{ accountId: account.accountId, segmentId: 'peak-heavy', managerId: 'AM001' }],
    });
    await planBillNotices(bill, { ...f, now });
    expect(f.created.map((p) => p.channel)).toEqual(['email']);
    expect(f.created[0]!.sendAt).toBe('2026-12-13T09:00:00+08:00');
    expect(f.created[0]!.evidence).toMatchObject({
      servicePlan: { segmentId: 'peak-heavy', leadAdvice: 'shift-peak-to-valley' },
    });
    expect(f.queued).toHaveLength(1);
  });

  it('gives an account outside the key set the plan for other accounts', async () => {
    const f = fakes({
      period: '2026-10',
      effectiveFrom: '2026-11-01',
      configVersion: '2026.1',
      keyAccounts: [],
    });
    await planBillNotices(bill, { ...f, now });
    expect(f.created.map((p) => p.channel)).toEqual(['email']);
    expect(f.created[0]!.evidence).toMatchObject({ servicePlan: { isKey: false } });
  });
});

describe('planning for a held bill', () => {
  const hold: BillHold = {
    accountId: account.accountId,
    period: '2026-11',
    version: 1,
    status: 'HELD',
    heldAt: '2026-12-01T01:00:00Z',
    policyVersion: '2026-12.1',
    reasons: [{ rule: 'total-vs-previous-period', message: "total ¥123450.00 is 10× 2026-10's ¥12345.00" }],
  };

  it('plans no preview and tells the account manager once, by email, why it is held', async () => {
    const f = fakes(undefined, hold);
    const answer = await planBillNotices(bill, { ...f, now });
    expect(answer).toEqual({ planned: 1, enqueued: 1, held: true });
    expect(f.created).toHaveLength(1);
    const [notice] = f.created;
    expect(notice).toMatchObject({
      kind: 'bill-held',
      noticeId: 'HELD#2026-11#V1#AM001',
      channel: 'email',
      recipient: { role: 'account-manager', address: 'am@example.cn' },
    });
    expect(notice!.content!.text).toContain("total ¥123450.00 is 10× 2026-10's ¥12345.00");
    expect(notice!.content!.text).toContain(
      'release-bill --account-id 3100012345 --period 2026-11 --version 1',
    );
  });

  it("keeps the customer's contacts out of the manager's notice", async () => {
    const f = fakes(undefined, hold);
    await planBillNotices(bill, { ...f, now });
    const text = JSON.stringify(f.created[0]!.content);
    expect(text).not.toContain('zw@plant.example.cn');
    expect(text).not.toContain('13812345678');
  });

  it('plans the previews once the hold is released', async () => {
    const f = fakes(undefined, { ...hold, status: 'RELEASED' });
    await planBillNotices(bill, { ...f, now });
    expect(f.created.map((p) => [p.kind, p.channel])).toEqual([
      ['bill-preview', 'email'],
      ['bill-preview', 'sms'],
    ]);
  });

  it('plans nothing for a version a corrected drop superseded before its event arrived', async () => {
    const f = fakes(undefined, { ...hold, status: 'SUPERSEDED', supersededBy: 2 });
    expect(await planBillNotices(bill, { ...f, now })).toEqual({ planned: 0, enqueued: 0, held: true });
    expect(f.created).toEqual([]);
  });
});

/** A notice table in memory: createNotice creates once per id; listNotices filters by id prefix. */
function noticeTable(existing: StoredNotice[] = []) {
  const byId = new Map(existing.map((n) => [n.noticeId, n]));
  const created: NoticePlan[] = [];
  return {
    created,
    byId,
    createNotice: async (plan: NoticePlan) => {
      const found = byId.get(plan.noticeId);
      if (found !== undefined) return { created: false, notice: found };
      const notice = { ...plan, status: 'QUEUED' } as StoredNotice;
      byId.set(plan.noticeId, notice);
      created.push(plan);
      return { created: true, notice };
    },
    listNotices: async (_accountId: string, idPrefix = '') =>
      [...byId.values()].filter((n) => n.noticeId.startsWith(idPrefix)),
  };
}

describe('bill-preview idempotency across recipient keys', () => {
  it('plans the same ids when the same bill version is planned again under one key (a re-delivered record)', async () => {
    const f = fakes(undefined);
    const notices = noticeTable();
    await planBillNotices(bill, { ...f, notices, now });
    const first = [...notices.byId.keys()];
    await planBillNotices(bill, { ...f, notices, now });
    expect([...notices.byId.keys()]).toEqual(first);
    expect(notices.created).toHaveLength(2);
  });

  it('plans nothing for recipients already planned under the unkeyed ids of before #11, and re-queues only those still waiting', async () => {
    const f = fakes(undefined);
    const [email, sms] = planBillPreviewNotices(account, bill, (channel, address) =>
      unkeyedRecipientKey(channel, address),
    ).map((plan) => ({ ...plan, accountId: account.accountId }));
    const notices = noticeTable([
      { ...email!, status: 'SENT' } as StoredNotice,
      // The contact's number as stored differently since: still the same recipient.
      {
        ...sms!,
        recipient: { ...sms!.recipient, address: '+86 138 1234 5678' },
        status: 'QUEUED',
      } as StoredNotice,
    ]);
    const result = await planBillNotices(bill, { ...f, notices, now });
    expect(notices.created).toEqual([]);
    expect(result).toEqual({ planned: 2, enqueued: 1 });
    expect(f.queued).toEqual([{ accountId: account.accountId, noticeId: sms!.noticeId }]);
  });

  it('plans a preview, under the current key, for a recipient added since', async () => {
    const f = fakes(undefined);
    const [email] = planBillPreviewNotices(account, bill, unkeyedRecipientKey);
    const notices = noticeTable([{ ...email!, status: 'SENT' } as StoredNotice]);
    await planBillNotices(bill, { ...f, notices, now });
    expect(notices.created.map((p) => [p.channel, p.noticeId])).toEqual([
      ['sms', `2026-11#V1#bill-preview#sms#${testRecipientKeys('sms', '13812345678')}`],
    ]);
  });
});

describe('a later version\'s previews say "corrected" only when an earlier version reached the customer', () => {
  type Status = BillHold['status'];
  const cases: { name: string; version: number; earlier: [number, Status][]; corrects: number | null }[] = [
    { name: 'version 2 after a version 1 never held', version: 2, earlier: [], corrects: 1 },
    { name: 'version 2 after a released version 1', version: 2, earlier: [[1, 'RELEASED']], corrects: 1 },
    {
      name: 'version 2 after a held version 1 it superseded',
      version: 2,
      earlier: [[1, 'SUPERSEDED']],
      corrects: null,
    },
    {
      name: 'version 2 while version 1 still reads HELD',
      version: 2,
      earlier: [[1, 'HELD']],
      corrects: null,
    },
    {
      name: 'version 3 after a sent version 1 and a superseded version 2',
      version: 3,
      earlier: [[2, 'SUPERSEDED']],
      corrects: 1,
    },
    {
      name: 'version 3 after two superseded versions',
      version: 3,
      earlier: [
        [1, 'SUPERSEDED'],
        [2, 'SUPERSEDED'],
      ],
      corrects: null,
    },
    {
      name: 'version 3 after a released version 2',
      version: 3,
      earlier: [
        [1, 'SUPERSEDED'],
        [2, 'RELEASED'],
      ],
      corrects: 2,
    },
  ];
  it.each(cases)('$name: corrects $corrects', async ({ version, earlier, corrects }) => {
    const f = fakes(
      undefined,
      undefined,
      earlier.map(([v, status]) => ({ version: v, status })),
    );
    await planBillNotices({ ...bill, version }, { ...f, now });
    expect(f.created.map((p) => [p.channel, p.evidence?.corrects])).toEqual([
      ['email', corrects],
      ['sms', corrects],
    ]);
    expect(f.holdsRead).toEqual([`${account.accountId} 2026-11`]);
  });

  it('records nothing on a version 1 and reads no holds for it', async () => {
    const f = fakes(undefined);
    await planBillNotices(bill, { ...f, now });
    expect(f.created.map((p) => p.evidence)).toEqual([undefined, undefined]);
    expect(f.holdsRead).toEqual([]);
  });

  it('keeps the service plan beside what a version corrects', async () => {
    const f = fakes({
      period: '2026-10',
      effectiveFrom: '2026-11-01',
      configVersion: '2026.1',
      keyAccounts: [{ accountId: account.accountId, segmentId: 'peak-heavy', managerId: 'AM001' }],
    });
    await planBillNotices({ ...bill, version: 2 }, { ...f, now });
    expect(f.created[0]?.evidence).toMatchObject({ servicePlan: { segmentId: 'peak-heavy' }, corrects: 1 });
  });
});
