/**
 * The JSON Schemas of the documented input files (accounts, tariffs, …), for `docs/schemas`.
 *
 *   npm run cli -- schemas --out DIR        (npm run schemas writes docs/schemas)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineCommand } from '../command.ts';

export const schemasCli = defineCommand('schemas', { out: { type: 'string' } }, async ({ need }, io) => {
  const out = need('out');
  await mkdir(out, { recursive: true });
  const { documentedSchemas } = await import('#domain/json-schemas.ts');
  for (const [name, schema] of Object.entries(documentedSchemas())) {
    await writeFile(join(out, name), `${JSON.stringify(schema, null, 2)}\n`);
    io.stdout.write(`wrote ${join(out, name)}\n`);
  }
  return 0;
});
