/**
 * Sample accounts, tariffs and meter reads for trying the offline `bill` command.
 *
 *   npm run cli -- generate --accounts N --period YYYY-MM --out DIR
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { defineCommand } from '../command.ts';

export const generateCli = defineCommand(
  'generate',
  { accounts: { type: 'string' }, period: { type: 'string' }, out: { type: 'string' } },
  async ({ need }, io) => {
    const written = await writeSampleFiles({
      accounts: Number(need('accounts')),
      period: need('period'),
      out: need('out'),
    });
    for (const f of written) io.stdout.write(`wrote ${f}\n`);
    return 0;
  },
);

/** Sample input files for the offline `bill` command, in the documented formats. */
export async function writeSampleFiles(options: {
  accounts: number;
  period: string;
  out: string;
}): Promise<string[]> {
  await mkdir(options.out, { recursive: true });
  const generated = generateAccounts(options.accounts, {
    tariffIds: [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))],
  });
  const files = {
    'accounts.json': `${JSON.stringify({ accounts: generated.map((g) => g.account) }, null, 2)}\n`,
    'tariffs.json': `${JSON.stringify({ tariffs: SAMPLE_TARIFFS }, null, 2)}\n`,
    'reads.csv': toCsv(generateMeterReadRows(generated, options.period)),
  };
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(options.out, name), content);
    written.push(join(options.out, name));
  }
  return written;
}
