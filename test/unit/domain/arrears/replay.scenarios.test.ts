import { describe, expect, it } from 'vitest';
import type { ArrearsWarning, ReplayResult } from '#domain/arrears/index.ts';
import {
  ACCOUNT_ID,
  account,
  OCTOBER,
  OCTOBER_ID,
  payment,
  policy,
  replay,
  reversal,
  timeline,
} from './fixtures.ts';

/*
 * 60-day timelines (2026-11-10 … 2027-01-08) around the October 2026 bill of ¥128,000.50, due Friday
 * 2026-11-20, under the default ladder: reminder 3 days before (11-17), overdue notice the day after
 * (11-21), payment demand 15 days after (12-05), disconnection notice when more than 30 days overdue
 * (12-21, a Monday), disconnection 3–7 days later in working hours, at least 3 days and the 2-hour margin
 * after the notice's delivery (Thursday 12-24 11:00; the replay counts a notice delivered when sent),
 * final reminder 30 minutes before (10:30). The official calendar covers 2026 only: a day of 2027 is
 * never planned automatically. Paying clears the arrears only with the penalty: ¥140,000.00 covers the
 * charges and any penalty of the window.
 */

const customerSends = (r: ReplayResult, kind: ArrearsWarning['kind']) =>
  [...r.notices, ...r.confirmations].filter((w) => w.kind === kind && w.recipient.role === 'customer');

