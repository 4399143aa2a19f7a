import { MINUTE_MS } from '../calendar/dates.ts';
import { isInsideWorkingHours, type WorkingCalendar } from '../calendar/working-hours.ts';
import type { AnswerAction } from './actions.ts';
import type { Answer } from './answer.ts';

/*
 * A follow-up: an answer that needs a person, in the account manager's worklist with a due time counted
 * in working hours (the arrears policy's working calendar), until the manager closes it. Past its due
 * time it is overdue and escalates once.
 */

export type FollowUpStatus = 'OPEN' | 'CLOSED';

export interface FollowUp {
  /** The answer's id: one follow-up per answer. */
  followUpId: string;
  accountId: string;
  noticeId: string;
  action: AnswerAction;
  managerId: string;
  managerName: string;
  openedAt: string;
  dueAt: string;
  status: FollowUpStatus;
  text?: string;
  preferredTime?: string;
  closedAt?: string;
  closedBy?: string;
  note?: string;
  escalatedAt?: string;
}

export interface FollowUpPolicy {
  /** Working hours a manager has to act. */
  dueWithinWorkingHours: number;
  calendar: WorkingCalendar;
}

export const DEFAULT_FOLLOW_UP_HOURS = 4;

/**
 * The instant `hours` working hours after `from`: minutes outside working hours (nights, weekends,
 * holidays) do not count. An answer on Friday evening is due on Monday by noon.
 */
export function addWorkingHours(fromMs: number, hours: number, calendar: WorkingCalendar): number {
  let at = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS;
  let left = Math.round(hours * 60);
  // Bounded: at most a year of minutes, which no calendar with a working day can need.
  for (let guard = 0; left > 0 && guard < 366 * 24 * 60; guard++) {
    // The minute from `at` counts when it starts and ends inside working hours (the end is the last instant).
    if (isInsideWorkingHours(at, calendar) && isInsideWorkingHours(at + MINUTE_MS, calendar)) left--;
    at += MINUTE_MS;
  }
  return at;
}

export function openFollowUp(
  answer: Answer,
  manager: { id: string; name: string },
  policy: FollowUpPolicy,
): FollowUp {
  const openedMs = Date.parse(answer.at);
  return {
    followUpId: answer.answerId,
    accountId: answer.accountId,
    noticeId: answer.noticeId,
    action: answer.action,
    managerId: manager.id,
    managerName: manager.name,
    openedAt: answer.at,
    dueAt: new Date(addWorkingHours(openedMs, policy.dueWithinWorkingHours, policy.calendar)).toISOString(),
    status: 'OPEN',
    ...(answer.text === undefined ? {} : { text: answer.text }),
    ...(answer.preferredTime === undefined ? {} : { preferredTime: answer.preferredTime }),
  };
}

export const isOverdue = (followUp: FollowUp, nowMs: number): boolean =>
  followUp.status === 'OPEN' && Date.parse(followUp.dueAt) < nowMs;

/** Closed on time: closed no later than its due time. */
export const closedOnTime = (followUp: FollowUp): boolean =>
  followUp.status === 'CLOSED' && followUp.closedAt !== undefined && followUp.closedAt <= followUp.dueAt;
