import { describe, expect, it } from 'vitest';
import { DEFAULT_FEED_CALENDAR } from '#domain/feed-calendar.ts';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import type { RunRecord } from '#domain/run.ts';
import { checkDrops, type DropCheckDeps } from '#services/operator/drop-check.ts';

const run = (over: Partial<RunRecord>): RunRecord => ({
  runId: 'meter-reads#e1',
  feed: 'meter-reads',
  bucket: 'b',
  key: 'drops/reads/2026-10/meter-reads-2026-10.csv',
  period: '2026-10',
  status: 'SUCCEEDED',
  startedAt: '2026-11-02T01:00:00.000Z',
  ...over,
});

function deps(runs: RunRecord[], billed: string[], options: { email?: string } = {}) {
  const notices = new Map<string, StoredNotice>();
  const queued: unknown[] = [];
  const metrics: Record<string, number> = {};
  const d: DropCheckDeps = {
    runs: {
      listRunsByPeriod: async (period) => runs.filter((r) => r.period === period),
      listRunsByStatus: async (status) => runs.filter((r) => r.status === status),
    },
    accounts: { listAccounts: async () => ['A1', 'A2', 'A3'].map((accountId) => ({ accountId }) as never) },
    bills: {
      listBillsForPeriod: async () => billed.map((accountId) => ({ document: { accountId } }) as never),
      getBill: async () => undefined,
    },
    holds: { listHoldsByStatus: async () => [], listHolds: async () => [] },
    notices: {
      listNotices: async () => [],
      createNotice: async (plan: NoticePlan) => {
        const existing = notices.get(plan.noticeId);
        if (existing) return { created: false, notice: { ...existing, status: 'SENT' } };
        const notice = { ...plan, status: 'QUEUED' } as StoredNotice;
        notices.set(plan.noticeId, notice);
        return { created: true, notice };
      },
    },
    feedCalendar: DEFAULT_FEED_CALENDAR,
    operationsEmail: options.email,
    queue: { enqueue: async (m) => void queued.push(...m) },
    count: (metric, value) => {
      metrics[metric] = value;
    },
    // 2026-11-03 13:00 in Shanghai, a Tuesday: October's reads are due, and Friday's to Monday's payments.
    now: () => new Date('2026-11-03T05:00:00Z'),
  };
  return { d, notices, queued, metrics };
}

const payments = ['2026-10-30', '2026-11-02'].map((day) =>
  run({
    runId: `payments#${day}`,
    feed: 'payments',
    key: `drops/payments/payments-${day}.csv`,
    period: day.slice(0, 7),
    startedAt: `${day}T02:00:00.000Z`,
  }),
);

describe('check-drops', () => {
  it('a missing meter-read drop is late: DropsLate 1 and one notice to the operations address', async () => {
    const { d, queued, metrics, notices } = deps(payments, [], { email: 'ops@power.example.cn' });
    const result = await checkDrops(d);
    expect(result.late).toEqual([{ feed: 'meter-reads', covers: '2026-10', due: '2026-11-03 12:00' }]);
    expect(metrics).toEqual({ DropsLate: 1, DropsPartial: 0, RunsStuck: 0 });
    expect(queued).toHaveLength(1);
    const notice = [...notices.values()][0]!;
    expect(notice).toMatchObject({
      kind: 'operations-notice',
      accountId: 'OPERATIONS',
      channel: 'email',
      recipient: { role: 'operations', address: 'ops@power.example.cn' },
    });
    expect(notice.content?.text).toContain('2026-11-03 12:00');
  });

  it('checked again the same day, it queues no second notice', async () => {
    const { d, queued } = deps(payments, [], { email: 'ops@power.example.cn' });
    await checkDrops(d);
    await checkDrops(d);
    expect(queued).toHaveLength(1);
  });

  it('a drop that arrived without some key accounts is partial and lists them by id', async () => {
    const { d, metrics, notices } = deps([run({}), ...payments], ['A2'], { email: 'ops@power.example.cn' });
    const result = await checkDrops(d);
    expect(result.late).toEqual([]);
    expect(result.partial).toEqual([
      { period: '2026-10', runId: 'meter-reads#e1', expected: 3, missing: ['A1', 'A3'] },
    ]);
    expect(metrics.DropsPartial).toBe(1);
    expect([...notices.values()][0]!.content?.text).toMatch(/2 of 3 key accounts.*\nA1\nA3/s);
  });

  it('a rejected drop does not count as arrived', async () => {
    const { d } = deps([run({ status: 'REJECTED' }), ...payments], []);
    expect((await checkDrops(d)).late.map((l) => l.feed)).toEqual(['meter-reads']);
  });

  it('a payments day without a drop is late', async () => {
    const { d } = deps([run({}), payments[0]!], ['A1', 'A2', 'A3']);
    expect((await checkDrops(d)).late).toEqual([
      { feed: 'payments', covers: '2026-11-02', due: '2026-11-02 18:00' },
    ]);
  });

  it('a run BILLING for over 20 minutes is stuck: RunsStuck 1', async () => {
    const stuck = run({
      runId: 'meter-reads#old',
      status: 'BILLING',
      period: '2026-09',
      startedAt: '2026-11-03T04:30:00.000Z',
    });
    const fresh = run({
      runId: 'meter-reads#new',
      status: 'RUNNING',
      period: '2026-09',
      startedAt: '2026-11-03T04:50:00.000Z',
    });
    const { d, metrics } = deps([run({}), ...payments, stuck, fresh], ['A1', 'A2', 'A3']);
    const result = await checkDrops(d);
    expect(result.stuck.map((s) => s.runId)).toEqual(['meter-reads#old']);
    expect(metrics).toEqual({ DropsLate: 0, DropsPartial: 0, RunsStuck: 1 });
  });

  it('without an operations address it sends nothing: the alarm alone tells', async () => {
    const { d, queued } = deps([], []);
    expect((await checkDrops(d)).noticesQueued).toBe(0);
    expect(queued).toEqual([]);
  });
});
