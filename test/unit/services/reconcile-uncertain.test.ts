import { describe, expect, it } from 'vitest';
import type { NoticeStatus, StoredNotice } from '#domain/notices.ts';
import type { NoticeMessage } from '#services/ports/index.ts';
import { DEFAULT_RECONCILE_WINDOW_MS, reconcileUncertainNotices } from '#services/reconcile-uncertain.ts';

const NOW = new Date('2026-11-02T04:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function uncertain(
  id: string,
  channel: 'email' | 'sms',
  updatedAt: string,
  extra: Partial<StoredNotice> = {},
): StoredNotice {
  return {
    noticeId: id,
    kind: 'bill-preview',
    accountId: '3100010000',
    period: '2026-10',
    billVersion: 1,
    channel,
    recipient: {
      role: 'customer',
      name: 'x',
      address: channel === 'email' ? 'a@b.cn' : '+8613800000000',
      language: 'zh-CN',
    },
    content: { subject: 's', text: 't', textSha256: 'h' },
    status: 'UNCERTAIN',
    createdAt: minutesAgo(200),
    updatedAt,
    attempts: 1,
    timeline: [{ at: updatedAt, status: 'UNCERTAIN' }],
    ...extra,
  };
}

function table(notices: StoredNotice[]) {
  const byId = new Map(notices.map((n) => [n.noticeId, n]));
  const enqueued: NoticeMessage[] = [];
  return {
    byId,
    enqueued,
    deps: {
      now: () => NOW,
      queue: { enqueue: async (m: readonly NoticeMessage[]) => void enqueued.push(...m) },
      notices: {
        listNoticesByStatus: async (status: NoticeStatus) =>
          [...byId.values()].filter((n) => n.status === status),
        transitionNotice: async (
          ref: { noticeId: string },
          from: readonly NoticeStatus[],
          to: NoticeStatus,
          extra: { detail?: string } = {},
        ) => {
          const n = byId.get(ref.noticeId)!;
          if (!from.includes(n.status)) return false;
          byId.set(n.noticeId, {
            ...n,
            status: to,
            timeline: [
              ...n.timeline,
              { at: NOW.toISOString(), status: to, ...(extra.detail ? { detail: extra.detail } : {}) },
            ],
          });
          return true;
        },
      },
    },
  };
}

describe('reconciling UNCERTAIN notices from the events that did not come', () => {
  it('queues again an email that no Send event confirmed within the hour: SES never accepted it', async () => {
    const t = table([uncertain('e1', 'email', minutesAgo(61))]);
    expect(await reconcileUncertainNotices(t.deps)).toEqual({ requeued: 1, waiting: 0, leftUncertain: 0 });
    expect(t.byId.get('e1')?.status).toBe('QUEUED');
    expect(t.byId.get('e1')?.timeline.at(-1)?.detail).toMatch(
      /^queued again: no Send event within 60 minutes/,
    );
    expect(t.enqueued).toEqual([{ accountId: '3100010000', noticeId: 'e1' }]);
  });

  it('leaves an email inside the window alone: its events may be on the way', async () => {
    const t = table([uncertain('e1', 'email', minutesAgo(59))]);
    expect(await reconcileUncertainNotices(t.deps)).toEqual({ requeued: 0, waiting: 1, leftUncertain: 0 });
    expect(t.byId.get('e1')?.status).toBe('UNCERTAIN');
    expect(t.enqueued).toEqual([]);
  });

  it('leaves an SMS UNCERTAIN, counted: no event will ever name it', async () => {
    const t = table([uncertain('s1', 'sms', minutesAgo(600))]);
    expect(await reconcileUncertainNotices(t.deps)).toEqual({ requeued: 0, waiting: 0, leftUncertain: 1 });
    expect(t.byId.get('s1')?.status).toBe('UNCERTAIN');
  });

  it('queues an email again once only, never in a loop', async () => {
    const once = uncertain('e1', 'email', minutesAgo(120), {
      timeline: [
        { at: minutesAgo(200), status: 'UNCERTAIN' },
        {
          at: minutesAgo(150),
          status: 'QUEUED',
          detail: 'queued again: no Send event within 60 minutes: SES did not accept it',
        },
        { at: minutesAgo(120), status: 'UNCERTAIN' },
      ],
    });
    const t = table([once]);
    expect(await reconcileUncertainNotices(t.deps)).toEqual({ requeued: 0, waiting: 0, leftUncertain: 1 });
    expect(t.enqueued).toEqual([]);
  });

  it('takes the window it is given', async () => {
    const t = table([uncertain('e1', 'email', minutesAgo(6))]);
    expect((await reconcileUncertainNotices(t.deps, 5 * 60_000)).requeued).toBe(1);
    expect(DEFAULT_RECONCILE_WINDOW_MS).toBe(3_600_000);
  });

  it('skips a notice another run moved meanwhile, queueing nothing for it', async () => {
    const t = table([uncertain('e1', 'email', minutesAgo(90))]);
    const racing = {
      ...t.deps,
      notices: { ...t.deps.notices, transitionNotice: async () => false },
    };
    expect(await reconcileUncertainNotices(racing)).toEqual({ requeued: 0, waiting: 0, leftUncertain: 0 });
    expect(t.enqueued).toEqual([]);
  });
});
