/**
 * Bills from files, with the same parser and engine as the pipeline and no AWS at all.
 *
 *   npm run cli -- bill --accounts F --tariffs F --reads F --period YYYY-MM [--json | --format table] [--language en]
 *                       [--now ISO-INSTANT]
 *
 * `--now` is the clock the period and read_at window is measured from (default: this machine's clock).
 * Exit codes: 0 every row billed; 1 billed, but rows were rejected; 2 unusable input, or a reads file
 * refused whole (no rows, rows that do not account for its lines…), with the reason.
 */
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { AccountFileSchema } from '#domain/account.ts';
import { TariffFileSchema } from '#domain/tariff.ts';
import { CliError, defineCommand, readJsonFile } from '../command.ts';

export const billCli = defineCommand(
  'bill',
  {
    accounts: { type: 'string' },
    tariffs: { type: 'string' },
    reads: { type: 'string' },
    period: { type: 'string' },
    json: { type: 'boolean', default: false },
    format: { type: 'string' },
    language: { type: 'string', default: 'zh-CN' },
    now: { type: 'string' },
  },
  async ({ values, need }, io) => {
    const format = values.json ? 'json' : (values.format ?? 'json');
    if (format !== 'json' && format !== 'table') throw new CliError('bill: --format is json or table');
    const language = z.enum(['zh-CN', 'en']).parse(values.language);
    const accounts = await readJsonFile(need('accounts'), AccountFileSchema);
    const tariffs = await readJsonFile(need('tariffs'), TariffFileSchema);
    const readsPath = need('reads');
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime()))
      throw new CliError(`bill: --now is not an ISO 8601 instant: ${values.now}`);
    const { computeOfflineBills } = await import('../offline-bills.ts');
    const result = await computeOfflineBills({
      accounts: accounts.accounts,
      tariffs: tariffs.tariffs,
      reads: { fileName: readsPath, body: createReadStream(readsPath) },
      period: need('period'),
      now,
    });
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const { formatBillTable } = await import('#domain/billing/index.ts');
      for (const bill of result.bills) io.stdout.write(`${formatBillTable(bill, language)}\n\n`);
      for (const r of result.rejects) {
        io.stderr.write(
          `${readsPath}: row ${r.rowNumber}${r.column ? `, column ${r.column}` : ''}: ${r.reason}\n`,
        );
      }
    }
    return result.rejects.length > 0 ? 1 : 0;
  },
);
