import { describe, expect, it } from 'vitest';
import { type Answer, answerIdOf } from '#domain/answers/index.ts';
import type { AccountArrearsState } from '#domain/arrears/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { type AnswerFollowThroughDeps, actOnAnswer } from '#services/answers/act-on-answer.ts';
import { confirmedDeliveriesOnPlans } from '#services/answers/confirmed-delivery.ts';
import { ACCOUNT_ID } from '../../domain/arrears/fixtures.ts';
import { scanDays } from '../../domain/arrears/helpers.ts';
import { memoryArrears } from '../arrears.fixtures.ts';

/*
 * A customer's "received" on a disconnection notice, from the answer to the plan's evidence: the answers'
 * follow-through joined to the arrears ladder as the wiring joins them (confirmedDeliveriesOnPlans).
 */

const PLAN_ID = `${ACCOUNT_ID}#DP1`;
const NOTICE_ID = 'ARREARS#0123456789abcdef0123456789abcdef';

/** The stored notice answered: a warning of `warningKind` on revision 1 of the plan. */
const noticeOf = (warningKind: string) =>
  ({
    accountId: ACCOUNT_ID,
    noticeId: NOTICE_ID,
    kind: 'arrears-warning',
    channel: 'sms',
    evidence: { warningKind, planId: PLAN_ID, planRevision: 1 },
  }) as unknown as StoredNotice;

const received = (at: string): Answer => ({
  answerId: answerIdOf(NOTICE_ID, 'received'),
  accountId: ACCOUNT_ID,
  noticeId: NOTICE_ID,
  noticeKind: 'arrears-warning',
  channel: 'sms',
  language: 'zh-CN',
  action: 'received',
  at,
  managerId: 'M1',
});

/** The ladder notified on 21 December 09:00 (disconnection 24 December 11:15), behind the answers. */
function world(warningKind = 'disconnection-notice') {
  const arrears = memoryArrears(scanDays('2026-11-17', '2026-12-21').state);
  const deps = {
    notices: { getNotice: async () => noticeOf(warningKind) },
    deliveryConfirmations: confirmedDeliveriesOnPlans(arrears.deps),
  } as unknown as AnswerFollowThroughDeps;
  const plan = () => (arrears.state() as AccountArrearsState).plans.find((p) => p.planId === PLAN_ID)!;
  return { ...arrears, deps, plan };
}

describe("a customer's receipt of a disconnection notice", () => {
  it('is the delivery the plan counts its lead time from, named in its evidence', async () => {
    const w = world();
    // 09:10 Beijing time: 3 days and 2 hours later is before 11:15, so the plan keeps its time.
    await actOnAnswer(received('2026-12-21T01:10:00.000Z'), w.deps);
    const [revision, ...later] = w.plan().revisions;
    expect(later).toEqual([]);
    expect(revision!.disconnectAt).toBe('2026-12-24T11:15:00+08:00');
    expect(revision!.countedFrom).toMatchObject({
      channel: 'sms',
      outcome: 'delivered',
      source: 'customer-confirmed',
      at: '2026-12-21T01:10:00.000Z',
    });
    expect(revision!.deliveries).toEqual([revision!.countedFrom]);
    expect(w.scheduled).toEqual([]);
  });

  it('moves the plan and its reminder when it leaves less than the minimum lead', async () => {
    const w = world();
    await actOnAnswer(received('2026-12-22T00:00:00.000Z'), w.deps);
    const revisions = w.plan().revisions;
    expect(revisions.map((r) => [r.revision, r.ended?.reason])).toEqual([
      [1, 'late-delivery'],
      [2, undefined],
    ]);
    expect(revisions[1]!.countedFrom).toMatchObject({ source: 'customer-confirmed', channel: 'sms' });
    // The receipt is a delivery: the notice's delivery check goes, and the moved reminder with it.
    expect(w.deleted).toEqual([`dc-${ACCOUNT_ID}-DP1-r1`, `dp-${ACCOUNT_ID}-DP1-r1`]);
    expect(w.scheduled).toEqual([`dp-${ACCOUNT_ID}-DP1-r2`]);
  });

  it('changes nothing the second time (another click, a re-delivered stream record)', async () => {
    const w = world();
    await actOnAnswer(received('2026-12-21T01:10:00.000Z'), w.deps);
    // The first receipt ended the notice's delivery check; the second must touch nothing at all.
    expect(w.deleted).toEqual([`dc-${ACCOUNT_ID}-DP1-r1`]);
    w.deleted.length = 0;
    const state = structuredClone(w.state());
    await actOnAnswer(received('2026-12-21T01:10:00.000Z'), w.deps);
    expect(w.state()).toEqual(state);
    expect(w.plan().revisions[0]!.deliveries).toHaveLength(1);
    expect([w.scheduled, w.deleted]).toEqual([[], []]);
  });

  it('is not delivery evidence on a warning that announces no disconnection', async () => {
    const w = world('payment-demand');
    const version = w.version();
    await actOnAnswer(received('2026-12-21T01:10:00.000Z'), w.deps);
    expect(w.version()).toBe(version);
    expect(w.plan().revisions[0]!.deliveries).toBeUndefined();
  });
});
