import type { z } from 'zod';
import { ArrearsCommandError, ArrearsOperatorCommandSchema } from '#domain/arrears/index.ts';
import type { RunRecord } from '#domain/run.ts';
import {
  carryOutFollowUpCommand,
  type FollowUpCommandDeps,
  FollowUpRefusal,
} from './answers/follow-up-commands.ts';
import { applyOperatorArrearsCommand } from './arrears.ts';
import type { ArrearsDeps } from './arrears-step.ts';
import { releaseDeferredNotices } from './deferred-notices.ts';
import { type HeldBillDeps, listHeldBills, releaseHeldBill } from './held-bills.ts';
import { migrateRecipientKeys, type RecipientKeyMigrationDeps } from './migrate-recipient-keys.ts';
import { listPendingApprovalsForOperator, waivePenalty } from './operator/arrears-commands.ts';
import { listDeadLetters, redriveDeadLetters } from './operator/dead-letter-commands.ts';
import { checkDrops, type DropCheckDeps } from './operator/drop-check.ts';
import { dryRunDropForOperator } from './operator/dry-run.ts';
import {
  clip,
  describeIssues,
  OperatorCommand,
  type OperatorCommandName,
} from './operator-command-schema.ts';
import { type OperatorDropDeps, OperatorRefusal, runDropForOperator } from './operator-run-drop.ts';
import type {
  AccountStore,
  BillHoldStore,
  BillStore,
  DeadLetterQueues,
  KeyAccountStore,
  MeterReadStore,
  NoticeQueue,
  NoticeStore,
  RecipientKeyer,
  RunStore,
  TariffStore,
} from './ports/index.ts';
import { reconcileUncertainNotices } from './reconcile-uncertain.ts';
import { writeRunReport } from './run-report.ts';

export {
  OPERATOR_LIMITS,
  OperatorCommand,
  type OperatorCommandName,
  RUN_DROP_PREFIXES,
} from './operator-command-schema.ts';

export interface OperatorDeps extends Omit<OperatorDropDeps, 'runs'> {
  runs: Pick<RunStore, 'getRun' | 'listRunsByPeriod' | 'listRunsByStatus'> & OperatorDropDeps['runs'];
  accounts: Pick<AccountStore, 'getAccount' | 'getAccounts' | 'listAccounts'>;
  bills: Pick<BillStore, 'getLatestBill' | 'getBill' | 'listBillsForPeriod' | 'getBillHistory'>;
  /** run-drop --dry-run bills in memory from the stored tariffs and reads. */
  tariffs: Pick<TariffStore, 'getTariffs'>;
  meterReads: Pick<MeterReadStore, 'getMeterReads'>;
  holds: HeldBillDeps['holds'] & Pick<BillHoldStore, 'getHold'>;
  notices: Pick<NoticeStore, 'listNotices' | 'listNoticesByStatus' | 'transitionNotice' | 'createNotice'>;
  keyAccounts: Pick<KeyAccountStore, 'putKeyOverride' | 'getKeySelectionBefore'>;
  /** Needed by release-deferred only. */
  queue?: NoticeQueue | undefined;
  /** Needed by the disconnection-plan commands only. */
  arrears?: ArrearsDeps | undefined;
  /** Needed by migrate-recipient-keys only. */
  recipientKeyMigration?: RecipientKeyMigrationDeps | undefined;
  /** The keys a released bill's previews are named with (release-bill). */
  recipientKeys: Pick<RecipientKeyer, 'current'>;
  /** check-drops: the feed calendar, where its notices go, and how its metrics are published. */
  dropCheck?: Pick<DropCheckDeps, 'feedCalendar' | 'operationsEmail' | 'count'> | undefined;
  /** list-dead-letters and redrive: the stack's dead-letter queues. */
  deadLetters?: DeadLetterQueues | undefined;
  /** The managers' worklist (list-follow-ups, close-follow-up, escalate-follow-ups). */
  followUps?: FollowUpCommandDeps['followUps'];
  escalationEmail?: string | undefined;
}

/**
 * The operator's answer. Not ok: `malformed` (the event does not match a command; `issues` name the
 * fields), `refused` (a well-formed command that names something that is not there, or that the state
 * does not allow; `refused` holds the code), `failed` (something went wrong while carrying it out).
 */
export type OperatorResponse =
  | { ok: true; command: OperatorCommandName; result: unknown }
  | {
      ok: false;
      kind: 'malformed' | 'refused' | 'failed';
      command?: OperatorCommandName;
      error: string;
      refused?: string;
      issues?: { path: string; message: string }[];
    };

