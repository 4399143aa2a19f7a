import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult, WhatIfEvent } from '#domain/arrears/index.ts';
import { arrearsPlanCommand } from '../../../../cli/commands/arrears-plan.ts';
import { ACCOUNT_ID, account, OCTOBER } from '../../domain/arrears/fixtures.ts';

/*
 * One scenario per decision of billing-rules.md §8, through the offline what-if CLI exactly as an
 * operator runs it: `arrears-plan --accounts --bills --payments --from --to --json [--events]`, under
 * the default policy (approval for every plan, the official calendar, ¥1,000 minimum).
 */

let dir: string;
let n = 0;
const APPROVE: WhatIfEvent = {
  type: 'approve-disconnection',
  accountId: ACCOUNT_ID,
  by: '李主任',
  at: '2026-12-21T10:00:00+08:00',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrears-decisions-'));
  await writeFile(join(dir, 'accounts.json'), JSON.stringify({ accounts: [account()] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function whatIf(input: {
  bills?: object[];
  payments?: string[];
  events?: WhatIfEvent[];
  from?: string;
  to?: string;
}): Promise<ReplayResult> {
  n++;
  const file = (name: string) => join(dir, `${n}-${name}`);
  await writeFile(file('bills.json'), JSON.stringify({ bills: input.bills ?? [OCTOBER] }));
  await writeFile(
    file('payments.csv'),
    ['payment_id,account_id,amount,paid_at', ...(input.payments ?? [])].join('\n'),
  );
  await writeFile(file('events.json'), JSON.stringify({ events: input.events ?? [] }));
  let stdout = '';
  const code = await arrearsPlanCommand(
    {
      accounts: join(dir, 'accounts.json'),
      bills: file('bills.json'),
      payments: file('payments.csv'),
      events: file('events.json'),
      from: input.from ?? '2026-11-10',
      to: input.to ?? '2026-12-31',
      json: true,
    },
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } },
  );
  expect(code).toBe(0);
  return JSON.parse(stdout) as ReplayResult;
}

const sent = (r: ReplayResult, role: string) => [
  ...new Set(
    r.messages.filter((m) => m.recipientRole === role).map((m) => `${m.sendAt.slice(0, 16)} ${m.kind}`),
  ),
];

describe('arrears-plan follows the product decisions', () => {
  it('approval: no notice until the responsible manager approves; the approver is asked and reminded', async () => {
    const waiting = await whatIf({ to: '2026-12-22' });
    expect(sent(waiting, 'customer')).not.toContain('2026-12-21T09:00 disconnection-notice');
    expect(sent(waiting, 'approver')).toEqual([
      '2026-12-21T09:00 approval-request',
      '2026-12-22T09:00 approval-reminder',
    ]);
    const approved = await whatIf({ events: [APPROVE] });
    expect(approved.plans[0]?.history?.slice(0, 2).map((h) => h.status)).toEqual([
      'awaiting-approval',
      'notice-pending',
    ]);
    expect(sent(approved, 'customer')).toContain('2026-12-21T10:00 disconnection-notice');
  });

  it('penalty: paying the charges keeps the plan and says what remains; the waiver clears it', async () => {
    const result = await whatIf({
      payments: [`P-1,${ACCOUNT_ID},128000.50,2026-12-22T10:00:00+08:00`],
      events: [
        APPROVE,
        {
          type: 'waive-penalty',
          accountId: ACCOUNT_ID,
          by: '王经理',
          reason: '银行延误',
          at: '2026-12-23T09:30:00+08:00',
        },
      ],
    });
    const outstanding = result.confirmations.find(
      (w) => w.kind === 'penalty-outstanding' && w.recipient.role === 'customer',
    );
    expect(outstanding?.amounts).toEqual({ arrears: '0.00', penalty: '8192.03', asOf: '2026-12-22' });
    expect(result.cancellations.map((c) => [c.at, c.reason])).toEqual([
      ['2026-12-23T09:30:00+08:00', 'paid'],
    ]);
  });

  it('lead time: a bounced email never counts; the SMS delivered 20 hours late moves the plan', async () => {
    const result = await whatIf({
      events: [
        APPROVE,
        {
          type: 'delivery',
          accountId: ACCOUNT_ID,
          kind: 'disconnection-notice',
          channel: 'email',
          outcome: 'bounced',
          at: '2026-12-21T10:01:00+08:00',
        },
        {
          type: 'delivery',
          accountId: ACCOUNT_ID,
          kind: 'disconnection-notice',
          channel: 'sms',
          outcome: 'delivered',
          at: '2026-12-22T06:00:00+08:00',
        },
      ],
    });
    expect(
      result.disconnections.map((d) => [
        d.revision,
        d.disconnectAt,
        d.outcome,
        d.countedFrom?.channel ?? null,
      ]),
    ).toEqual([
      [1, '2026-12-24T12:15:00+08:00', 'late-delivery', 'sms'],
      [2, '2026-12-25T10:00:00+08:00', 'disconnect-due', 'sms'],
    ]);
  });

  it('lead time: no delivery on any channel within 24 hours is escalated to the account manager', async () => {
    const result = await whatIf({
      events: [
        APPROVE,
        {
          type: 'delivery',
          accountId: ACCOUNT_ID,
          kind: 'disconnection-notice',
          channel: 'email',
          outcome: 'none',
          at: '2026-12-21T10:01:00+08:00',
        },
        {
          type: 'delivery',
          accountId: ACCOUNT_ID,
          kind: 'disconnection-notice',
          channel: 'sms',
          outcome: 'none',
          at: '2026-12-21T10:01:00+08:00',
        },
      ],
      to: '2026-12-23',
    });
    // Sent at 10:00 on 12-21, escalated at the end of its 24-hour window (not at the next daily scan),
    // and sent again; that notice reaches nobody either and is escalated 24 hours later in turn.
    expect(sent(result, 'account-manager').filter((m) => m.endsWith('delivery-escalation'))).toEqual([
      '2026-12-22T10:00 delivery-escalation',
      '2026-12-23T10:00 delivery-escalation',
    ]);
    expect(result.disconnections.map((d) => d.outcome)).toEqual(['no-delivery', 'no-delivery', 'notified']);
  });

  it('working days: a bill due 2026-08-31 is not cut in the National Day holiday', async () => {
    const bill = { accountId: ACCOUNT_ID, period: '2026-07', total: '128000.50', dueDate: '2026-08-31' };
    const result = await whatIf({
      bills: [bill],
      from: '2026-08-25',
      to: '2026-10-20',
      events: [{ ...APPROVE, at: '2026-10-01T10:00:00+08:00' }],
    });
    expect(result.disconnections.map((d) => d.disconnectAt)).toEqual(['2026-10-08T10:00:00+08:00']);
  });

  it('working days: a day of a year the calendar does not cover is never planned; the plan waits', async () => {
    const bill = { accountId: ACCOUNT_ID, period: '2026-11', total: '128000.50', dueDate: '2026-11-28' };
    const result = await whatIf({
      bills: [bill],
      to: '2027-01-10',
      events: [{ ...APPROVE, at: '2026-12-29T10:00:00+08:00' }],
    });
    expect(result.disconnections).toEqual([]);
    expect(result.plans[0]?.status).toBe('awaiting-calendar');
    expect(result.events.some((e) => e.type === 'calendar-gap' && e.detail === '2027-01-01')).toBe(true);
  });

  it('minimum amount: ¥900 of arrears stop at the payment demand', async () => {
    const result = await whatIf({ bills: [{ ...OCTOBER, total: '900.00' }] });
    expect(result.plans).toEqual([]);
    expect(sent(result, 'customer').at(-1)).toBe('2026-12-05T09:00 payment-demand');
  });

  it('restoration: within 2 working days of clearing, the customer told when supply returns', async () => {
    const result = await whatIf({
      payments: [`P-1,${ACCOUNT_ID},140000.00,2026-12-25T15:00:00+08:00`],
      events: [APPROVE],
    });
    expect(result.plans[0]).toMatchObject({ status: 'restored', restoreBy: '2026-12-29T16:00:00+08:00' });
    const restoration = result.confirmations.find(
      (w) => w.kind === 'supply-restoration' && w.recipient.role === 'customer',
    );
    expect(restoration?.text).toContain('2026-12-29 16:00');
  });
});
