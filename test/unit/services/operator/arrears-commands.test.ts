import { describe, expect, it } from 'vitest';
import { scanAccount } from '#domain/arrears/index.ts';
import { listPendingApprovals, recordCustomerConfirmedDelivery } from '#services/arrears.ts';
import type { ArrearsDeps } from '#services/arrears-step.ts';
import { type OperatorDeps, runOperatorCommand } from '#services/operator-commands.ts';
import { ACCOUNT_ID, policy } from '../../domain/arrears/fixtures.ts';
import { scanDays, snapshotOf } from '../../domain/arrears/helpers.ts';
import { memoryArrears } from '../arrears.fixtures.ts';

/* waive-penalty and list-pending-approvals, and the delivery a customer confirms (for answers, #15). */

const operator = (arrears: ArrearsDeps, now = '2026-12-22T07:00:00Z') =>
  ({
    accounts: arrears.accounts,
    arrears,
    now: () => new Date(now),
  }) as unknown as OperatorDeps;

const waive = { command: 'waive-penalty', accountId: ACCOUNT_ID, by: '王经理', reason: '银行划款延误' };

describe('waive-penalty', () => {
  it('writes off the open penalty with who and why, and keeps it on the account', async () => {
    const world = memoryArrears(scanDays('2026-11-17', '2026-12-21').state);
    const response = await runOperatorCommand(waive, operator(world.deps));
    expect(response).toMatchObject({ ok: true, command: 'waive-penalty' });
    expect(world.state()?.penaltyWaivers).toEqual([
      { waiverId: 'W1', at: '2026-12-22T15:00:00+08:00', by: '王经理', reason: '银行划款延误' },
    ]);
  });

  it('refuses when there is no penalty to waive, and stores nothing', async () => {
    const world = memoryArrears();
    const response = await runOperatorCommand(waive, operator(world.deps, '2026-11-19T02:00:00Z'));
    expect(response).toMatchObject({ ok: false, kind: 'refused', refused: 'no-penalty' });
    expect(world.state()).toBeUndefined();
  });

  it('refuses an unknown account', async () => {
    const world = memoryArrears();
    const response = await runOperatorCommand({ ...waive, accountId: '3100099999' }, operator(world.deps));
    expect(response).toMatchObject({ ok: false, refused: 'no-such-account' });
  });

  it.each([
    ['no reason', { ...waive, reason: ' ' }, 'reason'],
    ['a reason with a forged log line', { ...waive, reason: 'ok\n2026-12-22 INFO forged' }, 'reason'],
    ['an oversized reason', { ...waive, reason: 'x'.repeat(501) }, 'reason'],
    ['too many bills', { ...waive, billIds: Array.from({ length: 37 }, (_, i) => `B${i}`) }, 'billIds'],
    ['an unknown field', { ...waive, amount: '100' }, ''],
  ])('answers %s as malformed, naming the field, and touches nothing', async (_what, event, field) => {
    const world = memoryArrears();
    const response = await runOperatorCommand(event, operator(world.deps));
    expect(response).toMatchObject({ ok: false, kind: 'malformed', command: 'waive-penalty' });
    if (!response.ok && field !== '') expect(response.issues?.map((i) => i.path)).toContain(field);
    expect(world.state()).toBeUndefined();
  });
});

describe('list-pending-approvals', () => {
  it('lists the plans waiting for approval, oldest first, without addresses', async () => {
    const waiting = scanAccount(
      snapshotOf(scanDays('2026-11-17', '2026-12-20').state),
      '2026-12-21',
      policy({ disconnection: { approvalRequiredFor: 'all' } }),
    ).state;
    const world = memoryArrears(waiting);
    const response = await runOperatorCommand({ command: 'list-pending-approvals' }, operator(world.deps));
    expect(response).toMatchObject({ ok: true });
    expect(await listPendingApprovals(world.deps)).toEqual([
      {
        accountId: ACCOUNT_ID,
        planId: `${ACCOUNT_ID}#DP1`,
        billIds: [`${ACCOUNT_ID}#2026-10`],
        waitingSince: '2026-12-21T09:00:00+08:00',
        approver: { name: '李主任' },
        requestsSent: 1,
        lastRequestAt: '2026-12-21T09:00:00+08:00',
      },
    ]);
    expect(JSON.stringify(response)).not.toContain('@');
  });

  it('is malformed with any field besides the command', async () => {
    const response = await runOperatorCommand(
      { command: 'list-pending-approvals', accountId: ACCOUNT_ID },
      operator(memoryArrears().deps),
    );
    expect(response).toMatchObject({ ok: false, kind: 'malformed' });
  });
});

describe('a delivery the customer confirms', () => {
  it('counts as the notice’s delivery: a late confirmation moves the plan and its reminder schedule', async () => {
    const world = memoryArrears(scanDays('2026-11-17', '2026-12-21').state);
    await recordCustomerConfirmedDelivery(
      ACCOUNT_ID,
      { planId: `${ACCOUNT_ID}#DP1`, channel: 'sms', receivedAt: '2026-12-22T08:00:00+08:00' },
      world.deps,
    );
    const plan = world.state()!.plans[0]!;
    expect(plan.revisions.map((r) => r.disconnectAt)).toEqual([
      '2026-12-24T11:15:00+08:00',
      '2026-12-25T10:00:00+08:00',
    ]);
    expect(plan.revisions[1]!.countedFrom).toMatchObject({ source: 'customer-confirmed', channel: 'sms' });
    // The delivery check is no longer needed; the new revision counts from the confirmation and needs none.
    expect(world.deleted).toEqual([`dc-${ACCOUNT_ID}-DP1-r1`, `dp-${ACCOUNT_ID}-DP1-r1`]);
    expect(world.scheduled).toEqual([`dp-${ACCOUNT_ID}-DP1-r2`]);
  });
});