describe('arrears over a 60-day timeline', () => {
  it('sends nothing after the reminder when the bill is paid on time', () => {
    const result = replay({ payments: [payment('128000.50', '2026-11-19T10:00:00+08:00')] });
    expect(timeline(result)).toEqual(['2026-11-17 09:00 reminder']);
    expect(result.disconnections).toEqual([]);
    expect(result.accounts[0]?.bills[0]).toMatchObject({ open: '0.00', penalty: '0.00', level: 'reminder' });
  });

  it('stops after the overdue notice when paid late but before the demand, charging 5 days of penalty', () => {
    const result = replay({ payments: [payment('128000.50', '2026-11-25T10:00:00+08:00')] });
    expect(timeline(result)).toEqual(['2026-11-17 09:00 reminder', '2026-11-21 09:00 overdue-notice']);
    // 128,000.50 × 0.002 × 5 (21–25 Nov) = 1,280.005 → 1,280.01.
    expect(result.accounts[0]?.bills[0]?.penalty).toBe('1280.01');
    // The overdue notice on the 21st states one day of penalty: 256.001 → 256.00.
    expect(customerSends(result, 'overdue-notice')[0]?.amounts).toEqual({
      arrears: '128000.50',
      penalty: '256.00',
      asOf: '2026-11-21',
    });
  });

  it('cancels the plan and its final reminder and confirms when paid after the disconnection notice', () => {
    const result = replay({ payments: [payment('140000.00', '2026-12-22T14:00:00+08:00')] });
    expect(timeline(result)).toEqual([
      '2026-11-17 09:00 reminder',
      '2026-11-21 09:00 overdue-notice',
      '2026-12-05 09:00 payment-demand',
      '2026-12-21 09:00 disconnection-notice',
      '2026-12-22 14:00 disconnection-cancelled',
    ]);
    expect(result.disconnections).toEqual([
      expect.objectContaining({
        planId: `${ACCOUNT_ID}#DP1`,
        noticeAt: '2026-12-21T09:00:00+08:00',
        reminderAt: '2026-12-24T10:45:00+08:00',
        disconnectAt: '2026-12-24T11:15:00+08:00',
        outcome: 'paid',
      }),
    ]);
    expect(result.cancellations).toEqual([
      expect.objectContaining({
        reason: 'paid',
        at: '2026-12-22T14:00:00+08:00',
        cancelledSteps: [
          {
            stepId: `${ACCOUNT_ID}#DP1#r1#final-reminder`,
            step: 'final-reminder',
            scheduledAt: '2026-12-24T10:45:00+08:00',
          },
        ],
      }),
    ]);
    const confirmations = result.confirmations.map(
      (w) => `${w.recipient.role} ${w.channel} ${w.recipient.address}`,
    );
    expect(confirmations).toEqual([
      'customer email zw@plant.example.cn',
      'customer sms 13812345678',
      'customer email ln@plant.example.cn',
      'account-manager email am@power.example.cn',
    ]);
    expect(result.confirmations[0]?.text).toContain(
      '原定于 2026-12-24 11:15（北京时间）的停电已取消：欠费已缴清',
    );
    expect(result.notices.some((w) => w.kind === 'disconnection-reminder')).toBe(false);
  });

  it('re-evaluates partial payments without skipping a level, each warning stating what is still owed', () => {
    const result = replay({
      payments: [
        payment('100000.00', '2026-12-01T10:00:00+08:00'),
        payment('28000.00', '2026-12-22T10:00:00+08:00'),
        payment('5000.00', '2026-12-24T11:00:00+08:00'),
      ],
    });
    expect(timeline(result)).toEqual([
      '2026-11-17 09:00 reminder',
      '2026-11-21 09:00 overdue-notice',
      '2026-12-05 09:00 payment-demand',
      '2026-12-21 09:00 disconnection-notice',
      '2026-12-24 10:45 disconnection-reminder',
      '2026-12-24 11:00 disconnection-cancelled',
    ]);
    const stated = (kind: ArrearsWarning['kind']) => customerSends(result, kind)[0]?.amounts;
    // Demand on 12-05: 11 days (21 Nov–1 Dec) on 128,000.50 = 2,816.011 → 2,816.01,
    // then 4 days (2–5 Dec) on 28,000.50 = 224.004 → 224.00; total 3,040.01.
    expect(stated('payment-demand')).toEqual({ arrears: '28000.50', penalty: '3040.01', asOf: '2026-12-05' });
    // Notice on 12-21: 2,816.01 + 20 days (2–21 Dec) on 28,000.50 = 1,120.02; total 3,936.03.
    expect(stated('disconnection-notice')).toEqual({
      arrears: '28000.50',
      penalty: '3936.03',
      asOf: '2026-12-21',
    });
    // 12-22: 28,000.00 leaves 0.50 of charges; the penalty (3,992.04 by then) is not yet paid.
    expect(stated('disconnection-reminder')?.arrears).toBe('0.50');
    expect(result.disconnections[0]?.outcome).toBe('paid');
    expect(result.cancellations[0]?.cancelledSteps).toEqual([]);
  });

  it('resumes at the level reached when a payment that cleared the bill is reversed', () => {
    const cleared = payment('140000.00', '2026-12-10T10:00:00+08:00');
    const result = replay({ payments: [cleared, reversal(cleared, '2026-12-15T10:00:00+08:00')] });
    // No second overdue notice or demand: the demand of 12-05 stands, and the notice follows on 12-21.
    expect(timeline(result)).toEqual([
      '2026-11-17 09:00 reminder',
      '2026-11-21 09:00 overdue-notice',
      '2026-12-05 09:00 payment-demand',
      '2026-12-21 09:00 disconnection-notice',
      '2026-12-24 10:45 disconnection-reminder',
    ]);
    expect(result.disconnections[0]?.outcome).toBe('disconnect-due');
  });

  it('plans again, not a new ladder, when a reversal re-opens a cancelled plan; 2027 waits for the calendar', () => {
    const cleared = payment('140000.00', '2026-12-22T10:00:00+08:00');
    const result = replay({ payments: [cleared, reversal(cleared, '2026-12-28T10:00:00+08:00')] });
    expect(timeline(result)).toEqual([
      '2026-11-17 09:00 reminder',
      '2026-11-21 09:00 overdue-notice',
      '2026-12-05 09:00 payment-demand',
      '2026-12-21 09:00 disconnection-notice',
      '2026-12-22 10:00 disconnection-cancelled',
    ]);
    // Planned again on 12-29: 3 days and 2 hours later is 2027, which the official calendar does not cover.
    expect(result.disconnections.map((d) => [d.planId, d.disconnectAt, d.outcome])).toEqual([
      [`${ACCOUNT_ID}#DP1`, '2026-12-24T11:15:00+08:00', 'paid'],
    ]);
    expect(result.plans[1]).toMatchObject({ planId: `${ACCOUNT_ID}#DP2`, status: 'awaiting-calendar' });
    expect(result.events.find((e) => e.type === 'calendar-gap')).toMatchObject({
      at: '2026-12-29T09:00:00+08:00',
      detail: '2027-01-01',
    });
  });

  it('sends no disconnection notice to an important customer until a manager approves', () => {
    const result = replay({ accounts: [account({ important: true })] });
    expect(timeline(result)).toEqual([
      '2026-11-17 09:00 reminder',
      '2026-11-21 09:00 overdue-notice',
      '2026-12-05 09:00 payment-demand',
    ]);
    expect(result.awaitingApproval).toEqual([
      {
        planId: `${ACCOUNT_ID}#DP1`,
        accountId: ACCOUNT_ID,
        createdAt: '2026-12-21T09:00:00+08:00',
        billIds: [OCTOBER_ID],
      },
    ]);
    expect(result.disconnections).toEqual([]);
    expect(result.events.some((e) => e.type === 'approval-required')).toBe(true);
  });

  it('notifies an important customer and the authority once approved, 3–7 days ahead in working hours', () => {
    const result = replay({
      accounts: [account({ important: true })],
      approvals: [{ accountId: ACCOUNT_ID, approvedBy: '李主任', approvedAt: '2026-12-22T11:00:00+08:00' }],
    });
    // Notice Tuesday 12-22 11:00: 3 days and 2 hours later is Friday 12-25 13:00, inside working hours.
    expect(result.disconnections).toEqual([
      expect.objectContaining({
        noticeAt: '2026-12-22T11:00:00+08:00',
        disconnectAt: '2026-12-25T13:15:00+08:00',
        reminderAt: '2026-12-25T12:45:00+08:00',
        outcome: 'disconnect-due',
      }),
    ]);
    const notice = result.notices.filter((w) => w.kind === 'disconnection-notice');
    expect(notice.map((w) => `${w.recipient.role} ${w.channel}`)).toEqual([
      'customer email',
      'customer sms',
      'customer email',
      'account-manager email',
      'authority email',
    ]);
    expect(notice.at(-1)?.recipient.address).toBe('authority@energy.example.gov.cn');
    expect(notice.at(-1)?.text).toContain('致电力管理部门：重要用户');
    expect(result.plans[0]?.approval).toEqual({ by: '李主任', at: '2026-12-22T11:00:00+08:00' });
    // The final reminder is the customer's (and the manager's copy), not the authority's.
    expect(
      result.notices.filter((w) => w.kind === 'disconnection-reminder').map((w) => w.recipient.role),
    ).not.toContain('authority');
  });

  it('splits the penalty at the year boundary: due 2026-12-20, paid 2027-01-10', () => {
    const december = { accountId: ACCOUNT_ID, period: '2026-11', total: '10000.00', dueDate: '2026-12-20' };
    const result = replay({
      bills: [december],
      payments: [payment('10000.00', '2027-01-10T15:00:00+08:00')],
      from: '2026-12-01',
      to: '2027-01-29',
    });
    // 11 days (21–31 Dec) × 10,000 × 2‰ = 220.00, plus 10 days (1–10 Jan) × 10,000 × 3‰ = 300.00.
    expect(result.accounts[0]?.bills[0]).toMatchObject({ open: '0.00', penalty: '520.00' });
    // The demand of 2027-01-04 (15 days after) states 220.00 + 4 × 30.00 = 340.00.
    const demand = customerSends(result, 'payment-demand')[0];
    expect(demand?.amounts).toEqual({ arrears: '10000.00', penalty: '340.00', asOf: '2027-01-04' });
    expect(demand?.text).toContain('截至 2027-01-04 的违约金：¥340.00');
    expect(result.disconnections).toEqual([]);
  });

  it('defers a notified disconnection to a new date: cancels the reminder, confirms, and gives a new notice', () => {
    const result = replay({
      commands: [
        {
          command: 'defer',
          accountId: ACCOUNT_ID,
          newDate: '2026-12-30',
          by: 'operator-7',
          reason: '客户申请分期',
          at: '2026-12-22T15:00:00+08:00',
        },
      ],
    });
    expect(timeline(result)).toEqual([
      '2026-11-17 09:00 reminder',
      '2026-11-21 09:00 overdue-notice',
      '2026-12-05 09:00 payment-demand',
      '2026-12-21 09:00 disconnection-notice',
      '2026-12-22 15:00 disconnection-cancelled',
      '2026-12-24 09:00 disconnection-notice',
      '2026-12-30 09:30 disconnection-reminder',
    ]);
    expect(result.disconnections.map((d) => [d.revision, d.noticeAt, d.disconnectAt, d.outcome])).toEqual([
      [1, '2026-12-21T09:00:00+08:00', '2026-12-24T11:15:00+08:00', 'deferred'],
      // 12-22 15:00 is more than 7 days ahead of 12-30 10:00: the notice waits for the first morning
      // scan inside the window, 12-24 09:00 (6 days 1 hour ahead).
      [2, '2026-12-24T09:00:00+08:00', '2026-12-30T10:00:00+08:00', 'disconnect-due'],
    ]);
    expect(result.cancellations[0]).toMatchObject({
      reason: 'deferred',
      by: 'operator-7',
      note: '客户申请分期',
    });
    expect(customerSends(result, 'disconnection-cancelled')[0]?.text).toContain(
      '停电推迟至 2026-12-30 10:00（北京时间）',
    );
  });

  it('exempts a plan on an operator command: cancels it and plans no other for those bills', () => {
    const result = replay({
      commands: [
        {
          command: 'exempt',
          accountId: ACCOUNT_ID,
          by: 'operator-7',
          reason: '医院保障用电',
          at: '2026-12-23T09:30:00+08:00',
        },
      ],
    });
    expect(timeline(result).slice(-2)).toEqual([
      '2026-12-21 09:00 disconnection-notice',
      '2026-12-23 09:30 disconnection-cancelled',
    ]);
    expect(result.disconnections.map((d) => d.outcome)).toEqual(['exempted']);
    expect(result.plans).toHaveLength(1);
  });

  it('refuses a deferral that leaves less than the minimum notice, and keeps the plan', () => {
    const result = replay({
      commands: [
        {
          command: 'defer',
          accountId: ACCOUNT_ID,
          newDate: '2026-12-25',
          by: 'operator-7',
          reason: 'x',
          at: '2026-12-22T15:00:00+08:00',
        },
      ],
    });
    expect(result.rejectedCommands.map((r) => r.error)).toEqual([
      "2026-12-25 leaves less than 3 days' notice",
    ]);
    expect(result.disconnections.map((d) => d.outcome)).toEqual(['disconnect-due']);
  });

  it('handles two overdue bills in one plan and keeps the October ladder separate from November', () => {
    const november = { accountId: ACCOUNT_ID, period: '2026-11', total: '50000.00', dueDate: '2026-12-20' };
    const result = replay({ bills: [OCTOBER, november], policy: policy() });
    const levelsOf = (billId: string) =>
      result.notices
        .filter(
          (w) =>
            w.billIds.length === 1 &&
            w.billIds[0] === billId &&
            w.recipient.role === 'customer' &&
            w.channel === 'sms',
        )
        .map((w) => w.kind);
    expect(levelsOf(OCTOBER_ID)).toEqual([
      'reminder',
      'overdue-notice',
      'payment-demand',
      'disconnection-notice',
      'disconnection-reminder',
    ]);
    expect(levelsOf(`${ACCOUNT_ID}#2026-11`)).toEqual(['reminder', 'overdue-notice', 'payment-demand']);
    // One plan for the account; November is not yet more than 30 days overdue by 01-08, so it stays out.
    expect(result.plans.map((p) => p.billIds)).toEqual([[OCTOBER_ID]]);
  });
});
