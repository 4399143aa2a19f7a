import { describe, expect, it } from 'vitest';
import { OperatorCommand, type OperatorDeps, runOperatorCommand } from '#services/operator-commands.ts';

const untouchable = new Proxy(
  {},
  {
    get: () => {
      throw new Error('a malformed command must not reach the table or the bucket');
    },
  },
);
const deps = {
  runs: untouchable,
  accounts: untouchable,
  staging: untouchable,
  bills: untouchable,
  notices: untouchable,
  keyAccounts: untouchable,
  objects: untouchable,
} as OperatorDeps;

describe('operator commands', () => {
  it.each([
    [{ command: 'run-drop', bucket: 'keybill-drops', key: 'drops/reads/2026-10.csv' }],
    [{ command: 'list-runs', period: '2026-10' }],
    [{ command: 'list-runs', status: 'FAILED' }],
    [{ command: 'show-bill', accountId: '3100012345', period: '2026-10', version: 2 }],
    [{ command: 'list-notices', accountId: '3100012345' }],
    [{ command: 'release-deferred' }],
    [
      {
        command: 'set-key-override',
        override: {
          kind: 'key-status',
          accountId: '3100012345',
          status: 'always',
          reason: 'strategic',
          setOn: '2026-11-01',
          expiresOn: '2027-10-31',
        },
      },
    ],
    [{ command: 'approve-disconnection', accountId: '3100012345', by: '王经理' }],
    [
      {
        command: 'defer-disconnection',
        accountId: '3100012345',
        newDate: '2026-12-01',
        by: '王经理',
        reason: 'plant restart',
      },
    ],
    [
      {
        command: 'exempt-disconnection',
        accountId: '3100012345',
        by: '王经理',
        reason: 'hospital supply',
        until: '2027-01-31',
      },
    ],
  ])('accepts %j', (event) => {
    expect(OperatorCommand.safeParse(event).success).toBe(true);
  });

  it.each([
    [{}, 'command'],
    [{ command: 'rerun' }, 'command'],
    [{ command: 'run-drop', bucket: 'keybill-drops' }, 'key'],
    [{ command: 'run-drop', bucket: 'b', key: 'k', extra: 1 }, ''],
    [{ command: 'show-bill', accountId: '3100012345', period: '2026-13' }, 'period'],
    [{ command: 'list-runs', period: '2026-10', status: 'FAILED' }, ''],
    [
      {
        command: 'defer-disconnection',
        accountId: '3100012345',
        by: 'x',
        reason: 'y',
        newDate: '2026-02-30',
      },
      'newDate',
    ],
    [{ command: 'exempt-disconnection', accountId: '3100012345', by: 'x' }, 'reason'],
    [
      {
        command: 'set-key-override',
        override: {
          kind: 'key-status',
          accountId: '3100012345',
          status: 'always',
          reason: 'r',
          setOn: '2026-11-01',
        },
      },
      'override.expiresOn',
    ],
  ])('answers %j with an error naming what is wrong', async (event, field) => {
    const response = await runOperatorCommand(event, deps);
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error).toMatch(/^malformed operator command: /);
    if (field !== '') expect(response.issues?.map((i) => i.path)).toContain(field);
  });

  it('answers a non-object event without throwing', async () => {
    const response = await runOperatorCommand('run-drop', deps);
    expect(response).toMatchObject({ ok: false });
  });
});
