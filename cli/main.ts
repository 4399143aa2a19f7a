/**
 * Operators' command line: the same commands as the operator Lambda, plus offline tools that need no AWS.
 * This file only dispatches: each command lives in cli/commands/ with its own options.
 *
 *   npm run cli -- bill --accounts F --tariffs F --reads F --period YYYY-MM [--json | --format table] [--language en]
 *   npm run cli -- generate --accounts N --period YYYY-MM --out DIR
 *   npm run cli -- schemas --out DIR
 *   npm run cli -- run-drop --bucket B --key K          (against TABLE_NAME and the AWS_ENDPOINT_URL_* in the environment)
 *   npm run cli -- get-run --run-id ID | list-runs --period P | list-runs --status S
 *   npm run cli -- show-bill --account-id A --period P [--version N] | list-notices --account-id A
 */
import { type CliCommand, CliError, type CliIo, HELP } from './command.ts';
import { stackClis } from './commands/stack.ts';

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
  run-drop --bucket B --key K [--dry-run]               --dry-run: the run report only, nothing stored or sent
  get-run --run-id ID
  list-runs (--period YYYY-MM | --status RUNNING|SUCCEEDED|REJECTED|FAILED)
  show-bill --account-id A --period YYYY-MM [--version N]
  list-notices --account-id A
  release-deferred                                      re-queue SMS deferred for quiet hours (NOTICE_QUEUE_URL)
  check-drops [--scheduled-time ISO]                    late and partial drops (feed calendar), stuck runs,
                                                        as of that instant (default: now)
  list-dead-letters [--queue Q] [--sample N]            messages in each dead-letter queue (DEAD_LETTER_QUEUES)
  redrive --queue Q                                     move a dead-letter queue's messages back to their queue
  reconcile-uncertain                                   re-queue UNCERTAIN emails no Send event confirmed in an hour
  list-held-bills [--period YYYY-MM]                    bills held for review, with the reasons
  release-bill --account-id A --period YYYY-MM --by NAME --reason T [--version N]
                                                        send a held bill's preview (once), recorded
  list-follow-ups [--manager-id M]                      the managers' open follow-ups, overdue first
  close-follow-up --account-id A --follow-up-id F --by NAME [--note TEXT]
  escalate-follow-ups                                   tell managers of overdue follow-ups, once each
  operator --event JSON                                 any operator Lambda event, e.g. '{"command":"set-key-override",…}'
  approve-disconnection --account-id A --by NAME [--plan-id P] [--note T]
  defer-disconnection --account-id A --new-date YYYY-MM-DD --by NAME --reason T [--plan-id P]
                      [--confirm-working-day]           a day beyond the official calendar: you checked
                                                        the published holidays, it is a working day
  exempt-disconnection --account-id A --by NAME --reason T [--until YYYY-MM-DD] [--plan-id P]
  waive-penalty --account-id A --by NAME --reason T    write off the open late-payment penalty (recorded)
  list-pending-approvals                                disconnection plans waiting for approval
`;

/** The commands, loaded when run so that an offline command never loads the AWS SDK. */
const COMMANDS = new Map<string, () => Promise<CliCommand>>([
  ['bill', async () => (await import('./commands/bill.ts')).billCli],
  ['generate', async () => (await import('./commands/generate.ts')).generateCli],
  ['schemas', async () => (await import('./commands/schemas.ts')).schemasCli],
  ['key-accounts', async () => (await import('./commands/key-accounts.ts')).keyAccountsCli],
  ['arrears-plan', async () => (await import('./commands/arrears-plan.ts')).arrearsPlanCli],
  ...Object.entries(stackClis).map(([name, command]) => [name, async () => command] as const),
]);

/**
 * Runs one command line. The exit code: 0 done; 1 done with rejected rows or a refused command, or an
 * unexpected failure (its stack on stderr); 2 unusable input (`error: …` on stderr).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (
      error instanceof CliError ||
      (error as Error).name === 'DropFileError' ||
      (error as Error).name === 'BillingInputError'
    ) {
      io.stderr.write(`error: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`${(error as Error).stack ?? error}\n`);
    return 1;
  }
}

async function dispatch([command, ...args]: readonly string[], io: CliIo): Promise<number> {
  if (command === undefined || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const load = COMMANDS.get(command);
  if (load === undefined) throw new CliError(`unknown command ${command}\n\n${USAGE}`);
  const exitCode = await (await load()).run(args, io);
  if (exitCode === HELP) {
    io.stdout.write(USAGE);
    return 0;
  }
  return exitCode;
}

if (import.meta.main) {
  runCli(process.argv.slice(2), process).then((code) => process.exit(code));
}
