import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillDocument } from '#domain/bill.ts';
import { writeSampleFiles } from '../../../../cli/commands/generate.ts';
import { cli } from '../helpers.ts';

let dir: string;
const file = (name: string) => join(dir, name);
const inputs = (period = '2026-10') => [
  '--accounts',
  file('accounts.json'),
  '--tariffs',
  file('tariffs.json'),
  '--reads',
  file('reads.csv'),
  '--period',
  period,
  // The clock the period window is measured from: the sample's period stays in it whatever the date.
  '--now',
  '2026-11-02T09:00:00+08:00',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-bill-'));
  await writeSampleFiles({ accounts: 3, period: '2026-10', out: dir });
  await writeFile(file('bad-accounts.json'), JSON.stringify({ accounts: [{ accountId: 1 }] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bill command', () => {
  it('prints the bills as JSON by default, exit 0 when every row is billed', async () => {
    const { code, stdout, stderr } = await cli('bill', ...inputs());
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as { period: string; bills: BillDocument[]; rejects: unknown[] };
    expect(result.period).toBe('2026-10');
    expect(result.bills).toHaveLength(3);
    expect(result.rejects).toEqual([]);
    expect((await cli('bill', ...inputs(), '--json')).stdout).toBe(stdout);
  });

  it('prints readable bills with --format table, in the language asked for', async () => {
    const zh = await cli('bill', ...inputs(), '--format', 'table');
    const en = await cli('bill', ...inputs(), '--format', 'table', '--language', 'en');
    expect(zh.code).toBe(0);
    expect(en.code).toBe(0);
    const { accounts } = JSON.parse(await readFile(file('accounts.json'), 'utf-8')) as {
      accounts: { accountId: string }[];
    };
    for (const { accountId } of accounts) expect(zh.stdout).toContain(accountId);
    expect(en.stdout).not.toBe(zh.stdout);
  });

  it('reports the rows of another period on stderr by file, row and column, exit 1', async () => {
    const { code, stderr } = await cli('bill', ...inputs('2026-11'), '--format', 'table');
    expect(code).toBe(1);
    expect(stderr).toContain(`${file('reads.csv')}: row 1, column period: period 2026-10 is not 2026-11\n`);
  });

  it('refuses a format other than json or table', async () => {
    expect(await cli('bill', ...inputs(), '--format', 'xml')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: bill: --format is json or table\n',
    });
  });

  it('names the file and the field of an invalid accounts document, and a missing option', async () => {
    const bad = await cli('bill', '--accounts', file('bad-accounts.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file('bad-accounts.json')}: accounts.0.accountId:`);
    const noReads = await cli('bill', '--accounts', file('accounts.json'), '--tariffs', file('tariffs.json'));
    expect(noReads.stderr).toBe('error: bill: --reads is required\n');
  });

  it('bills a reads file whose lines end in CR alone, as the pipeline does (issue #11)', async () => {
    const reads = await readFile(file('reads.csv'), 'utf-8');
    await writeFile(file('reads-cr.csv'), reads.replaceAll('\r\n', '\n').replaceAll('\n', '\r'));
    const withCr = inputs().map((a) => (a === file('reads.csv') ? file('reads-cr.csv') : a));
    const { code, stdout } = await cli('bill', ...withCr);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { bills: unknown[] }).bills).toHaveLength(3);
  });

  it('refuses a reads file with no rows, exit 2 with the reason (it used to exit 0 with no bills)', async () => {
    const reads = await readFile(file('reads.csv'), 'utf-8');
    await writeFile(file('reads-empty.csv'), `${reads.split('\n')[0]}\n`);
    const empty = inputs().map((a) => (a === file('reads.csv') ? file('reads-empty.csv') : a));
    const { code, stdout, stderr } = await cli('bill', ...empty);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`error: ${file('reads-empty.csv')}: the file has a header but no data rows\n`);
  });

  it('rejects rows of a period after --now, and stale read times, by row and column, exit 1', async () => {
    const { code, stdout } = await cli('bill', ...inputs().slice(0, -1), '2026-09-15T00:00:00+08:00');
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as { counts: unknown; rejects: { column: string; reason: string }[] };
    expect(result.counts).toEqual({ rows: 3, accepted: 0, rejected: 3, accountsBilled: 0, billsHeld: 0 });
    expect(result.rejects[0]).toMatchObject({
      column: 'period',
      reason: expect.stringMatching(/in the future/),
    });
  });

  it('refuses a --now that is not an instant', async () => {
    const { code, stderr } = await cli('bill', ...inputs().slice(0, -1), 'tomorrow');
    expect(code).toBe(2);
    expect(stderr).toBe('error: bill: --now is not an ISO 8601 instant: tomorrow\n');
  });

  it('says which bill the pipeline would hold and why, in JSON and in the table, exit 1', async () => {
    const reads = (await readFile(file('reads.csv'), 'utf-8')).split('\n');
    const header = reads[0]!.split(',');
    const cells = reads[1]!.split(',');
    const at = header.indexOf('multiplier');
    cells[at] = String(Number(cells[at]) * 10);
    await writeFile(file('reads-x10.csv'), [reads[0], cells.join(','), ...reads.slice(2)].join('\n'));
    const swapped = inputs().map((a) => (a === file('reads.csv') ? file('reads-x10.csv') : a));
    const json = await cli('bill', ...swapped, '--json');
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as {
      counts: { billsHeld: number };
      bills: { held?: boolean; holdReasons?: { rule: string }[] }[];
    };
    expect(result.counts.billsHeld).toBe(1);
    expect(result.bills.filter((b) => b.held === true)).toHaveLength(1);
    const table = await cli('bill', ...swapped, '--format', 'table', '--language', 'en');
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(
      /HELD for review \(the pipeline sends no preview until released\):\n {2}- maximum demand/,
    );
  });
});