export interface OperatorOptions {
  /** Told of a failure the operator did not foresee (to log it with its stack); the answer carries only its message. */
  onUnexpectedError?: (command: OperatorCommandName, error: unknown) => void;
}

/** Longest error message an answer repeats (an AWS or stored-data error can be long). */
const MAX_ERROR_CHARS = 500;

/**
 * Validates an operator event and carries out its command: one dispatcher for the console and the CLI.
 * Whatever happens, the answer is a response, never a thrown error: a malformed command touches nothing,
 * a refused one says why, and a failure names the command.
 */
export async function runOperatorCommand(
  input: unknown,
  deps: OperatorDeps,
  options: OperatorOptions = {},
): Promise<OperatorResponse> {
  const parsed = OperatorCommand.safeParse(input);
  if (!parsed.success) return malformed(parsed.error, commandNamed(input));
  const command = parsed.data;
  try {
    return { ok: true, command: command.command, result: await carryOut(command, deps) };
  } catch (error) {
    if (error instanceof OperatorRefusal) {
      return {
        ok: false,
        kind: 'refused',
        command: command.command,
        error: `${command.command} refused: ${clip(error.message, MAX_ERROR_CHARS)}`,
        ...(error.code === undefined ? {} : { refused: error.code }),
      };
    }
    try {
      options.onUnexpectedError?.(command.command, error);
    } catch {
      // A failing log must not turn the answer into a thrown error.
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      ok: false,
      kind: 'failed',
      command: command.command,
      error: `${command.command} failed: ${clip(message, MAX_ERROR_CHARS)}`,
    };
  }
}

function malformed(error: z.ZodError, command: OperatorCommandName | undefined): OperatorResponse {
  const issues = describeIssues(error);
  return {
    ok: false,
    kind: 'malformed',
    ...(command === undefined ? {} : { command }),
    error: `malformed operator command: ${issues.map((i) => `${i.path || '(event)'}: ${i.message}`).join('; ')}`,
    issues,
  };
}

const COMMAND_NAMES: ReadonlySet<string> = new Set(
  OperatorCommand.options.map((option) => option.shape.command.value),
);

/** The command a malformed event meant, when it names one. */
function commandNamed(input: unknown): OperatorCommandName | undefined {
  const name = (input as { command?: unknown } | null)?.command;
  return typeof name === 'string' && COMMAND_NAMES.has(name) ? (name as OperatorCommandName) : undefined;
}

async function carryOut(command: OperatorCommand, deps: OperatorDeps): Promise<unknown> {
  const { runs, bills, notices } = deps;
  switch (command.command) {
    case 'run-drop':
      return command.dryRun === true
        ? dryRunDropForOperator({ bucket: command.bucket, key: command.key }, deps)
        : runDropForOperator({ bucket: command.bucket, key: command.key }, deps);
    case 'get-run':
      return withRunReport(
        found(await runs.getRun(command.runId), `no run ${command.runId}`, 'no-such-run'),
        deps,
      );
    case 'list-runs':
      return command.period !== undefined
        ? runs.listRunsByPeriod(command.period)
        : runs.listRunsByStatus(command.status!);
    case 'show-bill': {
      const bill =
        command.version === undefined
          ? await bills.getLatestBill(command.accountId, command.period)
          : await bills.getBill(command.accountId, command.period, command.version);
      const version = command.version === undefined ? '' : ` version ${command.version}`;
      return found(
        bill,
        `no bill of account ${command.accountId} for ${command.period}${version}`,
        'no-such-bill',
      );
    }
    case 'list-notices':
      await requireAccount(command.accountId, deps);
      // Addresses stay out of the operator's answer as they stay out of logs.
      return (await notices.listNotices(command.accountId)).map(({ recipient, ...notice }) => ({
        ...notice,
        recipient: { role: recipient.role, name: recipient.name, language: recipient.language },
      }));
    case 'approve-disconnection':
    case 'defer-disconnection':
    case 'exempt-disconnection':
      return decideOnDisconnection(command, deps);
    case 'set-key-override':
      await requireAccount(command.override.accountId, deps);
      // Applied by the next ranking run, from its setOn day until its expiry.
      await deps.keyAccounts.putKeyOverride(command.override);
      return { stored: command.override };
    case 'list-follow-ups':
    case 'close-follow-up':
    case 'escalate-follow-ups':
      return carryOutFollowUpCommand(command, deps).catch((error: unknown) => {
        throw error instanceof FollowUpRefusal ? new OperatorRefusal(error.message, error.code) : error;
      });
    case 'waive-penalty':
      await requireAccount(command.accountId, deps);
      return waivePenalty(command, deps);
    case 'list-pending-approvals':
      return listPendingApprovalsForOperator(deps);
    case 'release-deferred':
      return { released: await releaseDeferredNotices({ notices, queue: noticeQueue(command, deps) }) };
    case 'reconcile-uncertain':
      return reconcileUncertainNotices({ notices, queue: noticeQueue(command, deps) });
    case 'release-bill':
      return releaseHeldBill(command, deps);
    case 'list-held-bills':
      return listHeldBills(command.period, deps);
    case 'check-drops':
      if (deps.dropCheck === undefined) {
        throw new OperatorRefusal('check-drops needs the feed calendar (FEED_CALENDAR)', 'not-configured');
      }
      return checkDrops({
        ...deps,
        ...deps.dropCheck,
        ...(command.scheduledTime === undefined ? {} : { now: () => new Date(command.scheduledTime!) }),
      });
    case 'list-dead-letters':
      return listDeadLetters(command, deps);
    case 'redrive':
      return redriveDeadLetters(command, deps);
    case 'migrate-recipient-keys':
      return migrateRecipientKeys(
        found(
          deps.recipientKeyMigration,
          'migrate-recipient-keys needs the recipient key secret (RECIPIENT_KEY_SECRET_ID)',
          'not-configured',
        ),
      );
  }
}

