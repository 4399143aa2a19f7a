import { describe, expect, it } from 'vitest';
import { ArrearsCommandError, applyArrearsCommand, buildLedger } from '#domain/arrears/index.ts';
import { testRecipientKeys } from '../../recipient-key.fixtures.ts';
import { ACCOUNT_ID, account as fixturesAccount, OCTOBER, OCTOBER_ID, policy, replay } from '../fixtures.ts';

/* billing-rules.md §8 "Approval": every disconnection needs the responsible manager's recorded approval. */

const EVERY_PLAN = policy({ disconnection: { approvalRequiredFor: 'all' } });
const customer = (r: ReturnType<typeof replay>) =>
  r.notices.filter((w) => w.recipient.role === 'customer').map((w) => w.kind);
const toApprover = (r: ReturnType<typeof replay>) =>
  r.notices.filter((w) => w.recipient.role === 'approver').map((w) => `${w.sendAt.slice(0, 10)} ${w.kind}`);

describe('approval for every disconnection', () => {
  it('keeps the plan waiting, tells the approver with the plan facts and reminds them daily', () => {
    const result = replay({ policy: EVERY_PLAN, to: '2026-12-23' });
    expect(customer(result)).not.toContain('disconnection-notice');
    expect(result.awaitingApproval.map((p) => p.planId)).toEqual([`${ACCOUNT_ID}#DP1`]);
    expect(toApprover(result)).toEqual([
      '2026-12-21 approval-request',
      '2026-12-22 approval-reminder',
      '2026-12-23 approval-reminder',
    ]);
    const request = result.notices.find((w) => w.kind === 'approval-request')!;
    expect(request.recipient).toMatchObject({
      role: 'approver',
      name: '李主任',
      address: 'approver@power.example.cn',
    });
    expect(request.text).toContain(`停电计划 ${ACCOUNT_ID}#DP1 待您批准`);
    expect(request.text).toContain('¥128,000.50');
    expect(result.plans[0]?.approvalRequestedAt).toHaveLength(3);
  });

  it('sends the notice once approved, and records who approved it', () => {
    const result = replay({
      policy: EVERY_PLAN,
      events: [
        {
          type: 'approve-disconnection',
          accountId: ACCOUNT_ID,
          by: '李主任',
          at: '2026-12-21T14:00:00+08:00',
        },
      ],
    });
    expect(customer(result)).toContain('disconnection-notice');
    expect(result.plans[0]?.approval).toEqual({ by: '李主任', at: '2026-12-21T14:00:00+08:00' });
    expect(result.plans[0]?.history?.map((h) => h.status)).toEqual([
      'awaiting-approval',
      'notice-pending',
      'notified',
      'reminded',
      'disconnect-due',
    ]);
  });

  it('takes an approval given before the plan exists only when it names the bills', () => {
    const named = replay({
      policy: EVERY_PLAN,
      events: [
        {
          type: 'approve-disconnection',
          accountId: ACCOUNT_ID,
          billIds: [OCTOBER_ID],
          by: '李主任',
          at: '2026-12-15T10:00:00+08:00',
        },
      ],
    });
    expect(named.plans[0]?.approval).toMatchObject({ by: '李主任', preApproved: true });
    expect(customer(named)).toContain('disconnection-notice');
    expect(toApprover(named)).toEqual([]);

    const unnamed = replay({
      policy: EVERY_PLAN,
      events: [
        {
          type: 'approve-disconnection',
          accountId: ACCOUNT_ID,
          by: '李主任',
          at: '2026-12-15T10:00:00+08:00',
        },
      ],
    });
    expect(unnamed.rejectedCommands.map((r) => r.error)).toEqual([
      `account ${ACCOUNT_ID} has no active disconnection plan`,
    ]);
    expect(customer(unnamed)).not.toContain('disconnection-notice');
  });

  it('lets an approval given in advance expire after the policy days', () => {
    const result = replay({
      policy: policy({ disconnection: { approvalRequiredFor: 'all', approvalValidDays: 3 } }),
      events: [
        {
          type: 'approve-disconnection',
          accountId: ACCOUNT_ID,
          billIds: [OCTOBER_ID],
          by: '李主任',
          at: '2026-12-15T10:00:00+08:00',
        },
      ],
    });
    expect(result.plans[0]?.status).toBe('awaiting-approval');
    expect(customer(result)).not.toContain('disconnection-notice');
  });

  it('refuses an approval that does not name every bill of the plan', () => {
    const waiting = replay({ policy: EVERY_PLAN, to: '2026-12-21' }).accounts[0]!.state;
    expect(() =>
      applyArrearsCommand(
        { account: fixturesAccount(), ledger: ledgerOf(), state: waiting, recipientKeyOf: testRecipientKeys },
        {
          command: 'approve',
          accountId: ACCOUNT_ID,
          billIds: [`${ACCOUNT_ID}#2026-09`],
          by: 'x',
          at: '2026-12-22T10:00:00+08:00',
        },
        EVERY_PLAN,
      ),
    ).toThrow(ArrearsCommandError);
  });

  it('copies the authority on an important customer’s notice, approval or not', () => {
    const result = replay({
      policy: EVERY_PLAN,
      accounts: [{ ...fixturesAccount(), important: true }],
      events: [
        {
          type: 'approve-disconnection',
          accountId: ACCOUNT_ID,
          by: '李主任',
          at: '2026-12-21T14:00:00+08:00',
        },
      ],
    });
    expect(
      result.notices.filter((w) => w.kind === 'disconnection-notice').map((w) => w.recipient.role),
    ).toContain('authority');
  });
});

function ledgerOf() {
  return buildLedger({ accountId: ACCOUNT_ID, bills: [OCTOBER], payments: [] });
}
