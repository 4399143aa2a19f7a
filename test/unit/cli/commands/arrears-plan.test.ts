import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '#domain/arrears/index.ts';
import { arrearsPlanCommand } from '../../../../cli/commands/arrears-plan.ts';
import { account, OCTOBER } from '../../domain/arrears/fixtures.ts';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrears-plan-'));
  await writeFile(file('accounts.json'), JSON.stringify({ accounts: [account()] }));
  await writeFile(file('bills.json'), JSON.stringify({ bills: [OCTOBER] }));
  await writeFile(
    file('payments.csv'),
    [
      'payment_id,account_id,amount,paid_at,bill_id,reverses',
      'P-1,3100012345,140000.00,2026-12-22T14:00:00+08:00,3100012345#2026-10,',
      'P-2,3100012345,abc,2026-12-22T14:00:00+08:00,,',
    ].join('\r\n'),
  );
  // The default policy needs the responsible manager's approval for every disconnection.
  await writeFile(
    file('events.json'),
    JSON.stringify({
      events: [
        {
          type: 'approve-disconnection',
          accountId: '3100012345',
          by: '李主任',
          at: '2026-12-21T10:00:00+08:00',
        },
      ],
    }),
  );
  await writeFile(file('bad-bills.json'), JSON.stringify({ bills: [{ ...OCTOBER, dueDate: '2026-11-31' }] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(overrides: Partial<Parameters<typeof arrearsPlanCommand>[0]> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await arrearsPlanCommand(
    {
      accounts: file('accounts.json'),
      bills: file('bills.json'),
      payments: file('payments.csv'),
      from: '2026-11-10',
      to: '2027-01-08',
      json: true,
      events: file('events.json'),
      ...overrides,
    },
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
  );
  return { code, stdout, stderr };
}

describe('arrears-plan command', () => {
  it('prints the replay as JSON and reports a rejected payment row by file, row and column', async () => {
    const { code, stdout, stderr } = await run();
    const result = JSON.parse(stdout) as ReplayResult;
    expect(result.cancellations.map((c) => [c.planId, c.reason, c.at])).toEqual([
      ['3100012345#DP1', 'paid', '2026-12-22T14:00:00+08:00'],
    ]);
    expect(result.disconnections[0]?.disconnectAt).toBe('2026-12-24T12:15:00+08:00');
    expect(stderr).toContain(`${file('payments.csv')}: row 2 (line 3), column amount:`);
    expect(code).toBe(1);
  });

  it('prints a readable table without --json', async () => {
    const { stdout } = await run({ json: false });
    expect(stdout).toContain('Planned disconnections (1)');
    expect(stdout).toMatch(/2026-12-21 10:00\s+3100012345\s+disconnection-notice\s+customer\s+email/);
    expect(stdout).toMatch(
      /3100012345#DP1\s+1\s+2026-12-21 10:00\s+2026-12-24 11:45\s+2026-12-24 12:15\s+paid/,
    );
  });

  it('without an approval sends the approver the request and the customer no notice', async () => {
    const { stdout } = await run({ events: undefined, json: false });
    expect(stdout).toContain('Planned disconnections (0)');
    expect(stdout).not.toMatch(/disconnection-notice\s+customer/);
    expect(stdout).toMatch(/2026-12-21 09:00\s+3100012345\s+approval-request\s+approver\s+email/);
  });

  it('names the file and the field of an invalid bills document', async () => {
    const { code, stderr } = await run({ bills: file('bad-bills.json') });
    expect(code).toBe(2);
    expect(stderr).toContain(`${file('bad-bills.json')}: bills.0.dueDate:`);
  });

  it.each([
    [
      'an unknown outcome',
      {
        type: 'delivery',
        accountId: '3100012345',
        kind: 'disconnection-notice',
        channel: 'email',
        outcome: 'read',
        at: '2026-12-21T10:00:00+08:00',
      },
      'events.0.outcome',
    ],
    [
      'an unknown event',
      { type: 'cut-now', accountId: '3100012345', at: '2026-12-21T10:00:00+08:00' },
      'events.0.type',
    ],
    [
      'an oversized name',
      {
        type: 'approve-disconnection',
        accountId: '3100012345',
        by: 'x'.repeat(101),
        at: '2026-12-21T10:00:00+08:00',
      },
      'events.0.by',
    ],
    [
      'a time without its offset',
      { type: 'waive-penalty', accountId: '3100012345', by: 'op', reason: 'r', at: '2026-12-21T10:00:00' },
      'events.0.at',
    ],
  ])(
    'refuses an events file with %s, naming the file and the field, and plans nothing',
    async (_what, event, field) => {
      await writeFile(file('bad-events.json'), JSON.stringify({ events: [event] }));
      const { code, stdout, stderr } = await run({ events: file('bad-events.json') });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`${file('bad-events.json')}: ${field}:`);
    },
  );

  it('names a missing file', async () => {
    const { code, stderr } = await run({ payments: file('nope.csv') });
    expect(code).toBe(2);
    expect(stderr).toContain('nope.csv');
  });

  it('refuses a window that is not two dates', async () => {
    const { code, stderr } = await run({ to: '2027-13-01' });
    expect(code).toBe(2);
    expect(stderr).toContain('--to must be a date YYYY-MM-DD');
  });
});
