import { createHash } from 'node:crypto';
import type { Answer, FollowUp } from '#domain/answers/index.ts';
import type { NoticePlan } from '#domain/notices.ts';
import { labelOf } from '#notify/answer-links.ts';
import type {
  AccountStore,
  AnswerStore,
  BillReviewPort,
  DeliveryConfirmationPort,
  FollowUpStore,
  NoticeQueue,
  NoticeStore,
} from '../ports/index.ts';

/*
 * What follows a stored answer, run from the table stream (new ANSWER and FOLLOWUP items, with the new
 * bills, reach plan-notices): a bill said to be wrong is marked for review, a receipt of a disconnection
 * notice goes into the plan's evidence, and a new follow-up is emailed to the account manager. Each step
 * is idempotent, so a re-delivered stream record changes nothing.
 */

export interface AnswerFollowThroughDeps {
  accounts: Pick<AccountStore, 'getAccount'>;
  answers: Pick<AnswerStore, 'getAnswer'>;
  followUps: Pick<FollowUpStore, 'getFollowUp'>;
  notices: Pick<NoticeStore, 'createNotice' | 'getNotice'>;
  queue: NoticeQueue;
  billReviews: BillReviewPort;
  deliveryConfirmations: DeliveryConfirmationPort;
}

/** Warning kinds whose receipt the customer's confirmation proves (billing-rules.md §8: notice before a cut). */
const DISCONNECTION_KINDS = new Set(['disconnection-notice', 'disconnection-reminder']);

export async function actOnAnswer(answer: Answer, deps: AnswerFollowThroughDeps): Promise<void> {
  if (answer.action === 'wrong' && answer.period !== undefined && answer.billVersion !== undefined) {
    await deps.billReviews.markBillForReview(answer.accountId, answer.period, answer.billVersion, {
      answerId: answer.answerId,
      at: answer.at,
    });
  }
  if (answer.action === 'received' && answer.noticeKind === 'arrears-warning') {
    const notice = await deps.notices.getNotice(answer.accountId, answer.noticeId);
    if (DISCONNECTION_KINDS.has(String(notice?.evidence?.warningKind))) {
      const { planId, planRevision } = (notice?.evidence ?? {}) as { planId?: string; planRevision?: number };
      await deps.deliveryConfirmations.recordCustomerConfirmedDelivery(answer.accountId, {
        noticeId: answer.noticeId,
        answerId: answer.answerId,
        at: answer.at,
        channel: answer.channel,
        ...(planId === undefined ? {} : { planId }),
        ...(planRevision === undefined ? {} : { revision: planRevision }),
      });
    }
  }
}

/** Tells the account manager of a new follow-up (or, `overdue`, that one is past its due time). */
export async function tellManager(
  followUp: FollowUp,
  deps: {
    accounts: AnswerFollowThroughDeps['accounts'];
    notices: Pick<NoticeStore, 'createNotice'>;
    queue: NoticeQueue;
  },
  options: { overdue?: boolean; escalateTo?: string } = {},
): Promise<boolean> {
  const account = await deps.accounts.getAccount(followUp.accountId);
  if (account === undefined) return false;
  const overdue = options.overdue === true;
  const label = labelOf(followUp.action, 'zh-CN');
  const text = [
    overdue ? '【客户回复待跟进·已逾期】' : '【客户回复待跟进】',
    `客户：${account.name}（${account.accountId}）`,
    `回复：${label}`,
    ...(followUp.text === undefined ? [] : [`说明：${followUp.text}`]),
    ...(followUp.preferredTime === undefined ? [] : [`方便联系时间：${followUp.preferredTime}`]),
    `收到时间：${followUp.openedAt}`,
    `处理时限：${followUp.dueAt}`,
    `处理后请关闭：{"command":"close-follow-up","accountId":"${followUp.accountId}","followUpId":"${followUp.followUpId}","by":"${account.accountManager.name}"}`,
  ].join('\n');
  const tag = createHash('sha256').update(followUp.followUpId).digest('hex').slice(0, 32);
  const plan: NoticePlan = {
    noticeId: `${overdue ? 'FOLLOWUP-OVERDUE' : 'FOLLOWUP'}#${tag}`,
    kind: 'follow-up',
    accountId: followUp.accountId,
    period: followUp.openedAt.slice(0, 7),
    billVersion: 0,
    channel: 'email',
    recipient: {
      role: 'account-manager',
      name: account.accountManager.name,
      address: options.escalateTo ?? account.accountManager.email,
      language: 'zh-CN',
    },
    content: {
      subject: `${overdue ? '【逾期】' : ''}客户回复：${label} — ${account.name}`.slice(0, 120),
      text,
      textSha256: createHash('sha256').update(text).digest('hex'),
    },
  };
  const { notice } = await deps.notices.createNotice(plan);
  if (notice.status === 'QUEUED')
    await deps.queue.enqueue([{ accountId: notice.accountId, noticeId: notice.noticeId }]);
  return true;
}

/** A new ANSWER or FOLLOWUP item from the table stream, by its ids: what follows it. */
export async function followThrough(
  item: { entity: 'ANSWER' | 'FOLLOWUP'; accountId: string; id: string },
  deps: AnswerFollowThroughDeps,
): Promise<'acted' | 'told-manager' | 'missing'> {
  if (item.entity === 'ANSWER') {
    const answer = await deps.answers.getAnswer(item.accountId, item.id);
    if (answer === undefined) return 'missing';
    await actOnAnswer(answer, deps);
    return 'acted';
  }
  const followUp = await deps.followUps.getFollowUp(item.accountId, item.id);
  if (followUp === undefined) return 'missing';
  await tellManager(followUp, deps);
  return 'told-manager';
}
