import { afterEach, describe, expect, it, vi } from 'vitest';
import { operatorEvent } from '../../../../cli/commands/stack.ts';
import { cli } from '../helpers.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('stack commands', () => {
  it.each([
    [['run-drop', '--bucket', 'B', '--key', 'K'], { command: 'run-drop', bucket: 'B', key: 'K' }],
    [['get-run', '--run-id', 'R'], { command: 'get-run', runId: 'R' }],
    [['list-runs', '--status', 'FAILED'], { command: 'list-runs', status: 'FAILED' }],
    [
      ['show-bill', '--account-id', 'A', '--period', '2026-10', '--version', '2'],
      { command: 'show-bill', period: '2026-10', accountId: 'A', version: 2 },
    ],
    [['list-notices', '--account-id', 'A'], { command: 'list-notices', accountId: 'A' }],
    [['release-deferred'], { command: 'release-deferred' }],
    [['check-drops'], { command: 'check-drops' }],
    [
      ['check-drops', '--scheduled-time', '2026-11-03T13:15:00+08:00'],
      { command: 'check-drops', scheduledTime: '2026-11-03T13:15:00+08:00' },
    ],
    [
      ['approve-disconnection', '--account-id', 'A', '--by', 'Li', '--plan-id', 'P', '--note', 'n'],
      { command: 'approve-disconnection', accountId: 'A', planId: 'P', by: 'Li', note: 'n' },
    ],
    [
      ['defer-disconnection', '--account-id', 'A', '--new-date', '2026-12-01', '--by', 'Li', '--reason', 'r'],
      { command: 'defer-disconnection', accountId: 'A', by: 'Li', reason: 'r', newDate: '2026-12-01' },
    ],
    [
      ['exempt-disconnection', '--account-id', 'A', '--by', 'Li', '--reason', 'r', '--until', '2027-01-31'],
      { command: 'exempt-disconnection', accountId: 'A', by: 'Li', reason: 'r', until: '2027-01-31' },
    ],
  ] as const)('translates %j into the operator event', ([command, ...args], event) => {
    const values: Record<string, string> = {};
    for (let i = 0; i < args.length; i += 2) values[args[i]!.slice(2)] = args[i + 1]!;
    expect(operatorEvent(command, values)).toStrictEqual(event);
  });

  it('sends what the operator refuses and prints its answer, exit 1 (no AWS call for a malformed event)', async () => {
    vi.stubEnv('TABLE_NAME', 'keybill-test');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    const { code, stdout } = await cli('list-runs', '--period', '2026-10', '--status', 'RUNNING');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      error: 'malformed operator command: (event): give exactly one of period or status',
    });
    const late = await cli('check-drops', '--scheduled-time', 'yesterday');
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/scheduledTime/),
    });
    const raw = await cli('operator', '--event', '{"command":"nope"}');
    expect(raw.code).toBe(1);
    expect(JSON.parse(raw.stdout)).toMatchObject({ ok: false });
  });

  it('refuses run-drop where DROP_BUCKET is not set, before any AWS call', async () => {
    vi.stubEnv('TABLE_NAME', 'keybill-test');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('DROP_BUCKET', '');
    const { code, stdout } = await cli('run-drop', '--bucket', 'keybill-drops', '--key', 'drops/reads/x.csv');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, kind: 'refused', refused: 'not-configured' });
  });

  it('refuses an --event that is not JSON, and says which environment variable is missing', async () => {
    expect((await cli('operator', '--event', 'not json')).stderr).toMatch(/^error: --event is not JSON: /);
    vi.stubEnv('TABLE_NAME', '');
    const { code, stderr } = await cli('get-run', '--run-id', 'R');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: environment variable TABLE_NAME is not set\n/);
  });

  it('refuses an option of another stack command instead of passing it to the operator', async () => {
    const { code, stderr } = await cli('get-run', '--run-id', 'R', '--period', '2026-10');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: get-run: Unknown option '--period'/);
  });
});
