import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '#domain/arrears/index.ts';
import { arrearsPlanCommand } from '../../../../cli/commands/arrears-plan.ts';
import { ACCOUNT_ID, account, OCTOBER } from '../../domain/arrears/fixtures.ts';

/*
 * The what-if replay (`arrears-plan --events`) of an operator's deferral to a day beyond the official
 * calendar's coverage (billing-rules §8): refused unless the event confirms the working day, and then
 * reported as confirmed by the operator, not checked against the calendar.
 */

let dir: string;
let n = 0;
const APPROVE = {
  type: 'approve-disconnection',
  accountId: ACCOUNT_ID,
  by: '李主任',
  at: '2026-12-21T10:00:00+08:00',
};
const DEFER = {
  type: 'defer-disconnection',
  accountId: ACCOUNT_ID,
  newDate: '2027-01-04',
  by: '王经理',
  reason: '分期',
  at: '2026-12-22T15:00:00+08:00',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrears-deferral-'));
  await writeFile(join(dir, 'accounts.json'), JSON.stringify({ accounts: [account()] }));
  await writeFile(join(dir, 'bills.json'), JSON.stringify({ bills: [OCTOBER] }));
  await writeFile(join(dir, 'payments.csv'), 'payment_id,account_id,amount,paid_at\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function whatIf(events: object[], json = true) {
  const file = join(dir, `${++n}-events.json`);
  await writeFile(file, JSON.stringify({ events }));
  let stdout = '';
  let stderr = '';
  const code = await arrearsPlanCommand(
    {
      accounts: join(dir, 'accounts.json'),
      bills: join(dir, 'bills.json'),
      payments: join(dir, 'payments.csv'),
      events: file,
      from: '2026-11-10',
      to: '2027-01-08',
      json,
    },
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
  );
  return { code, stdout, stderr };
}

describe('arrears-plan --events: a deferral beyond the official calendar', () => {
  // Approved at 10:00, the notice goes out then: the disconnection is 3 days and 2¼ hours later.
  it('refuses the deferral without the confirmation, says how to confirm, and keeps the plan (exit 1)', async () => {
    const { code, stdout, stderr } = await whatIf([APPROVE, DEFER]);
    expect(code).toBe(1);
    expect(stderr).toContain('defer for 3100012345: 2027-01-04 is beyond the official calendar');
    expect(stderr).toContain('confirmWorkingDay: true');
    const result = JSON.parse(stdout) as ReplayResult;
    expect(result.disconnections.map((d) => d.disconnectAt)).toEqual(['2026-12-24T12:15:00+08:00']);
  });

  it('applies a confirmed deferral and reports who confirmed the working day', async () => {
    const { code, stdout, stderr } = await whatIf([APPROVE, { ...DEFER, confirmWorkingDay: true }]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as ReplayResult;
    expect(result.disconnections.map((d) => [d.disconnectAt, d.outcome, d.workingDayConfirmedBy])).toEqual([
      ['2026-12-24T12:15:00+08:00', 'deferred', undefined],
      ['2027-01-04T10:00:00+08:00', 'disconnect-due', '王经理'],
    ]);
  });

  it('says so in the operator’s table', async () => {
    const { stdout } = await whatIf([APPROVE, { ...DEFER, confirmWorkingDay: true }], false);
    expect(stdout).toContain(
      'Working days confirmed by an operator (beyond the official calendar, not checked against it)\n' +
        `  ${ACCOUNT_ID}#DP1 r2: 2027-01-04 confirmed by 王经理\n`,
    );
    expect((await whatIf([APPROVE], false)).stdout).not.toContain('Working days confirmed');
  });

  it.each([
    ['as text', 'true'],
    ['as 1', 1],
    ['as null', null],
    ['as a hostile string', 'yes\n{"level":"ERROR"}'],
  ])('refuses an events file with the confirmation %s (exit 2)', async (_what, value) => {
    const { code, stderr } = await whatIf([APPROVE, { ...DEFER, confirmWorkingDay: value }]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/confirmWorkingDay/);
  });
});
