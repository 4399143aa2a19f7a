import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-generate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generate command', () => {
  it('writes sample accounts, tariffs and reads for the period and lists them', async () => {
    const out = join(dir, 'samples');
    const { code, stdout, stderr } = await cli(
      'generate',
      '--accounts',
      '3',
      '--period',
      '2026-10',
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      ['accounts.json', 'tariffs.json', 'reads.csv'].map((f) => `wrote ${join(out, f)}\n`).join(''),
    );
    const accounts = JSON.parse(await readFile(join(out, 'accounts.json'), 'utf-8'));
    expect(accounts.accounts).toHaveLength(3);
    const reads = await readFile(join(out, 'reads.csv'), 'utf-8');
    expect(reads).toContain('2026-10');
  });

  it('names each missing option', async () => {
    expect((await cli('generate', '--accounts', '3')).stderr).toBe('error: generate: --period is required\n');
    expect((await cli('generate', '--accounts', '3', '--period', '2026-10')).stderr).toBe(
      'error: generate: --out is required\n',
    );
  });
});
