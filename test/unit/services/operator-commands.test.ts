import { describe, expect, it } from 'vitest';
import { DEFAULT_ARREARS_POLICY } from '#domain/arrears/index.ts';
import type { ArrearsDeps } from '#services/arrears-step.ts';
import { OperatorCommand, type OperatorDeps, runOperatorCommand } from '#services/operator-commands.ts';
import type { DropObjectLookup } from '#services/ports/index.ts';
import { account } from '../domain/arrears/fixtures.ts';
import { testRecipientKeyer } from '../domain/recipient-key.fixtures.ts';
import { approve, defer, exempt, HOSTILE, MB, override, runDrop } from './operator-commands.fixtures.ts';

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
    [{ command: 'list-held-bills' }],
    [{ command: 'list-held-bills', period: '2026-10' }],
    [
      {
        command: 'release-bill',
        accountId: '3100012345',
        period: '2026-10',
        version: 2,
        by: '王经理',
        reason: 'checked with metering',
      },
    ],
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
        command: 'defer-disconnection',
        accountId: '3100012345',
        newDate: '2027-01-04',
        confirmWorkingDay: true,
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

  it.each([['run-drop'], [null], [42], [[]], [{ command: MB }], [{ command: 'toString' }]])(
    'answers the event %#, which is no command, without throwing or naming a command',
    async (event) => {
      const response = await runOperatorCommand(event, deps);
      expect(response).toMatchObject({ ok: false, kind: 'malformed' });
      expect(response).not.toHaveProperty('command');
      expect(JSON.stringify(response).length).toBeLessThan(4_000);
    },
  );

  it.each(HOSTILE)('refuses %s and touches nothing', async (_what, event, field) => {
    const response = await runOperatorCommand(event, deps);
    expect(response).toMatchObject({ ok: false, kind: 'malformed', command: event.command });
    if (response.ok) return;
    expect(response.error).toMatch(/^malformed operator command: /);
    expect(response.issues?.map((i) => i.path)).toContain(field);
    // The answer (and so the handler's log line) never repeats an oversized value.
    expect(JSON.stringify(response).length).toBeLessThan(4_000);
  });

  it.each([
    ['a key of exactly 1,024 bytes', { ...runDrop, key: `drops/reads/${'a'.repeat(1024 - 12)}` }],
    ['a key of 1,024 bytes of Chinese', { ...runDrop, key: `drops/reads/${'电'.repeat((1024 - 12) / 3)}` }],
    ['a payment drop', { ...runDrop, key: 'drops/payments/2026-11/payments.csv' }],
    ['a key with dots inside a name', { ...runDrop, key: 'drops/reads/2026-10/reads..v2.csv' }],
    ['a reason of 500 characters', { ...exempt, reason: '医'.repeat(500) }],
    ['a name of 100 characters', { ...approve, by: 'w'.repeat(100) }],
    ['a note of 500 characters', { ...approve, note: 'n'.repeat(500) }],
    ['a run id of 256 bytes', { command: 'get-run', runId: `meter-reads#${'e'.repeat(244)}` }],
  ])('accepts %s', (_what, event) => {
    expect(OperatorCommand.safeParse(event).success).toBe(true);
  });
});

/**
 * A table that knows one account and a bucket holding one drop; everything a refused command must not
 * reach is untouchable, and what it may ask is recorded.
 */
function knownWorld(options: { dropBucket?: string; arrears?: boolean } = {}) {
  const asked: string[] = [];
  const known = account();
  const accounts = {
    getAccount: async (id: string) => {
      asked.push(`account ${id}`);
      return id === known.accountId ? known : undefined;
    },
    getAccounts: untouchable as never,
  };
  const dropObjects: DropObjectLookup = {
    exists: async ({ bucket, key }) => {
      asked.push(`object ${bucket}/${key}`);
      return key === 'drops/reads/present.csv';
    },
  };
  const arrears = {
    accounts,
    bills: { getBillHistory: async () => [] },
    payments: { listPayments: async () => [] },
    arrearsStates: { getArrearsState: async () => undefined },
    notices: untouchable,
    queue: untouchable,
    scheduler: untouchable,
    policy: DEFAULT_ARREARS_POLICY,
    recipientKeys: testRecipientKeyer,
  } as unknown as ArrearsDeps;
  const world = {
    ...deps,
    runs: storeWith({ getRun: async () => undefined }),
    bills: { getLatestBill: async () => undefined, getBill: async () => undefined },
    accounts,
    dropObjects,
    ...('dropBucket' in options ? { dropBucket: options.dropBucket } : { dropBucket: 'keybill-drops' }),
    ...(options.arrears === false ? {} : { arrears }),
  } as unknown as OperatorDeps;
  return { world, asked };
}

