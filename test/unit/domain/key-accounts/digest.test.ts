import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_ACCOUNT_CONFIG } from '#domain/key-accounts/config.ts';
import { buildManagerDigests } from '#domain/key-accounts/digest.ts';
import {
  buildServiceReports,
  type ManagerAssignment,
  type NoticeRecord,
  type ManagerServiceReport as ServiceReport,
} from '#domain/key-accounts/managers.ts';
import { rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import type { KeySelectionRecord } from '#domain/key-accounts/selection.ts';
import { account, history, MANAGERS } from './fixtures.ts';

describe('manager digest and service report', () => {
  const accounts = [
    account('A1'),
    account('A2'),
    account('A3'),
    account('A4', { accountManager: MANAGERS.li }),
  ];
  const bills = [
    ...history('A1', { kwh: 300_000 }),
    ...history('A2', { kwh: [...Array(11).fill(200_000), 100_000] }),
    ...history('A3', { kwh: 10_000 }),
    ...history('A4', { kwh: 5_000 }),
  ];
  const previous: KeySelectionRecord = {
    period: '2026-09',
    effectiveFrom: '2026-10-01',
    configVersion: 'x',
    keyAccounts: [
      { accountId: 'A1', segmentId: 'balanced', managerId: 'AM001' },
      { accountId: 'A4', segmentId: 'balanced', managerId: 'AM002' },
    ],
  };
  const ranking = rankKeyAccounts({
    accounts,
    bills,
    config: DEFAULT_KEY_ACCOUNT_CONFIG,
    asOf: '2026-11-01',
    previous,
    managers: [MANAGERS.wang, MANAGERS.li],
  });
  const notices: NoticeRecord[] = [
    {
      noticeId: 'n1',
      accountId: 'A1',
      kind: 'bill-preview',
      channel: 'email',
      status: 'DELIVERED',
      dueAt: '2026-11-10T01:00:00Z',
      sentAt: '2026-11-10T00:30:00Z',
    },
    {
      noticeId: 'n2',
      accountId: 'A1',
      kind: 'bill-preview',
      channel: 'sms',
      status: 'SENT',
      dueAt: '2026-11-10T01:00:00Z',
      sentAt: '2026-11-10T03:00:00Z',
    },
    {
      noticeId: 'n3',
      accountId: 'A2',
      kind: 'bill-preview',
      channel: 'email',
      status: 'BOUNCED',
      dueAt: '2026-11-10T01:00:00Z',
      sentAt: '2026-11-10T00:10:00Z',
    },
    {
      noticeId: 'n4',
      accountId: 'A2',
      kind: 'bill-preview',
      channel: 'sms',
      status: 'QUEUED',
      dueAt: '2026-11-12T01:00:00Z',
    },
    {
      noticeId: 'n5',
      accountId: 'A2',
      kind: 'bill-preview',
      channel: 'sms',
      status: 'QUEUED',
      dueAt: '2026-11-30T01:00:00Z',
    },
    {
      noticeId: 'w1',
      accountId: 'A1',
      kind: 'arrears-warning',
      channel: 'email',
      status: 'DELIVERED',
      dueAt: '2026-11-21T01:00:00Z',
      sentAt: '2026-11-21T00:00:00Z',
    },
    {
      noticeId: 'w2',
      accountId: 'A2',
      kind: 'arrears-warning',
      channel: 'sms',
      status: 'SUPPRESSED',
      dueAt: '2026-11-21T01:00:00Z',
    },
    {
      noticeId: 'x1',
      accountId: 'A4',
      kind: 'bill-preview',
      channel: 'email',
      status: 'COMPLAINED',
      dueAt: '2026-11-10T01:00:00Z',
    },
  ];

  it('gives each manager their key accounts with this period’s bill, changes, arrears and delivery problems', () => {
    const digests = buildManagerDigests({
      ranking,
      accounts,
      bills,
      previous,
      arrears: [{ accountId: 'A2', period: '2026-09', amount: '12345.60', daysOverdue: 12 }],
      notices,
    });
    expect(digests.map((d) => [d.managerId, d.accounts.map((a) => a.accountId)])).toEqual([
      ['AM001', ['A1']],
      ['AM002', ['A2']],
    ]);
    const li = digests[1]!;
    const a2 = li.accounts[0]!;
    expect(a2.newlyKey).toBe(true);
    // A1 alone is over half the work, so the newcomer goes to the other manager rather than stay with A1's.
    expect(a2.managerChange).toMatchObject({ from: 'AM001', basis: 'balanced' });
    expect(a2.segment.id).toBe('sudden-drop');
    expect(a2.bill).toMatchObject({ totalKwh: '100000', momChangePercent: '-50.0', dueDate: '2026-11-20' });
    expect(a2.arrears).toHaveLength(1);
    expect(a2.deliveryProblems.map((p) => [p.noticeId, p.problem])).toEqual([
      ['n3', 'bounced'],
      ['w2', 'suppressed'],
    ]);
    expect(li.summary).toEqual({
      accounts: 1,
      billTotal: '70000.00',
      newlyKey: 1,
      reassignedIn: 1,
      accountsInArrears: 1,
      arrearsAmount: '12345.60',
      deliveryProblems: 2,
    });
    expect(li.leftKeySet).toEqual([
      { accountId: 'A4', name: '测试客户A4', reason: expect.stringContaining('outside') },
    ]);
    expect(digests[0]!.accounts[0]).toMatchObject({ newlyKey: false, managerChange: null, arrears: [] });
  });

  it('counts previews sent on time, warnings delivered on the timetable, and what to fix', () => {
    const assignments: ManagerAssignment[] = ranking.assignments;
    const reports = buildServiceReports({ assignments, notices, asOf: '2026-11-20T00:00:00Z' });
    expect(reports.map((r) => r.managerId)).toEqual(['AM001', 'AM002']);
    const [wang, li] = reports as [ServiceReport, ServiceReport];
    expect(wang.previews).toEqual({
      total: 2,
      onTime: 1,
      late: 1,
      overdue: 0,
      pending: 0,
      problems: 0,
      onTimePercent: '50.0',
    });
    expect(wang.warnings).toMatchObject({ total: 1, onTime: 1, onTimePercent: '100.0' });
    expect(wang.toFix).toEqual([]);
    expect(li.previews).toEqual({
      total: 3,
      onTime: 0,
      late: 0,
      overdue: 1,
      pending: 1,
      problems: 1,
      onTimePercent: '0.0',
    });
    expect(li.warnings).toMatchObject({ total: 1, problems: 1, onTimePercent: '0.0' });
    expect(li.toFix.map((f) => [f.noticeId, f.channel, f.problem])).toEqual([
      ['n3', 'email', 'bounced'],
      ['w2', 'sms', 'suppressed'],
    ]);
  });
});
