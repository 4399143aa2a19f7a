/**
 * Bills from files, with the same parser and engine as the pipeline and no AWS at all.
 *
 *   npm run cli -- bill --accounts F --tariffs F --reads F --period YYYY-MM [--json | --format table] [--language en]
 *                       [--now ISO-INSTANT]
 *
 * `--now` is the clock the period and read_at window is measured from (default: this machine's clock).
 * The bills are checked with the pipeline's plausibility policy: a held bill carries `held: true` and its
 * `holdReasons` (the pipeline would send no preview of it until an operator releases it), and an account
 * whose reads the engine refuses is listed under `accountsNotBilled` with the reason. Rules that compare
 * with earlier periods need the stored history a file does not carry: `rulesNotApplied` names them.
 * Exit codes: 0 every row billed and no bill held; 1 rows rejected, an account not billed or a bill held;
 * 2 unusable input, or a reads file refused whole (no rows, rows that do not account for its lines…),
 * with the reason.
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
      for (const bill of result.bills) {
        io.stdout.write(`${formatBillTable(bill, language)}\n`);
        if ('held' in bill) {
          const reasons = bill.holdReasons.map((r) => `  - ${r.message}`).join('\n');
          io.stdout.write(`HELD for review (the pipeline sends no preview until released):\n${reasons}\n`);
        }
        io.stdout.write('\n');
      }
      const notApplied = result.rulesNotApplied.map((r) => r.rule).join(', ');
      io.stderr.write(
        `plausibility policy ${result.plausibilityPolicy}; not applied offline: ${notApplied}\n`,
      );
      for (const n of result.accountsNotBilled) {
        io.stderr.write(`account ${n.accountId} not billed for ${n.period}: ${n.reason}\n`);
      }
      for (const r of result.rejects) {
        io.stderr.write(
          `${readsPath}: row ${r.rowNumber}${r.column ? `, column ${r.column}` : ''}: ${r.reason}\n`,
        );
      }
    }
    const clean = result.rejects.length === 0 && result.counts.billsHeld === 0;
    return clean && result.accountsNotBilled.length === 0 ? 0 : 1;
  },
);