/** A store that answers these methods and throws at any other. */
function storeWith<T extends object>(methods: T): T {
  return new Proxy(methods, {
    get: (target, name) => {
      if (name in target) return target[name as keyof T];
      throw new Error(`a refused command must not call ${String(name)}`);
    },
  });
}

describe('operator commands that name what is not there', () => {
  it.each([
    ['a missing drop', runDrop, 'no-such-drop', /no drop s3:\/\/keybill-drops\/drops\/reads\/2026-10\.csv/],
    ['another bucket', { ...runDrop, bucket: 'someone-elses-bucket' }, 'wrong-bucket', /not the drop bucket/],
    [
      'an unknown run',
      { command: 'get-run', runId: 'meter-reads#nope' },
      'no-such-run',
      /no run meter-reads#nope/,
    ],
    [
      'an unknown bill',
      { command: 'show-bill', accountId: '3100012345', period: '2026-10', version: 3 },
      'no-such-bill',
      /no bill of account 3100012345 for 2026-10 version 3/,
    ],
    [
      'notices of an unknown account',
      { command: 'list-notices', accountId: '3100099999' },
      'no-such-account',
      /account 3100099999 does not exist/,
    ],
    [
      'an approval for an unknown account',
      { ...approve, accountId: '3100099999' },
      'no-such-account',
      /does not exist/,
    ],
    [
      'a deferral for an unknown account',
      { ...defer, accountId: '3100099999' },
      'no-such-account',
      /does not exist/,
    ],
    [
      'an exemption for an unknown account',
      { ...exempt, accountId: '3100099999' },
      'no-such-account',
      /does not exist/,
    ],
    [
      'an override for an unknown account',
      { command: 'set-key-override', override: { ...override, accountId: '3100099999' } },
      'no-such-account',
      /does not exist/,
    ],
    ['an exemption without a plan', exempt, 'no-such-plan', /has no active disconnection plan/],
    ['an approval without a plan', approve, 'no-such-plan', /has no active disconnection plan/],
  ])('refuses %s (ok: false, with the reason), and stores nothing', async (_what, event, code, reason) => {
    const { world } = knownWorld();
    const response = await runOperatorCommand(event, world);
    expect(response).toMatchObject({ ok: false, kind: 'refused', command: event.command, refused: code });
    if (!response.ok) expect(response.error).toMatch(reason);
  });

  it('refuses run-drop where the drop bucket is not configured, before looking for the object', async () => {
    const { world, asked } = knownWorld({ dropBucket: undefined });
    const response = await runOperatorCommand(runDrop, world);
    expect(response).toMatchObject({ ok: false, refused: 'not-configured', error: /DROP_BUCKET/ });
    expect(asked).toEqual([]);
  });

  it('refuses another bucket without asking S3 about it', async () => {
    const { world, asked } = knownWorld();
    await runOperatorCommand({ ...runDrop, bucket: 'someone-elses-bucket' }, world);
    expect(asked).toEqual([]);
  });

  it('refuses the disconnection commands where the arrears ladder is not configured', async () => {
    const { world } = knownWorld({ arrears: false });
    expect(await runOperatorCommand(exempt, world)).toMatchObject({ ok: false, refused: 'not-configured' });
  });

  it('answers a failure inside a command with the command name and its message, never a stack', async () => {
    const { world } = knownWorld();
    world.runs.getRun = async () => {
      throw new Error('ProvisionedThroughputExceededException: slow down');
    };
    const seen: [string, unknown][] = [];
    const response = await runOperatorCommand({ command: 'get-run', runId: 'r' }, world, {
      onUnexpectedError: (command, error) => seen.push([command, error]),
    });
    expect(response).toStrictEqual({
      ok: false,
      kind: 'failed',
      command: 'get-run',
      error: 'get-run failed: Error: ProvisionedThroughputExceededException: slow down',
    });
    expect(seen.map(([command]) => command)).toEqual(['get-run']);
    expect(JSON.stringify(response)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('answers a failure of S3 while looking for the drop as a failed run-drop', async () => {
    const { world } = knownWorld();
    world.dropObjects = {
      exists: async () => {
        throw Object.assign(new Error('x'.repeat(10_000)), { name: 'InternalError' });
      },
    };
    const response = await runOperatorCommand(runDrop, world);
    expect(response).toMatchObject({ ok: false, kind: 'failed', command: 'run-drop' });
    if (!response.ok) expect(response.error.length).toBeLessThan(600);
  });
});
