import { describe, expect, it } from 'vitest';
import { fireFinalReminder, reachDisconnectionTime, recordPayments } from '#domain/arrears/index.ts';
import { ACCOUNT_ID, payment } from '../fixtures.ts';
import { POLICY, scanDaysDelivered, snapshotOf } from '../helpers.ts';

describe('after a disconnection notice: payments cancel or restore', () => {
  const notified = scanDaysDelivered('2026-11-17', '2026-12-21').state;
  const target = { planId: `${ACCOUNT_ID}#DP1`, revision: 1 };

  it('cancels the final reminder schedule when a payment clears the arrears and penalty, and confirms', () => {
    // ¥128,000.50 of charges and ¥8,448.03 of penalty (33 days at 2 ‰); the rest is credit.
    const paid = [payment('140000.00', '2026-12-23T16:20:00+08:00')];
    const outcome = recordPayments(snapshotOf(notified, paid), '2026-12-23T16:20:00+08:00', POLICY);
    expect(outcome.remindersToCancel).toEqual([
      { scheduleName: `dp-${ACCOUNT_ID}-DP1-r1`, ...target, at: '2026-12-24T10:45:00+08:00' },
    ]);
    expect(outcome.cancellations[0]?.pendingWarningIds).toHaveLength(4);
    expect(outcome.warnings.map((w) => w.kind)).toEqual(Array(4).fill('disconnection-cancelled'));
    expect(outcome.state.plans[0]?.status).toBe('cancelled');
    // The schedule fires anyway (deleted too late): nothing is sent.
    const late = fireFinalReminder(
      snapshotOf(outcome.state, paid),
      target,
      '2026-12-24T10:45:00+08:00',
      POLICY,
    );
    expect(late.warnings).toEqual([]);
    expect(late.events.map((e) => e.type)).toEqual(['stale-reminder-ignored']);
  });

  it('leaves the plan standing after a partial payment', () => {
    const partial = [payment('100000.00', '2026-12-23T16:20:00+08:00')];
    const outcome = recordPayments(snapshotOf(notified, partial), '2026-12-23T16:20:00+08:00', POLICY);
    expect(outcome.cancellations).toEqual([]);
    const reminder = fireFinalReminder(
      snapshotOf(outcome.state, partial),
      target,
      '2026-12-24T10:45:00+08:00',
      POLICY,
    );
    expect(reminder.warnings.find((w) => w.recipient.role === 'customer')?.amounts.arrears).toBe('28000.50');
  });

  it('keeps the plan when the charges are paid but not the penalty, and says what remains', () => {
    const paid = [payment('128000.50', '2026-12-23T16:20:00+08:00')];
    const outcome = recordPayments(snapshotOf(notified, paid), '2026-12-23T16:20:00+08:00', POLICY);
    expect(outcome.cancellations).toEqual([]);
    expect(outcome.state.plans[0]?.status).toBe('notified');
    const customer = outcome.warnings.find((w) => w.recipient.role === 'customer' && w.channel === 'email');
    expect(customer?.kind).toBe('penalty-outstanding');
    expect(customer?.amounts).toEqual({ arrears: '0.00', penalty: '8448.03', asOf: '2026-12-23' });
    expect(customer?.text).toContain('违约金 ¥8,448.03 尚未缴纳');
    expect(customer?.text).toContain('2026-12-24 11:15');
  });

  it('restores within 2 working days of clearing and tells the customer when supply returns', () => {
    const reminded = fireFinalReminder(snapshotOf(notified), target, '2026-12-24T10:45:00+08:00', POLICY);
    const due = reachDisconnectionTime(snapshotOf(reminded.state), '2026-12-24T11:15:00+08:00', POLICY);
    expect(due.state.plans[0]?.status).toBe('disconnect-due');
    // Paid on Saturday: Monday 28 and Tuesday 29 December are the two working days.
    const paid = [payment('140000.00', '2026-12-26T11:00:00+08:00')];
    const outcome = recordPayments(snapshotOf(due.state, paid), '2026-12-26T11:00:00+08:00', POLICY);
    expect(outcome.state.plans[0]).toMatchObject({
      status: 'restored',
      restoreBy: '2026-12-29T16:00:00+08:00',
    });
    const customer = outcome.warnings.find((w) => w.recipient.role === 'customer');
    expect(customer?.kind).toBe('supply-restoration');
    expect(customer?.text).toContain('将于 2026-12-29 16:00（北京时间）前恢复供电');
  });
});
