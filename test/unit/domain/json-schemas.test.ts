import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { documentedSchemas } from '#domain/json-schemas.ts';

describe('documented file formats', () => {
  it.each(Object.entries(documentedSchemas()))(
    'docs/schemas/%s matches the zod schema (run `npm run schemas`)',
    async (name, schema) => {
      const committed = JSON.parse(await readFile(`docs/schemas/${name}`, 'utf-8'));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    },
  );
});
