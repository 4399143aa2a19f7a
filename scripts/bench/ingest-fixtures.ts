import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { METER_READ_COLUMNS } from '#domain/meter-read.ts';
import {
  type GeneratedAccount,
  generateAccounts,
  generateMeterReadRows,
  toCsv,
} from '../../local/runner/fixtures.ts';

const TEMPLATES = 997;

/** A fixed set of realistic accounts that the generated million-row drop cycles through. */
export const benchTemplates = (): GeneratedAccount[] =>
  generateAccounts(TEMPLATES, {
    tariffIds: [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))],
    seed: 424242,
  });

const accountIdOf = (i: number) => `B${String(i).padStart(9, '0')}`;
export const templateIndexOf = (accountId: string): number => Number(accountId.slice(1)) % TEMPLATES;

/** Writes (once) a drop of exactly `rows` meter-read rows, streamed, never held whole in memory. */
export async function ensureBenchDrop(path: string, rows: number, period = '2026-10'): Promise<string> {
  try {
    if ((await stat(path)).size > 0) return path;
  } catch {
    // not there yet
  }
  await mkdir(dirname(path), { recursive: true });
  const templates = benchTemplates();
  const out = createWriteStream(`${path}.tmp`);
  out.write(`${METER_READ_COLUMNS.join(',')}\n`);
  let written = 0;
  for (let i = 0; written < rows; i++) {
    const template = templates[templateIndexOf(accountIdOf(i))]!;
    const accountId = accountIdOf(i);
    const account = {
      ...template,
      account: { ...template.account, accountId },
      meters: template.meters.map((m, j) => ({ ...m, meterId: `${accountId}-${j + 1}` })),
    };
    const accountRows = generateMeterReadRows([account], period, { seed: i }).slice(0, rows - written);
    const csv = toCsv(accountRows);
    if (!out.write(csv.slice(csv.indexOf('\n') + 1))) await once(out, 'drain');
    written += accountRows.length;
  }
  out.end();
  await once(out, 'finish');
  const { rename } = await import('node:fs/promises');
  await rename(`${path}.tmp`, path);
  return path;
}
