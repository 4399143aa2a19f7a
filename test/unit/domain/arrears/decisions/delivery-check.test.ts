import { describe, expect, it } from 'vitest';
import { checkNoticeDelivery, recordPayments, scanAccount } from '#domain/arrears/index.ts';
import { ACCOUNT_ID, payment } from '../fixtures.ts';
import { delivered, POLICY, scanDays, snapshotOf } from '../helpers.ts';

/*
 * billing-rules.md §8 "Lead time counts from delivery": a notice with no delivery on any channel within
 * the window (24 hours) is escalated to the account manager and the plan moves later — at the end of the
 * window, by the one-time schedule each notice gets, not at the next daily scan.
 */

// The October bill's notice goes out Monday 2026-12-21 at 09:00, for Thursday 12-24 11:15.
const notified = scanDays('2026-11-17', '2026-12-21').state;
const target = { planId: `${ACCOUNT_ID}#DP1`, revision: 1 };
const END_OF_WINDOW = '2026-12-22T09:00:00+08:00';

const escalations = (o: { warnings: { kind: string; recipient: { role: string } }[] }) =>
  o.warnings.filter((w) => w.kind === 'delivery-escalation').map((w) => w.recipient.role);

describe('the delivery check at the end of the delivery window', () => {
  it('does nothing when the notice was delivered on a channel', () => {
    const state = delivered(notified, '2026-12-21T09:00:05+08:00').state;
    const outcome = checkNoticeDelivery(snapshotOf(state), target, END_OF_WINDOW, POLICY);
    expect(outcome.warnings).toEqual([]);
    expect(outcome.state.plans).toEqual(state.plans);
    expect(outcome.events.map((e) => e.type)).toEqual(['delivery-check-passed']);
  });

  it('escalates to the account manager and moves the plan when nothing was delivered', () => {
    const outcome = checkNoticeDelivery(snapshotOf(notified), target, END_OF_WINDOW, POLICY);
    expect(escalations(outcome)).toEqual(['account-manager']);
    const plan = outcome.state.plans[0]!;
    expect(plan.revisions.map((r) => [r.noticeSentAt, r.disconnectAt, r.ended?.reason])).toEqual([
      ['2026-12-21T09:00:00+08:00', '2026-12-24T11:15:00+08:00', 'no-delivery'],
      ['2026-12-22T09:00:00+08:00', '2026-12-25T11:15:00+08:00', undefined],
    ]);
    expect(plan.revisions[0]!.escalatedAt).toBe(END_OF_WINDOW);
    // The old final reminder goes; the new notice gets its own reminder and delivery check.
    expect(outcome.remindersToCancel.map((r) => r.scheduleName)).toEqual([`dp-${ACCOUNT_ID}-DP1-r1`]);
    expect(outcome.remindersToSchedule).toEqual([
      expect.objectContaining({ scheduleName: `dp-${ACCOUNT_ID}-DP1-r2` }),
      expect.objectContaining({
        scheduleName: `dc-${ACCOUNT_ID}-DP1-r2`,
        at: '2026-12-23T09:00:00+08:00',
        task: 'delivery-check',
      }),
    ]);
    expect(outcome.warnings.some((w) => w.kind === 'disconnection-notice' && w.planRevision === 2)).toBe(
      true,
    );
  });

  it('escalates once: the same check fired again (a retry) does nothing', () => {
    const first = checkNoticeDelivery(snapshotOf(notified), target, END_OF_WINDOW, POLICY);
    const again = checkNoticeDelivery(snapshotOf(first.state), target, '2026-12-22T09:00:40+08:00', POLICY);
    expect(again.warnings).toEqual([]);
    expect(again.remindersToSchedule).toEqual([]);
    expect(again.state.plans).toEqual(first.state.plans);
  });

  it('does nothing after the daily scan escalated the same notice first', () => {
    const escalatedByScan = scanAccount(snapshotOf(notified), '2026-12-22', POLICY).state;
    const late = checkNoticeDelivery(snapshotOf(escalatedByScan), target, END_OF_WINDOW, POLICY);
    expect(escalations(late)).toEqual([]);
  });

  it('does nothing for a plan cancelled by a payment, and the cancellation drops the check', () => {
    const paid = [payment('140000.00', '2026-12-21T16:20:00+08:00')];
    const cancelled = recordPayments(snapshotOf(notified, paid), '2026-12-21T16:20:00+08:00', POLICY);
    expect(cancelled.state.plans[0]?.status).toBe('cancelled');
    expect(cancelled.remindersToCancel.map((r) => r.scheduleName)).toContain(`dc-${ACCOUNT_ID}-DP1-r1`);
    const outcome = checkNoticeDelivery(snapshotOf(cancelled.state, paid), target, END_OF_WINDOW, POLICY);
    expect(outcome.warnings).toEqual([]);
    expect(outcome.state.plans).toEqual(cancelled.state.plans);
  });

  it('does nothing before the window has ended', () => {
    const early = checkNoticeDelivery(snapshotOf(notified), target, '2026-12-22T08:59:00+08:00', POLICY);
    expect(early.warnings).toEqual([]);
    expect(early.state.plans).toEqual(notified.plans);
  });
});
