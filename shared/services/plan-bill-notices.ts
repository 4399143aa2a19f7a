import { createHash } from 'node:crypto';
import type { Account } from '#domain/account.ts';
import { type BillHold, latestVersionSentToCustomer } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
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
import { renderHeldBillNotice } from '#notify/index.ts';
import type {
  AccountStore,
  BillHoldStore,
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
 *
 * A version held for review (its hold was stored with it) plans no preview: its account manager is told
 * instead, once. Releasing it (release-bill) plans the previews through here again.
 */
export async function planBillNotices(
  bill: BillRef,
  deps: PlanNoticesDeps,
): Promise<{ planned: number; enqueued: number; held?: true }> {
  const account = await deps.accounts.getAccount(bill.accountId);
  const stored = await deps.bills.getBill(bill.accountId, bill.period, bill.version);
  if (account === undefined || stored === undefined) {
    throw new Error(`bill ${bill.accountId} ${bill.period} v${bill.version}: account or bill not found`);
  }
  const hold = await deps.holds.getHold(bill.accountId, bill.period, bill.version);
  if (hold !== undefined && hold.status !== 'RELEASED') {
    // SUPERSEDED: a newer version replaced it before this event arrived; that version speaks for the period.
    if (hold.status === 'SUPERSEDED') return { planned: 0, enqueued: 0, held: true };
    return { ...(await enqueueAll([heldBillNotice(hold, account, stored)], deps)), held: true };
  }
  const plans = await withCorrectedVersion(await previewPlans(bill, account, stored, deps), bill, deps.holds);
  return enqueueAll(plans, deps, await alreadyPlanned(bill, deps.notices));
}

export interface PlanNoticesDeps {
  accounts: Pick<AccountStore, 'getAccount'>;
  bills: Pick<BillStore, 'getBill'>;
  holds: Pick<BillHoldStore, 'getHold' | 'listHolds'>;
  keyAccounts: Pick<KeyAccountStore, 'getKeySelectionBefore'>;
  notices: Pick<NoticeStore, 'createNotice' | 'listNotices'>;
  queue: NoticeQueue;
  recipientKeys: Pick<RecipientKeyer, 'current'>;
  now?: () => Date;
}

/**
 * Creates the notices (existing ones are not recreated; `planned` finds one planned before under another
 * id) and enqueues those still waiting.
 */
async function enqueueAll(
  plans: readonly NoticePlan[],
  deps: Pick<PlanNoticesDeps, 'notices' | 'queue'>,
  planned: (plan: NoticePlan) => StoredNotice | undefined = () => undefined,
): Promise<{ planned: number; enqueued: number }> {
  const toEnqueue = [];
  for (const plan of plans) {
    const notice = planned(plan) ?? (await deps.notices.createNotice(plan)).notice;
    if (notice.status === 'QUEUED')
      toEnqueue.push({ accountId: notice.accountId, noticeId: notice.noticeId });
  }
  await deps.queue.enqueue(toEnqueue);
  return { planned: plans.length, enqueued: toEnqueue.length };
}

/** The manager's notice of a held version: one per version and manager, whatever the re-deliveries. */
function heldBillNotice(hold: BillHold, account: Account, stored: StoredBill): NoticePlan {
  const manager = account.accountManager;
  const { subject, text } = renderHeldBillNotice({ hold, account, bill: stored.document });
  return {
    noticeId: `HELD#${hold.period}#V${hold.version}#${manager.id}`,
    kind: 'bill-held',
    accountId: hold.accountId,
    period: hold.period,
    billVersion: hold.version,
    channel: 'email',
    recipient: { role: 'account-manager', name: manager.name, address: manager.email, language: 'zh-CN' },
    content: { subject, text, textSha256: createHash('sha256').update(text).digest('hex') },
    evidence: { policyVersion: hold.policyVersion, rules: hold.reasons.map((r) => r.rule) },
  };
}

/**
 * A later version's previews record which earlier version of the period they correct (`corrects`): the
 * latest one the customer was sent, never held or released, or null when none was (a held version 1
 * replaced by version 2 was never seen, so version 2 is no correction). The preview's wording follows it
 * (previewCorrectsEarlier). A version 1 corrects nothing and reads no holds.
 */
async function withCorrectedVersion(
  plans: NoticePlan[],
  bill: BillRef,
  holds: Pick<BillHoldStore, 'listHolds'>,
): Promise<NoticePlan[]> {
  if (bill.version <= 1) return plans;
  const earlier = latestVersionSentToCustomer(
    bill.version - 1,
    await holds.listHolds(bill.accountId, bill.period),
  );
  return plans.map((plan) => ({ ...plan, evidence: { ...plan.evidence, corrects: earlier ?? null } }));
}

/** The bill-preview notices of a version, on the channels and days of the account's service plan. */
async function previewPlans(
  bill: BillRef,
  account: Account,
  stored: StoredBill,
  deps: Pick<PlanNoticesDeps, 'keyAccounts' | 'recipientKeys' | 'now'>,
): Promise<NoticePlan[]> {
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
  return planBillPreviewNotices(account, bill, await deps.recipientKeys.current())
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
