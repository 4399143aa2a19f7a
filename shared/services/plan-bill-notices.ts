import { shanghaiDate } from '#domain/calendar/index.ts';
import {
  DEFAULT_KEY_ACCOUNT_CONFIG,
  type KeySelectionRecord,
  planPreviewService,
} from '#domain/key-accounts/index.ts';
import {
  billPreviewIdPrefix,
  type NoticePlan,
  planBillPreviewNotices,
  type StoredNotice,
} from '#domain/notices.ts';
import { canonicalAddress } from '#domain/recipient-key.ts';
import type {
  AccountStore,
  BillStore,
  KeyAccountStore,
  NoticeQueue,
  NoticeStore,
  RecipientKeyer,
} from './ports/index.ts';

export interface BillRef {
  accountId: string;
  period: string;
  version: number;
}

const nextDay = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Creates the bill-preview notices for a new bill version (the table is the outbox: a notice exists as
 * an item before any message or provider call) and puts a reference to each on the queue. Safe to repeat:
 * existing notices are not recreated, and only those still waiting are enqueued again.
 *
 * The service plan of the account's usage segment, as selected on the planning day, decides the channels,
 * the send day (N days before the due date) and which advice the preview leads with. Before the first
 * key-account selection every account is served on every channel at once.
 */
export async function planBillNotices(
  bill: BillRef,
  deps: {
    accounts: Pick<AccountStore, 'getAccount'>;
    bills: Pick<BillStore, 'getBill'>;
    keyAccounts: Pick<KeyAccountStore, 'getKeySelectionBefore'>;
    notices: Pick<NoticeStore, 'createNotice' | 'listNotices'>;
    queue: NoticeQueue;
    recipientKeys: Pick<RecipientKeyer, 'current'>;
    now?: () => Date;
  },
): Promise<{ planned: number; enqueued: number }> {
  const account = await deps.accounts.getAccount(bill.accountId);
  const stored = await deps.bills.getBill(bill.accountId, bill.period, bill.version);
  if (account === undefined || stored === undefined) {
    throw new Error(`bill ${bill.accountId} ${bill.period} v${bill.version}: account or bill not found`);
  }
  const plannedOn = shanghaiDate((deps.now ?? (() => new Date()))());
  const selection = await deps.keyAccounts.getKeySelectionBefore<KeySelectionRecord>(nextDay(plannedOn));
  const service =
    selection === undefined
      ? undefined
      : planPreviewService({
          accountId: bill.accountId,
          bill: { period: bill.period, dueDate: stored.document.dueDate },
          plannedOn,
          selections: [selection],
          config: DEFAULT_KEY_ACCOUNT_CONFIG,
        });
  const plans = planBillPreviewNotices(account, bill, await deps.recipientKeys.current())
    .filter((plan) => service === undefined || service.channels.includes(plan.channel))
    .map((plan) =>
      service === undefined
        ? plan
        : {
            ...plan,
            ...(service.sendOn > plannedOn ? { sendAt: `${service.sendOn}T09:00:00+08:00` } : {}),
            evidence: {
              servicePlan: {
                isKey: service.isKey,
                segmentId: service.segmentId,
                leadAdvice: service.leadAdvice,
                daysBeforeDue: service.daysBeforeDue,
                selectionEffectiveFrom: service.selectionEffectiveFrom,
              },
            },
          },
    );
  const planned = await alreadyPlanned(bill, deps.notices);
  const toEnqueue = [];
  for (const plan of plans) {
    const notice = planned(plan) ?? (await deps.notices.createNotice(plan)).notice;
    if (notice.status === 'QUEUED')
      toEnqueue.push({ accountId: notice.accountId, noticeId: notice.noticeId });
  }
  await deps.queue.enqueue(toEnqueue);
  return { planned: plans.length, enqueued: toEnqueue.length };
}

/**
 * The bill version's previews planned before, found by channel and address rather than by id: one planned
 * under an earlier recipient key (the unkeyed hash before #11, or a secret value before a rotation) has
 * another id, and a re-delivered bill record must not plan that recipient a second preview.
 */
async function alreadyPlanned(
  bill: BillRef,
  notices: Pick<NoticeStore, 'listNotices'>,
): Promise<(plan: NoticePlan) => StoredNotice | undefined> {
  const existing = await notices.listNotices(bill.accountId, billPreviewIdPrefix(bill));
  const recipientOf = (n: Pick<NoticePlan, 'channel' | 'recipient'>) =>
    `${n.channel}#${canonicalAddress(n.channel, n.recipient.address)}`;
  const byRecipient = new Map(existing.map((n) => [recipientOf(n), n]));
  return (plan) => byRecipient.get(recipientOf(plan));
}
