import { z } from 'zod';
import { ArrearsCommandError, ArrearsOperatorCommandSchema } from '#domain/arrears/index.ts';
import { OperatorOverrideSchema } from '#domain/key-accounts/index.ts';
import { AccountId, IsoDate, Period } from '#domain/primitives.ts';
import { RUN_STATUSES } from '#domain/run.ts';
import { type ArrearsDeps, applyOperatorArrearsCommand } from './arrears.ts';
import { releaseDeferredNotices } from './deliver-notice.ts';
import type {
  BillChunkQueue,
  BillStore,
  KeyAccountStore,
  NoticeQueue,
  NoticeStore,
  RunStore,
} from './ports/index.ts';
import { type RunDropDeps, runMeterReadDrop } from './run-meter-read-drop.ts';

export interface OperatorDeps extends Omit<RunDropDeps, 'chunks' | 'runs'> {
  runs: Pick<RunStore, 'getRun' | 'listRunsByPeriod' | 'listRunsByStatus'> & RunDropDeps['runs'];
  bills: Pick<BillStore, 'getLatestBill' | 'getBill'>;
  notices: Pick<NoticeStore, 'listNotices' | 'listNoticesByStatus' | 'transitionNotice'>;
  keyAccounts: Pick<KeyAccountStore, 'putKeyOverride'>;
  /** Needed by release-deferred only. */
  queue?: NoticeQueue | undefined;
  /** Needed by run-drop only (a meter-read drop's accounts are billed by bill-chunk). */
  chunks?: BillChunkQueue | undefined;
  /** Needed by the disconnection-plan commands only. */
  arrears?: ArrearsDeps | undefined;
}

/**
 * The commands operators run, from a Lambda console test event or from the CLI: one schema, one
 * dispatcher, so both surfaces behave the same.
 */
export const OperatorCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('run-drop'), bucket: z.string().min(3), key: z.string().min(1) }).strict(),
  z.object({ command: z.literal('get-run'), runId: z.string().min(1) }).strict(),
  z
    .object({
      command: z.literal('list-runs'),
      period: Period.optional(),
      status: z.enum(RUN_STATUSES).optional(),
    })
    .strict()
    .refine((c) => (c.period === undefined) !== (c.status === undefined), {
      message: 'give exactly one of period or status',
    }),
  z
    .object({
      command: z.literal('show-bill'),
      accountId: AccountId,
      period: Period,
      version: z.number().int().positive().optional(),
    })
    .strict(),
  z.object({ command: z.literal('list-notices'), accountId: AccountId }).strict(),
  z.object({ command: z.literal('release-deferred') }).strict(),
  z.object({ command: z.literal('set-key-override'), override: OperatorOverrideSchema }).strict(),
  z
    .object({
      command: z.literal('approve-disconnection'),
      accountId: AccountId,
      planId: z.string().min(1).optional(),
      by: z.string().min(1),
      note: z.string().optional(),
    })
    .strict(),
  z
    .object({
      command: z.literal('defer-disconnection'),
      accountId: AccountId,
      planId: z.string().min(1).optional(),
      newDate: IsoDate,
      by: z.string().min(1),
      reason: z.string().min(1),
    })
    .strict(),
  z
    .object({
      command: z.literal('exempt-disconnection'),
      accountId: AccountId,
      planId: z.string().min(1).optional(),
      by: z.string().min(1),
      reason: z.string().min(1),
      until: IsoDate.optional(),
    })
    .strict(),
]);
export type OperatorCommand = z.infer<typeof OperatorCommand>;

export type OperatorResponse =
  | { ok: true; command: string; result: unknown }
  | { ok: false; error: string; issues?: { path: string; message: string }[] };

export async function runOperatorCommand(input: unknown, deps: OperatorDeps): Promise<OperatorResponse> {
  const parsed = OperatorCommand.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      error: `malformed operator command: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ')}`,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  const command = parsed.data;
  const { runs, bills, notices } = deps;
  const result = await (async () => {
    switch (command.command) {
      case 'run-drop':
        if (deps.chunks === undefined)
          throw new Error('run-drop needs the bill-chunk queue (BILL_CHUNK_QUEUE_URL)');
        return runMeterReadDrop(
          { bucket: command.bucket, key: command.key },
          { ...deps, chunks: deps.chunks },
        );
      case 'get-run':
        return (await runs.getRun(command.runId)) ?? null;
      case 'list-runs':
        return command.period !== undefined
          ? runs.listRunsByPeriod(command.period)
          : runs.listRunsByStatus(command.status!);
      case 'show-bill':
        return command.version === undefined
          ? ((await bills.getLatestBill(command.accountId, command.period)) ?? null)
          : ((await bills.getBill(command.accountId, command.period, command.version)) ?? null);
      case 'list-notices':
        // Addresses stay out of the operator's answer as they stay out of logs.
        return (await notices.listNotices(command.accountId)).map(({ recipient, ...notice }) => ({
          ...notice,
          recipient: { role: recipient.role, name: recipient.name, language: recipient.language },
        }));
      case 'approve-disconnection':
      case 'defer-disconnection':
      case 'exempt-disconnection': {
        if (deps.arrears === undefined)
          throw new Error(`${command.command} needs the arrears configuration (REMINDER_*)`);
        const { command: name, ...fields } = command;
        const action = name.replace('-disconnection', '') as 'approve' | 'defer' | 'exempt';
        const at = (deps.now ?? (() => new Date()))().toISOString();
        try {
          return await applyOperatorArrearsCommand(
            command.accountId,
            ArrearsOperatorCommandSchema.parse({ ...fields, command: action, at }),
            deps.arrears,
          );
        } catch (error) {
          if (error instanceof ArrearsCommandError) return { refused: error.code, reason: error.message };
          throw error;
        }
      }
      case 'set-key-override':
        // Applied by the next ranking run, from its setOn day until its expiry.
        await deps.keyAccounts.putKeyOverride(command.override);
        return { stored: command.override };
      case 'release-deferred': {
        if (deps.queue === undefined) throw new Error('release-deferred needs NOTICE_QUEUE_URL');
        return { released: await releaseDeferredNotices({ notices, queue: deps.queue }) };
      }
    }
  })();
  return { ok: true, command: command.command, result };
}
