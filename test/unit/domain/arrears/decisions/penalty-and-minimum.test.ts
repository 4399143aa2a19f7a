import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ID, OCTOBER_ID, payment, policy, replay } from '../fixtures.ts';

/*
 * billing-rules.md §8: arrears are cleared when the charges AND the penalty are paid (or the penalty is
 * waived, with a reason); arrears below the policy minimum (¥1,000) never lead to a disconnection notice.
 */

describe('penalty counts in clearance', () => {
  it('keeps the plan after the charges are paid and cancels it once an operator waives the penalty', () => {
    const result = replay({
      payments: [payment('128000.50', '2026-12-22T10:00:00+08:00')],
      events: [
        {
          type: 'waive-penalty',
          accountId: ACCOUNT_ID,
          by: '王经理',
          reason: '银行划款延误，有回单',
          at: '2026-12-22T15:00:00+08:00',
        },
      ],
    });
    const kinds = result.messages.filter((m) => m.recipientRole === 'customer' && m.channel === 'email');
    const lines = [...new Set(kinds.map((m) => `${m.sendAt.slice(0, 16)} ${m.kind} ${m.amounts.penalty}`))];
    expect(lines.slice(-3)).toEqual([
      '2026-12-21T09:00 disconnection-notice 7936.03',
      '2026-12-22T10:00 penalty-outstanding 8192.03',
      '2026-12-22T15:00 disconnection-cancelled 0.00',
    ]);
    expect(result.cancellations.map((c) => c.reason)).toEqual(['paid']);
    expect(result.accounts[0]?.state.penaltyWaivers).toEqual([
      { waiverId: 'W1', at: '2026-12-22T15:00:00+08:00', by: '王经理', reason: '银行划款延误，有回单' },
    ]);
    expect(result.accounts[0]?.bills[0]).toMatchObject({
      open: '0.00',
      penaltyWaived: '8192.03',
      penaltyOpen: '0.00',
    });
  });

  it('refuses to waive a penalty that is not there', () => {
    const result = replay({
      payments: [payment('128000.50', '2026-11-19T10:00:00+08:00')],
      events: [
        {
          type: 'waive-penalty',
          accountId: ACCOUNT_ID,
          by: 'op',
          reason: 'x',
          at: '2026-11-25T10:00:00+08:00',
        },
      ],
    });
    expect(result.rejectedCommands.map((r) => r.error)).toEqual([
      `account ${ACCOUNT_ID} has no open penalty to waive`,
    ]);
  });

  it('settles the penalty first when the policy says so', () => {
    const principalFirst = replay({ payments: [payment('1000.00', '2026-12-01T10:00:00+08:00')] });
    const penaltyFirst = replay({
      policy: policy({ paymentAllocation: 'penalty-first' }),
      payments: [payment('1000.00', '2026-12-01T10:00:00+08:00')],
    });
    expect(principalFirst.accounts[0]?.bills[0]).toMatchObject({ penaltyPaid: '0.00' });
    // 11 days (21 Nov–1 Dec) on 128,000.50 at 2 ‰ = 2,816.01: the 1,000.00 goes to it.
    expect(penaltyFirst.accounts[0]?.bills[0]).toMatchObject({ penaltyPaid: '1000.00' });
  });

  it('clears exactly when the payments reach the charges plus the penalty (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2000, max: 2000 }), (deltaCents) => {
        // Paid on 2026-12-22: 32 days of penalty at 2 ‰ on 128,000.50 = 8,192.03.
        const owed = 12_800_050 + 819_203;
        const amount = ((owed + deltaCents) / 100).toFixed(2);
        const result = replay({ payments: [payment(amount, '2026-12-22T10:00:00+08:00')], to: '2026-12-23' });
        const cancelled = result.cancellations.some((c) => c.reason === 'paid');
        expect(cancelled).toBe(deltaCents >= 0);
      }),
      { numRuns: 25 },
    );
  });
});

describe('minimum amount', () => {
  const bill = (total: string) => ({
    accountId: ACCOUNT_ID,
    period: '2026-10',
    total,
    dueDate: '2026-11-20',
  });

  it('stops the ladder at the payment demand below ¥1,000 (charges and penalty)', () => {
    const result = replay({ bills: [bill('900.00')] });
    expect(result.messages.filter((m) => m.recipientRole === 'customer').map((m) => m.kind)).not.toContain(
      'disconnection-notice',
    );
    expect(result.plans).toEqual([]);
    expect(result.accounts[0]?.bills[0]?.level).toBe('payment-demand');
  });

  it('plans a disconnection from ¥1,000 on, the penalty counted (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 90_000, max: 110_000 }), (cents) => {
        const total = (cents / 100).toFixed(2);
        const result = replay({ bills: [bill(total)], to: '2026-12-21' });
        // On 2026-12-21 the penalty is 31 days at 2 ‰ (6.2 %, at least ¥1).
        const penalty = Math.max(1, Math.round(cents * 0.062) / 100);
        const owed = cents / 100 + penalty;
        expect(result.plans.length > 0).toBe(owed >= 1000);
      }),
      { numRuns: 40 },
    );
  });

  it('uses the policy minimum', () => {
    const result = replay({
      bills: [bill('900.00')],
      policy: policy({ disconnection: { minimumArrears: '500' } }),
    });
    expect(result.plans).toHaveLength(1);
    expect(result.plans[0]?.billIds).toEqual([OCTOBER_ID]);
  });
});
