import type { NoticeKind } from '../notices.ts';

/*
 * What a customer can answer to a notice with one click, and which answers need a person.
 */

export const ANSWER_ACTIONS = ['received', 'call-me', 'wrong', 'paid', 'talk', 'rate'] as const;
export type AnswerAction = (typeof ANSWER_ACTIONS)[number];

/** The one-character code of an action inside a token (tokens stay short). */
export const ACTION_CODES: Readonly<Record<AnswerAction, string>> = {
  received: 'r',
  'call-me': 'c',
  wrong: 'w',
  paid: 'p',
  talk: 't',
  rate: 's',
};

export const actionOfCode = (code: string): AnswerAction | undefined =>
  (Object.entries(ACTION_CODES) as [AnswerAction, string][]).find(([, c]) => c === code)?.[0];

/** The answers a notice offers: a preview asks for a rating, a warning whether it was paid. */
export function actionsFor(kind: NoticeKind): readonly AnswerAction[] {
  if (kind === 'bill-preview') return ['received', 'call-me', 'wrong', 'rate'];
  if (kind === 'arrears-warning') return ['received', 'paid', 'talk', 'call-me'];
  return [];
}

/** Answers that come with a short form (free text, preferred time). */
export const takesDetails = (action: AnswerAction): boolean =>
  action === 'call-me' || action === 'wrong' || action === 'talk';

/**
 * Whether an answer becomes a follow-up in the account manager's worklist: a call, a bill said to be
 * wrong, a talk before a disconnection, and "I have paid" that no stored payment explains.
 */
export function needsFollowUp(action: AnswerAction, options: { paymentFound?: boolean } = {}): boolean {
  if (action === 'call-me' || action === 'wrong' || action === 'talk') return true;
  if (action === 'paid') return options.paymentFound !== true;
  return false;
}