/** The run with its report, written afresh (notices move on after the run ends); a failure to write it is said, not thrown. */
async function withRunReport(run: RunRecord, deps: OperatorDeps) {
  if (run.status !== 'SUCCEEDED' && run.status !== 'BILLING') return run;
  try {
    const written = await writeRunReport(run, deps);
    return {
      ...run,
      report: {
        html: `s3://${written.bucket}/${written.html}`,
        csv: `s3://${written.bucket}/${written.csv}`,
      },
    };
  } catch (error) {
    return {
      ...run,
      report: { error: clip(`the run report could not be written: ${String(error)}`, MAX_ERROR_CHARS) },
    };
  }
}

type DisconnectionCommand = Extract<
  OperatorCommand,
  { command: 'approve-disconnection' | 'defer-disconnection' | 'exempt-disconnection' }
>;

/** approve / defer / exempt: applied only to an account that exists, answered ok only when applied. */
async function decideOnDisconnection(command: DisconnectionCommand, deps: OperatorDeps) {
  if (deps.arrears === undefined) {
    throw new OperatorRefusal(
      `${command.command} needs the arrears configuration (REMINDER_SCHEDULE_GROUP and the REMINDER_* settings)`,
      'not-configured',
    );
  }
  await requireAccount(command.accountId, deps);
  const { command: name, ...fields } = command;
  const action = name.replace('-disconnection', '') as 'approve' | 'defer' | 'exempt';
  const at = (deps.now ?? (() => new Date()))().toISOString();
  try {
    const applied = await applyOperatorArrearsCommand(
      command.accountId,
      ArrearsOperatorCommandSchema.parse({ ...fields, command: action, at }),
      deps.arrears,
    );
    // The ladder finds no account: it vanished since it was looked up. Nothing was applied.
    if (applied === undefined) throw noSuchAccount(command.accountId);
    return applied;
  } catch (error) {
    // No plan, a plan in the wrong state, a date refused: nothing was applied, so the answer is not ok.
    if (error instanceof ArrearsCommandError) throw new OperatorRefusal(error.message, error.code);
    throw error;
  }
}

function noticeQueue(command: OperatorCommand, deps: OperatorDeps): NoticeQueue {
  if (deps.queue !== undefined) return deps.queue;
  throw new OperatorRefusal(
    `${command.command} needs the notices queue (NOTICE_QUEUE_URL)`,
    'not-configured',
  );
}

const noSuchAccount = (accountId: string) =>
  new OperatorRefusal(`account ${accountId} does not exist`, 'no-such-account');

async function requireAccount(accountId: string, deps: Pick<OperatorDeps, 'accounts'>): Promise<void> {
  if ((await deps.accounts.getAccount(accountId)) === undefined) throw noSuchAccount(accountId);
}

function found<T>(value: T | undefined, message: string, code: string): T {
  if (value === undefined) throw new OperatorRefusal(message, code);
  return value;
}
