import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyAccountsCommand } from '../../../../cli/commands/key-accounts.ts';
import { account, history } from '../../domain/key-accounts/fixtures.ts';

let dir: string;

const capture = () => {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    },
  };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'key-accounts-cli-'));
  const accounts = ['A1', 'A2', 'A3', 'A4'].map((id) => account(id));
  const bills = [
    ...history('A1', { kwh: 500_000 }),
    ...history('A2', { kwh: 300_000 }),
    ...history('A3', { kwh: 100_000 }),
    ...history('A4', { kwh: 50_000 }),
  ];
  await writeFile(join(dir, 'accounts.json'), JSON.stringify({ accounts }));
  await writeFile(join(dir, 'bills.json'), JSON.stringify({ bills }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('key-accounts command', () => {
  it('ranks accounts and bills from files and writes the CSV, the HTML report and the selection', async () => {
    const { out, io } = capture();
    const code = await keyAccountsCommand(
      {
        period: '2026-10',
        accounts: join(dir, 'accounts.json'),
        bills: join(dir, 'bills.json'),
        out: join(dir, 'out'),
      },
      io,
    );
    expect(code).toBe(0);
    expect(out.stdout).toContain('key accounts      2 (50.0 % of accounts)');
    expect(out.stdout).toContain('revenue share     84.2 % (target 80.0 %)');
    expect(out.stdout).toMatch(/Balanced\s+2 {2}均衡常规型/);
    const csv = await readFile(join(dir, 'out', 'key-accounts-2026-10.csv'), 'utf-8');
    expect(csv.startsWith('\uFEFFrank,account_id')).toBe(true);
    const html = await readFile(join(dir, 'out', 'key-accounts-2026-10.html'), 'utf-8');
    expect(html).toContain('<!DOCTYPE html>');
    const selection = JSON.parse(await readFile(join(dir, 'out', 'key-selection-2026-10.json'), 'utf-8'));
    expect(selection).toMatchObject({ period: '2026-10', effectiveFrom: '2026-11-01' });
  });

  it('reports changes against the selection a previous run wrote', async () => {
    await writeFile(
      join(dir, 'previous.json'),
      JSON.stringify({
        period: '2026-09',
        effectiveFrom: '2026-10-01',
        configVersion: 'x',
        keyAccounts: [{ accountId: 'A3', segmentId: 'balanced', managerId: null }],
      }),
    );
    const { out, io } = capture();
    const code = await keyAccountsCommand(
      {
        period: '2026-10',
        accounts: join(dir, 'accounts.json'),
        bills: join(dir, 'bills.json'),
        previous: join(dir, 'previous.json'),
        out: join(dir, 'out2'),
      },
      io,
    );
    expect(code).toBe(0);
    expect(out.stdout).toContain('changes           2 newly key, 1 no longer key');
  });

  it('generates a population when asked', async () => {
    const { out, io } = capture();
    expect(await keyAccountsCommand({ period: '2026-10', generate: 300, out: join(dir, 'gen') }, io)).toBe(0);
    expect(out.stdout).toContain('accounts ranked   300');
    expect(out.stdout).toContain(`wrote ${join(dir, 'gen', 'key-accounts-2026-10.html')}`);
  });

  it.each([
    [{ period: '2026-13', generate: 10 }, 'is not YYYY-MM'],
    [{ period: '2026-10' }, 'needs --accounts and --bills'],
    [{ period: '2026-10', accounts: 'missing.json', bills: 'missing.json' }, 'not readable JSON'],
  ])('refuses bad input with exit code 2: %j', async (args, message) => {
    const { out, io } = capture();
    expect(await keyAccountsCommand({ out: join(dir, 'bad'), ...args }, io)).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it('names the file and field of an invalid document', async () => {
    await writeFile(
      join(dir, 'bad-bills.json'),
      JSON.stringify({ bills: [{ accountId: 'A1', period: '2026-10' }] }),
    );
    const { out, io } = capture();
    const code = await keyAccountsCommand(
      {
        period: '2026-10',
        accounts: join(dir, 'accounts.json'),
        bills: join(dir, 'bad-bills.json'),
        out: dir,
      },
      io,
    );
    expect(code).toBe(2);
    expect(out.stderr).toContain('bad-bills.json: bills.0.total');
  });
});
