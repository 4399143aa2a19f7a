import { z } from 'zod';
import { type FollowUp, hasNoControlCharacters, isOverdue } from '#domain/answers/index.ts';
import { AccountId } from '#domain/primitives.ts';
import type { AccountStore, FollowUpStore, NoticeQueue, NoticeStore } from '../ports/index.ts';
import { tellManager } from './act-on-answer.ts';

/*
 * The account managers' worklist as operator commands (console test events and the CLI): list the open
 * follow-ups (by manager, overdue first), close one with a note, and escalate those past their due time
 * (a schedule runs it every working hour; each follow-up escalates once).
 */

const bounded = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(max, `at most ${max} characters`)
    .refine((s) => hasNoControlCharacters(s), 'must not contain control characters');

export const FOLLOW_UP_COMMANDS = [
  z
    .object({
      command: z.literal('list-follow-ups'),
      managerId: bounded(256).optional(),
      overdueOnly: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      command: z.literal('close-follow-up'),
      accountId: AccountId,
      followUpId: bounded(256),
      by: bounded(100),
      note: bounded(500).optional(),
    })
    .strict(),
  z.object({ command: z.literal('escalate-follow-ups') }).strict(),
] as const;

export type FollowUpCommand = z.infer<(typeof FOLLOW_UP_COMMANDS)[number]>;

export interface FollowUpCommandDeps {
  followUps?: Pick<FollowUpStore, 'listOpenFollowUps' | 'closeFollowUp' | 'markEscalated'> | undefined;
  accounts: Pick<AccountStore, 'getAccount'>;
  notices: Pick<NoticeStore, 'createNotice'>;
  queue?: NoticeQueue | undefined;
  /** Where overdue follow-ups escalate (FOLLOW_UP_ESCALATION_EMAIL); else to the manager again. */
  escalationEmail?: string | undefined;
  now?: () => Date;
}

export class FollowUpRefusal extends Error {
  constructor(
    message: string,
    readonly code: 'no-such-follow-up' | 'already-closed' | 'not-configured',
  ) {
    super(message);
  }
}

export async function carryOutFollowUpCommand(command: FollowUpCommand, deps: FollowUpCommandDeps) {
  const followUps = deps.followUps;
  if (followUps === undefined)
    throw new FollowUpRefusal(`${command.command} needs the table (TABLE_NAME)`, 'not-configured');
  const now = (deps.now ?? (() => new Date()))();
  switch (command.command) {
    case 'list-follow-ups':
      return worklist(await followUps.listOpenFollowUps(), now.getTime(), command);
    case 'close-follow-up': {
      const result = await followUps.closeFollowUp(command.accountId, command.followUpId, {
        at: now.toISOString(),
        by: command.by,
        ...(command.note === undefined ? {} : { note: command.note }),
      });
      if (result === 'not-found')
        throw new FollowUpRefusal(
          `no follow-up ${command.followUpId} of account ${command.accountId}`,
          'no-such-follow-up',
        );
      if (result === 'already-closed')
        throw new FollowUpRefusal(`follow-up ${command.followUpId} is already closed`, 'already-closed');
      return { closed: command.followUpId, closedAt: now.toISOString() };
    }
    case 'escalate-follow-ups': {
      if (deps.queue === undefined)
        throw new FollowUpRefusal(
          'escalate-follow-ups needs the notices queue (NOTICE_QUEUE_URL)',
          'not-configured',
        );
      const overdue = (await followUps.listOpenFollowUps()).filter(
        (f) => isOverdue(f, now.getTime()) && f.escalatedAt === undefined,
      );
      let escalated = 0;
      for (const followUp of overdue) {
        if (!(await followUps.markEscalated(followUp.accountId, followUp.followUpId, now.toISOString())))
          continue;
        await tellManager(
          followUp,
          { accounts: deps.accounts, notices: deps.notices, queue: deps.queue },
          {
            overdue: true,
            ...(deps.escalationEmail === undefined ? {} : { escalateTo: deps.escalationEmail }),
          },
        );
        escalated++;
      }
      return { escalated };
    }
  }
}

/** Open follow-ups, overdue first then by due time, each saying whether it is overdue. */
export function worklist(
  open: readonly FollowUp[],
  nowMs: number,
  filter: { managerId?: string | undefined; overdueOnly?: boolean | undefined } = {},
) {
  return open
    .filter((f) => filter.managerId === undefined || f.managerId === filter.managerId)
    .map((f) => ({ ...f, overdue: isOverdue(f, nowMs) }))
    .filter((f) => filter.overdueOnly !== true || f.overdue)
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt));
}
