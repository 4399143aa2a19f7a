import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedSchemas } from '#domain/json-schemas.ts';
import { cli } from '../helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-schemas-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('schemas command', () => {
  it('writes every documented schema as indented JSON and lists the files', async () => {
    const out = join(dir, 'schemas');
    const { code, stdout } = await cli('schemas', '--out', out);
    expect(code).toBe(0);
    const schemas = documentedSchemas();
    expect(stdout).toBe(
      Object.keys(schemas)
        .map((name) => `wrote ${join(out, name)}\n`)
        .join(''),
    );
    expect((await readdir(out)).sort()).toEqual(Object.keys(schemas).sort());
    for (const [name, schema] of Object.entries(schemas)) {
      expect(await readFile(join(out, name), 'utf-8')).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    }
  });
});
