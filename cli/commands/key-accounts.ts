/**
 * Offline key-account ranking: reads accounts and bill history (or generates a population), ranks,
 * selects the key set, segments it and assigns managers, then writes the CSV, the HTML report and the
 * selection record (pass it back as `previous` next month to see the changes).
 *
 *   npm run cli -- key-accounts --period 2026-10 --accounts accounts.json --bills bills.json --out DIR
 *   npm run cli -- key-accounts --period 2026-10 --generate 5000 --out DIR
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Account } from '#domain/account.ts';
import { AccountFileSchema } from '#domain/account.ts';
import {
  BillHistoryFileSchema,
  configInEffect,
  DEFAULT_KEY_ACCOUNT_CONFIG,
  generatePopulation,
  type KeyAccountConfig,
  KeyAccountConfigFileSchema,
  KeyAccountConfigSchema,
  KeyAccountInputError,
  type KeyAccountRanking,
  KeySelectionRecordSchema,
  OverrideFileSchema,
  rankKeyAccounts,
  renderKeyAccountCsv,
  renderKeyAccountHtml,
  SEGMENT_RULES,
  type UsageBill,
} from '#domain/key-accounts/index.ts';
import { Dec, dec } from '#domain/money.ts';
import { Period } from '#domain/primitives.ts';
import { CliError, type CliIo, defineCommand } from '../command.ts';

export const keyAccountsCli = defineCommand(
  'key-accounts',
  {
    period: { type: 'string' },
    out: { type: 'string' },
    accounts: { type: 'string' },
    bills: { type: 'string' },
    generate: { type: 'string' },
    config: { type: 'string' },
    overrides: { type: 'string' },
    previous: { type: 'string' },
    language: { type: 'string', default: 'zh-CN' },
  },
  ({ values, need }, io) =>
    keyAccountsCommand(
      {
        period: need('period'),
        out: need('out'),
        accounts: values.accounts,
        bills: values.bills,
        generate: values.generate === undefined ? undefined : Number(values.generate),
        config: values.config,
        overrides: values.overrides,
        previous: values.previous,
        language: z.enum(['zh-CN', 'en']).parse(values.language),
      },
      io,
    ),
);

export interface KeyAccountsArgs {
  /** Last period of the history (YYYY-MM); the selection takes effect on the first day after it. */
  period: string;
  /** `{ "accounts": [...] }` */
  accounts?: string;
  /** `{ "bills": [BillDocument, ...] }` */
  bills?: string;
  out: string;
  /** Generate a population of this many accounts instead of reading files. */
  generate?: number;
  /** A configuration document, or `{ "configs": [...] }` (the one in effect is used); default built in. */
  config?: string;
  /** `{ "overrides": [...] }` */
  overrides?: string;
  /** The previous run's key-selection-<period>.json. */
  previous?: string;
  /** Language of the report and the CSV's segment reasons (default zh-CN). */
  language?: 'zh-CN' | 'en';
}

