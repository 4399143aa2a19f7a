/**
 * Operators' command line: the same commands as the operator Lambda, plus offline tools that need no AWS.
 *
 *   npm run cli -- bill --accounts F --tariffs F --reads F --period YYYY-MM [--json | --format table] [--language en]
 *   npm run cli -- generate --accounts N --period YYYY-MM --out DIR
 *   npm run cli -- schemas --out DIR
 *   npm run cli -- run-drop --bucket B --key K          (against TABLE_NAME and the AWS_ENDPOINT_URL_* in the environment)
 *   npm run cli -- get-run --run-id ID | list-runs --period P | list-runs --status S
 *   npm run cli -- show-bill --account-id A --period P [--version N] | list-notices --account-id A
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AccountFileSchema } from '../shared/domain/account.ts';
import { TariffFileSchema } from '../shared/domain/tariff.ts';

const USAGE = `usage: npm run cli -- <command> [options]

offline (no AWS):
  bill --accounts FILE --tariffs FILE --reads FILE --period YYYY-MM [--json | --format json|table] [--language zh-CN|en]
  generate --accounts N --period YYYY-MM --out DIR     write sample accounts.json, tariffs.json, reads.csv
  schemas --out DIR                                     write the JSON Schemas of the account and tariff files
  key-accounts --period YYYY-MM (--accounts FILE --bills FILE | --generate N) --out DIR
               [--config FILE] [--overrides FILE] [--previous key-selection-YYYY-MM.json] [--language zh-CN|en]
                                                        rank key accounts (value score, Pareto rule), segment them
  arrears-plan --accounts FILE --bills FILE --payments FILE --from YYYY-MM-DD --to YYYY-MM-DD
               [--policy FILE] [--approvals FILE] [--json]   replay arrears warnings and disconnection plans

against the deployed or local stack (TABLE_NAME, DROP_BUCKET and AWS_* from the environment):
  run-drop --bucket B --key K
  get-run --run-id ID
  list-runs (--period YYYY-MM | --status RUNNING|SUCCEEDED|REJECTED|FAILED)
  show-bill --account-id A --period YYYY-MM [--version N]
  list-notices --account-id A
  release-deferred                                      re-queue SMS deferred for quiet hours (NOTICE_QUEUE_URL)
  operator --event JSON                                 any operator Lambda event, e.g. '{"command":"set-key-override",…}'
  approve-disconnection --account-id A --by NAME [--plan-id P] [--note T]
  defer-disconnection --account-id A --new-date YYYY-MM-DD --by NAME --reason T [--plan-id P]
  exempt-disconnection --account-id A --by NAME --reason T [--until YYYY-MM-DD] [--plan-id P]
`;

export class CliError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      accounts: { type: 'string' },
      tariffs: { type: 'string' },
      reads: { type: 'string' },
      period: { type: 'string' },
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
      language: { type: 'string', default: 'zh-CN' },
      out: { type: 'string' },
      bucket: { type: 'string' },
      key: { type: 'string' },
      'run-id': { type: 'string' },
      status: { type: 'string' },
      'account-id': { type: 'string' },
      version: { type: 'string' },
      bills: { type: 'string' },
      payments: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      policy: { type: 'string' },
      approvals: { type: 'string' },
      generate: { type: 'string' },
      config: { type: 'string' },
      overrides: { type: 'string' },
      previous: { type: 'string' },
      'plan-id': { type: 'string' },
      by: { type: 'string' },
      note: { type: 'string' },
      reason: { type: 'string' },
      'new-date': { type: 'string' },
      until: { type: 'string' },
      event: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (command === undefined || values.help || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const need = (name: keyof typeof values): string => {
    const v = values[name];
    if (typeof v !== 'string' || v === '') throw new CliError(`${command}: --${name} is required`);
    return v;
  };

  switch (command) {
    case 'bill': {
      const format = values.json ? 'json' : (values.format ?? 'json');
      if (format !== 'json' && format !== 'table') throw new CliError('bill: --format is json or table');
      const language = z.enum(['zh-CN', 'en']).parse(values.language);
      const accounts = await readJsonFile(need('accounts'), AccountFileSchema);
      const tariffs = await readJsonFile(need('tariffs'), TariffFileSchema);
      const readsPath = need('reads');
      const { computeOfflineBills } = await import('./offline-bills.ts');
      const result = await computeOfflineBills({
        accounts: accounts.accounts,
        tariffs: tariffs.tariffs,
        reads: { fileName: readsPath, body: createReadStream(readsPath) },
        period: need('period'),
      });
      if (format === 'json') {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        const { formatBillTable } = await import('../shared/domain/billing/index.ts');
        for (const bill of result.bills) process.stdout.write(`${formatBillTable(bill, language)}\n\n`);
        for (const r of result.rejects) {
          process.stderr.write(
            `${readsPath}: row ${r.rowNumber}${r.column ? `, column ${r.column}` : ''}: ${r.reason}\n`,
          );
        }
      }
      return result.rejects.length > 0 ? 1 : 0;
    }
    case 'generate': {
      const { writeSampleFiles } = await import('./sample-files.ts');
      const written = await writeSampleFiles({
        accounts: Number(need('accounts')),
        period: need('period'),
        out: need('out'),
      });
      for (const f of written) process.stdout.write(`wrote ${f}\n`);
      return 0;
    }
    case 'key-accounts': {
      const { keyAccountsCommand } = await import('./key-accounts.ts');
      return keyAccountsCommand({
        period: need('period'),
        out: need('out'),
        accounts: values.accounts,
        bills: values.bills,
        generate: values.generate === undefined ? undefined : Number(values.generate),
        config: values.config,
        overrides: values.overrides,
        previous: values.previous,
        language: z.enum(['zh-CN', 'en']).parse(values.language),
      });
    }
    case 'arrears-plan': {
      const { arrearsPlanCommand } = await import('./arrears-plan.ts');
      return arrearsPlanCommand({
        accounts: need('accounts'),
        bills: need('bills'),
        payments: need('payments'),
        from: need('from'),
        to: need('to'),
        json: values.json,
        ...(values.policy === undefined ? {} : { policy: values.policy }),
        ...(values.approvals === undefined ? {} : { approvals: values.approvals }),
      });
    }
    case 'schemas': {
      const out = need('out');
      await mkdir(out, { recursive: true });
      const { documentedSchemas } = await import('../shared/domain/json-schemas.ts');
      for (const [name, schema] of Object.entries(documentedSchemas())) {
        await writeFile(join(out, name), `${JSON.stringify(schema, null, 2)}\n`);
        process.stdout.write(`wrote ${join(out, name)}\n`);
      }
      return 0;
    }
    case 'run-drop':
    case 'get-run':
    case 'list-runs':
    case 'show-bill':
    case 'operator':
    case 'list-notices':
    case 'release-deferred':
    case 'approve-disconnection':
    case 'defer-disconnection':
    case 'exempt-disconnection': {
      const event =
        command === 'operator'
          ? parseEvent(need('event'))
          : {
              command,
              ...(values.bucket === undefined ? {} : { bucket: values.bucket }),
              ...(values.key === undefined ? {} : { key: values.key }),
              ...(values['run-id'] === undefined ? {} : { runId: values['run-id'] }),
              ...(values.period === undefined ? {} : { period: values.period }),
              ...(values.status === undefined ? {} : { status: values.status }),
              ...(values['account-id'] === undefined ? {} : { accountId: values['account-id'] }),
              ...(values.version === undefined ? {} : { version: Number(values.version) }),
              ...(values['plan-id'] === undefined ? {} : { planId: values['plan-id'] }),
              ...(values.by === undefined ? {} : { by: values.by }),
              ...(values.note === undefined ? {} : { note: values.note }),
              ...(values.reason === undefined ? {} : { reason: values.reason }),
              ...(values['new-date'] === undefined ? {} : { newDate: values['new-date'] }),
              ...(values.until === undefined ? {} : { until: values.until }),
            };
      const { runOperatorCommand } = await import('../shared/services/operator-commands.ts');
      const { operatorDeps } = await import('../shared/wiring/index.ts');
      // The same dependencies as the operator function, without its structured logs on the terminal.
      const response = await runOperatorCommand(event, operatorDeps({}));
      process.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
      return response.ok ? 0 : 1;
    }
    default:
      throw new CliError(`unknown command ${command}\n\n${USAGE}`);
  }
}

function parseEvent(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`--event is not JSON: ${(error as Error).message}`);
  }
}

/** Reads and validates a JSON document, naming the file and the offending field on failure. */
async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf-8'));
  } catch (error) {
    throw new CliError(`${path}: not readable JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `  ${path}: ${i.path.join('.') || '(document)'}: ${i.message}`,
    );
    throw new CliError(`${path} is not a valid document:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (
      error instanceof CliError ||
      (error as Error).name === 'DropFileError' ||
      (error as Error).name === 'BillingInputError'
    ) {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
