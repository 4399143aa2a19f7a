import type { Account } from '#domain/account.ts';
import {
  type Answer,
  type AnswerAction,
  answerIdOf,
  checkAnswerForm,
  type FollowUpPolicy,
  needsFollowUp,
  openFollowUp,
} from '#domain/answers/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { type AnswerPage, renderAnswerPage } from '#notify/answer-page.ts';
import type { AccountStore, AnswerStore, FollowUpStore, PaymentStore } from '../ports/index.ts';
import { type LinkDeps, type LinkRoute, resolveLink } from './resolve-link.ts';

/*
 * The public answer endpoint's use case. GET only shows a page (a mail scanner's prefetch records
 * nothing); POST records the answer once — the answer's natural key is the notice and the action, so
 * three clicks, a prefetch and a retried request are one answer — and opens its follow-up where a person
 * is needed. The rest (the manager's email, the bill's review mark, the evidence) follows from the stored
 * answer (act-on-answer.ts), so this function writes answers and follow-ups only.
 */

/** A form body larger than this is refused before it is parsed. */
export const MAX_FORM_BYTES = 16 * 1024;

export interface AnswerRequest {
  method: string;
  route: LinkRoute;
  /** application/x-www-form-urlencoded body of a POST (decoded from base64 if the event was). */
  body?: string;
  /** `postUrl` of the page's forms: the path the request came on. */
  path: string;
}

export interface AnswerResponse {
  status: number;
  html: string;
  /** The answer this request recorded (a POST that stored a new one), for logs and metrics. */
  recorded?: Answer;
}

export interface AnswerDeps extends LinkDeps {
  accounts: Pick<AccountStore, 'getAccount'>;
  answers: Pick<AnswerStore, 'getAnswer' | 'putAnswer'>;
  followUps: Pick<FollowUpStore, 'openFollowUp'>;
  payments: Pick<PaymentStore, 'listPayments'>;
  followUpPolicy: FollowUpPolicy;
}

export async function answerRequest(request: AnswerRequest, deps: AnswerDeps): Promise<AnswerResponse> {
  const link = await resolveLink(request.route, deps);
  if (!link.ok) {
    const language = link.notice?.recipient.language ?? 'zh-CN';
    return page(link.reason === 'expired' ? 410 : 404, { kind: link.reason, language });
  }
  const { notice } = link;
  const language = notice.recipient.language;
  const account = await deps.accounts.getAccount(notice.accountId);
  const manager =
    account === undefined
      ? undefined
      : { name: account.accountManager.name, phone: account.accountManager.phone };

  if (request.method === 'GET' || request.method === 'HEAD') {
    const [only] = link.actions;
    if (link.actions.length === 1 && only !== undefined) {
      const existing = await deps.answers.getAnswer(notice.accountId, answerIdOf(notice.noticeId, only));
      if (existing !== undefined)
        return page(200, {
          kind: 'already-recorded',
          language,
          noticeKind: notice.kind,
          action: only,
          ...withManager(manager),
        });
    }
    return page(200, {
      kind: 'confirm',
      language,
      noticeKind: notice.kind,
      actions: link.actions,
      postUrl: request.path,
      ...withManager(manager),
    });
  }
  if (request.method !== 'POST') return page(405, { kind: 'invalid', language });

  if (Buffer.byteLength(request.body ?? '', 'utf8') > MAX_FORM_BYTES)
    return page(413, { kind: 'too-large', language });
  const fields = Object.fromEntries(new URLSearchParams(request.body ?? ''));
  const action = link.actions.length === 1 ? link.actions[0]! : (fields.action as AnswerAction | undefined);
  if (action === undefined || !link.actions.includes(action))
    return page(400, { kind: 'refused', language, issues: ['action: not one this notice offers'] });
  const checked = checkAnswerForm(fields, action);
  if (!checked.ok) return page(400, { kind: 'refused', language, issues: checked.issues });
  if (account === undefined) return page(404, { kind: 'invalid', language });

  const { created, answer } = await deps.answers.putAnswer({
    answerId: answerIdOf(notice.noticeId, action),
    accountId: notice.accountId,
    noticeId: notice.noticeId,
    noticeKind: notice.kind,
    channel: notice.channel,
    language,
    action,
    at: deps.now().toISOString(),
    ...sentAtOf(notice),
    ...(notice.kind === 'bill-preview' ? { period: notice.period, billVersion: notice.billVersion } : {}),
    managerId: account.accountManager.id,
    ...checked.form,
  });
  // Even for an answer stored before (a retried POST): opening its follow-up is idempotent, and a first
  // attempt that stored the answer but died before the follow-up is completed here.
  await openFollowUpIfNeeded(answer, notice, account, deps);
  return {
    ...page(200, {
      kind: created ? 'recorded' : 'already-recorded',
      language,
      noticeKind: notice.kind,
      action,
      ...withManager(manager),
    }),
    ...(created ? { recorded: answer } : {}),
  };
}

async function openFollowUpIfNeeded(
  answer: Answer,
  notice: StoredNotice,
  account: Account,
  deps: AnswerDeps,
): Promise<void> {
  const paymentFound =
    answer.action === 'paid'
      ? (await deps.payments.listPayments(answer.accountId)).some(
          (p) => p.paidAt >= notice.createdAt.slice(0, 10),
        )
      : false;
  if (!needsFollowUp(answer.action, { paymentFound })) return;
  await deps.followUps.openFollowUp(openFollowUp(answer, account.accountManager, deps.followUpPolicy));
}

const sentAtOf = (notice: StoredNotice): { noticeSentAt?: string } => {
  const sent = notice.timeline.find((t) => t.status === 'SENT');
  return sent === undefined ? {} : { noticeSentAt: sent.at };
};

const withManager = (manager: { name: string; phone: string } | undefined) =>
  manager === undefined ? {} : { manager };

const page = (status: number, model: AnswerPage): AnswerResponse => ({
  status,
  html: renderAnswerPage(model),
});