/** Runs the command; 0 on success, 2 on bad input (the reason is on stderr). */
export async function keyAccountsCommand(
  args: KeyAccountsArgs,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  try {
    const written = await run(args, io);
    for (const file of written) io.stdout.write(`wrote ${file}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof KeyAccountInputError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function run(args: KeyAccountsArgs, io: CliIo): Promise<string[]> {
  if (!Period.safeParse(args.period).success) throw new CliError(`--period ${args.period} is not YYYY-MM`);
  const asOf = `${nextPeriod(args.period)}-01`;

  let accounts: Account[];
  let bills: UsageBill[];
  if (args.generate !== undefined) {
    if (!Number.isInteger(args.generate) || args.generate < 1) {
      throw new CliError('--generate needs a whole number of accounts');
    }
    ({ accounts, bills } = generatePopulation({ count: args.generate, lastPeriod: args.period }));
  } else {
    if (args.accounts === undefined || args.bills === undefined) {
      throw new CliError('key-accounts needs --accounts and --bills, or --generate N');
    }
    accounts = (await readJson(args.accounts, AccountFileSchema)).accounts;
    bills = (await readJson(args.bills, BillHistoryFileSchema)).bills;
  }

  const config = args.config === undefined ? DEFAULT_KEY_ACCOUNT_CONFIG : await readConfig(args.config, asOf);
  const overrides =
    args.overrides === undefined ? [] : (await readJson(args.overrides, OverrideFileSchema)).overrides;
  const previous =
    args.previous === undefined ? undefined : await readJson(args.previous, KeySelectionRecordSchema);

  const result = rankKeyAccounts({
    accounts,
    bills,
    config,
    overrides,
    asOf,
    period: args.period,
    ...(previous === undefined ? {} : { previous }),
  });
  const language = args.language ?? 'zh-CN';
  await mkdir(args.out, { recursive: true });
  const files: [string, string][] = [
    // The byte-order mark lets a spreadsheet open the UTF-8 Chinese text correctly.
    [`key-accounts-${args.period}.csv`, `\uFEFF${renderKeyAccountCsv(result, { language })}`],
    [
      `key-accounts-${args.period}.html`,
      renderKeyAccountHtml(result, {
        language,
        accountNames: new Map(accounts.map((a) => [a.accountId, a.name])),
      }),
    ],
    [`key-selection-${args.period}.json`, `${JSON.stringify(result.selection, null, 2)}\n`],
  ];
  const written: string[] = [];
  for (const [name, content] of files) {
    await writeFile(join(args.out, name), content);
    written.push(join(args.out, name));
  }
  io.stdout.write(formatSummary(result));
  for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`);
  return written;
}

/** The console summary: key count, revenue share, changes and segment counts. */
export function formatSummary(result: KeyAccountRanking): string {
  const pct = (ratio: string) => `${dec(ratio).times(100).toFixed(1, Dec.ROUND_HALF_UP)} %`;
  const newly = result.changes.filter((c) => c.change === 'newly-key').length;
  const gone = result.changes.length - newly;
  const lines = [
    `key accounts for ${result.period} (history ${result.windowFrom}–${result.windowTo}, effective ${result.effectiveFrom}, configuration ${result.configVersion})`,
    `  accounts ranked   ${result.totals.accounts}`,
    `  key accounts      ${result.key.count} (${result.key.accountPercent} % of accounts)`,
    `  revenue share     ${pct(result.key.revenueShare)} (target ${pct(result.targetShare)})${result.key.shareReached ? '' : ' NOT REACHED'}`,
    `  changes           ${result.previousEffectiveFrom === null ? 'first selection' : `${newly} newly key, ${gone} no longer key`}`,
    '  segments',
    ...SEGMENT_RULES.map(
      (r) =>
        `    ${r.name.en.padEnd(20)} ${String(result.segmentCounts[r.id]).padStart(6)}  ${r.name['zh-CN']}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function nextPeriod(period: string): string {
  const index = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7));
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

async function readConfig(path: string, asOf: string): Promise<KeyAccountConfig> {
  const data = await readJsonData(path);
  const many = KeyAccountConfigFileSchema.safeParse(data);
  if (many.success) {
    const config = configInEffect(many.data.configs, asOf);
    if (config === undefined) throw new CliError(`${path}: no configuration in effect on ${asOf}`);
    return config;
  }
  return validate(path, data, KeyAccountConfigSchema);
}

async function readJsonData(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf-8'));
  } catch (error) {
    throw new CliError(`${path}: not readable JSON (${(error as Error).message})`);
  }
}

function validate<T>(path: string, data: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 20)
    .map((i) => `  ${path}: ${i.path.join('.') || '(document)'}: ${i.message}`);
  const more = parsed.error.issues.length > 20 ? `\n  … ${parsed.error.issues.length - 20} more` : '';
  throw new CliError(`${path} is not a valid document:\n${issues.join('\n')}${more}`);
}

async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  return validate(path, await readJsonData(path), schema);
}
