import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantMs, isInsideWorkingHours, isWorkingDay, scanAccount } from '#domain/arrears/index.ts';
import { ACCOUNT_ID, replay } from '../fixtures.ts';
import { delivered, POLICY, scanDays, snapshotOf } from '../helpers.ts';

/* billing-rules.md §8 "Lead time counts from delivery": the notice reaches the customer by a delivery event. */

const LEAD_MS = 3 * 86_400_000 + 2 * 3_600_000;
// The October bill's notice goes out Monday 2026-12-21 at 09:00, for Thursday 12-24 11:00.
const notified = scanDays('2026-11-17', '2026-12-21').state;

describe('lead time from delivery', () => {
  it('keeps the planned time when the notice is delivered in time, records which delivery counted and drops the delivery check', () => {
    const outcome = delivered(notified, '2026-12-21T09:00:05+08:00');
    const rev = outcome.state.plans[0]!.revisions[0]!;
    expect(rev.disconnectAt).toBe('2026-12-24T11:15:00+08:00');
    expect(rev.countedFrom).toMatchObject({
      channel: 'email',
      at: '2026-12-21T09:00:05+08:00',
      source: 'provider',
    });
    expect(outcome.remindersToCancel.map((r) => r.scheduleName)).toEqual([`dc-${ACCOUNT_ID}-DP1-r1`]);
  });

  it('moves the plan later when the delivery comes too late for it, and the reminder schedule with it', () => {
    const outcome = delivered(notified, '2026-12-22T05:00:00+08:00');
    const plan = outcome.state.plans[0]!;
    expect(plan.revisions.map((r) => [r.disconnectAt, r.ended?.reason])).toEqual([
      ['2026-12-24T11:15:00+08:00', 'late-delivery'],
      // 3 days and 2 hours after 12-22 05:00 is 12-25 07:00: Friday at the preferred 10:00.
      ['2026-12-25T10:00:00+08:00', undefined],
    ]);
    expect(plan.revisions[1]!.countedFrom?.at).toBe('2026-12-22T05:00:00+08:00');
    expect(outcome.remindersToCancel.map((r) => r.scheduleName)).toEqual([
      `dc-${ACCOUNT_ID}-DP1-r1`,
      `dp-${ACCOUNT_ID}-DP1-r1`,
    ]);
    expect(outcome.remindersToSchedule).toEqual([
      expect.objectContaining({ scheduleName: `dp-${ACCOUNT_ID}-DP1-r2`, at: '2026-12-25T09:30:00+08:00' }),
    ]);
    const notice = outcome.warnings.find(
      (w) => w.kind === 'disconnection-notice' && w.recipient.role === 'customer',
    );
    expect(notice?.text).toContain('改期通知');
  });

  it('never counts a bounce: a bounced channel leaves the plan waiting for a delivery', () => {
    const bounced = delivered(notified, '2026-12-21T09:01:00+08:00', undefined, [], 'bounced');
    expect(bounced.state.plans[0]!.revisions[0]!.countedFrom).toBeUndefined();
    // The SMS delivered later counts (the earliest delivery on any channel).
    const sms = delivered(bounced.state, '2026-12-21T09:02:00+08:00');
    expect(sms.state.plans[0]!.revisions[0]!.countedFrom?.at).toBe('2026-12-21T09:02:00+08:00');
  });

  it('escalates to the account manager and moves the plan when nothing is delivered within 24 hours', () => {
    const next = scanAccount(snapshotOf(notified), '2026-12-22', POLICY);
    const escalation = next.warnings.filter((w) => w.kind === 'delivery-escalation');
    expect(escalation.map((w) => w.recipient.role)).toEqual(['account-manager']);
    expect(escalation[0]!.text).toContain('24 小时内未在任何渠道送达');
    const plan = next.state.plans[0]!;
    expect(plan.revisions.map((r) => [r.noticeAt, r.disconnectAt, r.ended?.reason])).toEqual([
      ['2026-12-21T09:00:00+08:00', '2026-12-24T11:15:00+08:00', 'no-delivery'],
      ['2026-12-22T09:00:00+08:00', '2026-12-25T11:15:00+08:00', undefined],
    ]);
    expect(next.warnings.some((w) => w.kind === 'disconnection-notice' && w.planRevision === 2)).toBe(true);
  });

  it('a late delivery at any hour still gives 3 days and 2 hours, on a working day in working hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * 24 * 60 - 1 }), (lateMinutes) => {
        const at = new Date(instantMs('2026-12-21T09:00:00+08:00') + lateMinutes * 60_000).toISOString();
        const plan = delivered(notified, at).state.plans[0]!;
        const rev = plan.revisions.at(-1)!;
        if (plan.status === 'awaiting-calendar') return; // beyond 2026: waits for an operator
        const cut = instantMs(rev.disconnectAt);
        expect(cut - instantMs(at)).toBeGreaterThanOrEqual(LEAD_MS);
        expect(isInsideWorkingHours(cut, POLICY.disconnection)).toBe(true);
        expect(isWorkingDay(rev.disconnectAt.slice(0, 10), POLICY.disconnection)).toBe(true);
        expect(cut - instantMs(rev.reminderAt)).toBe(30 * 60_000);
      }),
      { numRuns: 60 },
    );
  });

  it('takes delivery outcomes from the what-if events: a bounced email and a late SMS', () => {
    const result = replay({
      events: [
        {
          type: 'delivery',
          accountId: ACCOUNT_ID,
          kind: 'disconnection-notice',
          channel: 'email',
          outcome: 'bounced',
          at: '2026-12-21T09:01:00+08:00',
        },
        {
          type: 'delivery',
          accountId: ACCOUNT_ID,
          kind: 'disconnection-notice',
          channel: 'sms',
          outcome: 'delivered',
          at: '2026-12-21T20:00:00+08:00',
        },
      ],
    });
    expect(
      result.disconnections.map((d) => [d.revision, d.disconnectAt, d.outcome, d.countedFrom?.channel]),
    ).toEqual([
      [1, '2026-12-24T11:15:00+08:00', 'late-delivery', 'sms'],
      [2, '2026-12-25T10:00:00+08:00', 'disconnect-due', 'sms'],
    ]);
  });
});
