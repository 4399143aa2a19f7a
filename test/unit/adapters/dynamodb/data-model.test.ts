import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/* The README's data model is the map operators and the next engineer read the table by: it must list every kind of item the stores write. */

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const STORES = join(ROOT, 'shared', 'adapters', 'dynamodb');

const entitiesWritten = (): string[] =>
  readdirSync(STORES)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [...readFileSync(join(STORES, f), 'utf-8').matchAll(/entity: '([A-Z_]+)'/g)].map((m) => m[1]!),
    )
    .sort();

describe('the data model in the README', () => {
  it('finds the entities the stores write', () => {
    expect(entitiesWritten()).toEqual(expect.arrayContaining(['ACCOUNT', 'BILL', 'NOTICE', 'RUN']));
  });

  it('lists every entity the stores write', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf-8');
    const model = readme.slice(readme.indexOf('## Data model'), readme.indexOf('## Operators'));
    const missing = entitiesWritten().filter((entity) => !model.includes(`(\`${entity}\`)`));
    expect(missing).toEqual([]);
  });
});
