/**
 * The commands that run against the deployed or local stack (TABLE_NAME, DROP_BUCKET and AWS_* from
 * the environment). Each is a thin translation of its options into an operator event; the operator
 * (shared/services/operator-commands.ts) validates the event and answers, as it does for the Lambda.
 *
 *   npm run cli -- get-run --run-id ID | list-runs --period P | list-runs --status S
 *   npm run cli -- operator --event '{"command":"set-key-override",…}'
 */
import { type CliCommand, CliError, type CliIo, defineCommand } from '../command.ts';
import { operatorDepsFromEnv } from '../stack-deps.ts';

/** Each option of the stack commands and the event field it fills, in the order the event lists them. */
const EVENT_FIELDS = [
  ['bucket', 'bucket'],
  ['key', 'key'],
  ['run-id', 'runId'],
  ['period', 'period'],
  ['status', 'status'],
  ['account-id', 'accountId'],
  ['version', 'version'],
  ['plan-id', 'planId'],
  ['by', 'by'],
  ['note', 'note'],
  ['reason', 'reason'],
  ['new-date', 'newDate'],
  ['until', 'until'],
  ['queue', 'queue'],
  ['sample', 'sample'],
  ['dry-run', 'dryRun'],
  ['confirm-working-day', 'confirmWorkingDay'],
  ['manager-id', 'managerId'],
  ['follow-up-id', 'followUpId'],
  ['scheduled-time', 'scheduledTime'],
] as const;

type EventOption = (typeof EVENT_FIELDS)[number][0];

/** Options whose event field is a number (the schema refuses anything else, e.g. NaN). */
const NUMERIC_OPTIONS: ReadonlySet<EventOption> = new Set(['version', 'sample']);
/** Flags: present is true. */
const FLAG_OPTIONS: ReadonlySet<EventOption> = new Set(['dry-run', 'confirm-working-day']);

/** The options of each stack command: the fields its operator command takes. */
const STACK_COMMAND_OPTIONS = {
  'run-drop': ['bucket', 'key', 'dry-run'],
  'get-run': ['run-id'],
  'list-runs': ['period', 'status'],
  'show-bill': ['account-id', 'period', 'version'],
  'list-notices': ['account-id'],
  'release-deferred': [],
  'check-drops': ['scheduled-time'],
  'list-dead-letters': ['queue', 'sample'],
  redrive: ['queue'],
  'reconcile-uncertain': [],
  'approve-disconnection': ['account-id', 'by', 'plan-id', 'note'],
  'defer-disconnection': ['account-id', 'new-date', 'by', 'reason', 'plan-id', 'confirm-working-day'],
  'exempt-disconnection': ['account-id', 'by', 'reason', 'until', 'plan-id'],
  'release-bill': ['account-id', 'period', 'version', 'by', 'reason'],
  'list-held-bills': ['period'],
  'waive-penalty': ['account-id', 'by', 'reason'],
  'list-pending-approvals': [],
  'list-follow-ups': ['manager-id'],
  'close-follow-up': ['account-id', 'follow-up-id', 'by', 'note'],
  'escalate-follow-ups': [],
  'migrate-recipient-keys': [],
} as const satisfies Record<string, readonly EventOption[]>;

export type StackCommandName = keyof typeof STACK_COMMAND_OPTIONS;

/** The operator event for a stack command: the command and the options given (version as a number). */
export function operatorEvent(
  command: StackCommandName,
  values: Partial<Record<EventOption, string | boolean>>,
): Record<string, unknown> {
  const event: Record<string, unknown> = { command };
  for (const [option, field] of EVENT_FIELDS) {
    const value = values[option];
    if (value !== undefined) event[field] = NUMERIC_OPTIONS.has(option) ? Number(value) : value;
  }
  return event;
}

function stackCommand(command: StackCommandName): CliCommand {
  const options = Object.fromEntries(
    STACK_COMMAND_OPTIONS[command].map((option: EventOption) => [
      option,
      { type: FLAG_OPTIONS.has(option) ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  return defineCommand(command, options, ({ values }, io) =>
    runOnStack(operatorEvent(command, values as Partial<Record<EventOption, string | boolean>>), io),
  );
}

/** `operator --event JSON`: any operator Lambda event, as it is. */
const operatorCli = defineCommand('operator', { event: { type: 'string' } }, ({ need }, io) =>
  runOnStack(parseEvent(need('event')), io),
);

export const stackClis: Record<StackCommandName | 'operator', CliCommand> = {
  ...(Object.fromEntries(
    Object.keys(STACK_COMMAND_OPTIONS).map((command) => [command, stackCommand(command as StackCommandName)]),
  ) as Record<StackCommandName, CliCommand>),
  operator: operatorCli,
};

/** Runs the event through the operator against the stack; prints its response, exit 0 when ok. */
async function runOnStack(event: unknown, io: CliIo): Promise<number> {
  const { runOperatorCommand } = await import('#services/operator-commands.ts');
  const response = await runOperatorCommand(event, await operatorDepsFromEnv());
  io.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
  return response.ok ? 0 : 1;
}

function parseEvent(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`--event is not JSON: ${(error as Error).message}`);
  }
}
