import { z } from 'zod';
import type { NoticeChannel, NoticeKind } from '../notices.ts';
import type { Language } from '../primitives.ts';
import { type AnswerAction, takesDetails } from './actions.ts';

/*
 * A customer's answer to a notice, as recorded: one per notice and action (its natural key), whatever the
 * number of clicks, prefetches and retries. Free text is stored as typed, bounded and without control
 * characters; every page and email that shows it escapes it.
 */

export interface Answer {
  /** `<noticeId>#<action>`: a second POST of the same link finds it and records nothing. */
  answerId: string;
  accountId: string;
  noticeId: string;
  noticeKind: NoticeKind;
  channel: NoticeChannel;
  language: Language;
  action: AnswerAction;
  at: string;
  /** When the notice was sent (for the time to first response), if known. */
  noticeSentAt?: string;
  period?: string;
  billVersion?: number;
  managerId: string;
  rating?: number;
  comment?: string;
  text?: string;
  preferredTime?: string;
}

export const answerIdOf = (noticeId: string, action: AnswerAction): string => `${noticeId}#${action}`;

/** No C0 control character or DEL; with `lineBreaks`, tab, line feed and carriage return are allowed. */
export function hasNoControlCharacters(value: string, lineBreaks = false): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (lineBreaks && (code === 9 || code === 10 || code === 13)) continue;
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

const FreeText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((s) => hasNoControlCharacters(s, true), 'no control characters')
    .transform((s) => s.trim());

export const MAX_ANSWER_TEXT = 1000;
export const MAX_PREFERRED_TIME = 80;

/** The fields a page's form posts (application/x-www-form-urlencoded), each bounded. */
export const AnswerFormSchema = z.strictObject({
  action: z.string().max(20).optional(),
  text: FreeText(MAX_ANSWER_TEXT).optional(),
  preferredTime: FreeText(MAX_PREFERRED_TIME).optional(),
  rating: z
    .string()
    .regex(/^[1-5]$/, 'a whole number from 1 to 5')
    .transform(Number)
    .optional(),
  comment: FreeText(MAX_ANSWER_TEXT).optional(),
});
export type AnswerForm = z.output<typeof AnswerFormSchema>;

export type FormCheck = { ok: true; form: Omit<AnswerForm, 'action'> } | { ok: false; issues: string[] };

/** A form's fields checked for the action; a rating needs its number. */
export function checkAnswerForm(fields: Record<string, string>, action: AnswerAction): FormCheck {
  const parsed = AnswerFormSchema.safeParse(fields);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`),
    };
  const form = parsed.data;
  if (action === 'rate' && form.rating === undefined) return { ok: false, issues: ['rating: required'] };
  if (!takesDetails(action))
    return { ok: true, form: { ...stripEmpty({ rating: form.rating, comment: form.comment }) } };
  return { ok: true, form: stripEmpty({ text: form.text, preferredTime: form.preferredTime }) };
}

function stripEmpty<T extends Record<string, unknown>>(form: T): T {
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined && v !== '')) as T;
}
