import type { Account } from '#domain/account.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { NoticeStatus, StoredNotice } from '#domain/notices.ts';
import { planBillPreviewNotices } from '#domain/notices.ts';
import { type DeliveryOutcome, deliverNotice, type SenderDeps } from '#services/deliver-notice.ts';
import type { TokenBucket } from '#services/pacing.ts';
import {
  AmbiguousSendError,
  type MessageProviders,
  type NoticeStore,
  type NoticeTransitionExtra,
  type SendHooks,
} from '#services/ports/index.ts';
import { testRecipientKeyer, testRecipientKeys } from '../domain/recipient-key.fixtures.ts';
import { sampleAccount, sampleBill } from '../notify/fixtures.ts';

/*
 * The sender's order of work around its pacing token, against an in-memory table and providers that log
 * every call: everything a send needs is read and rendered before the token is taken, the provider is
 * called the moment it is granted, and a claimed notice that is not sent goes back to QUEUED (its message
 * is retried) or to a final status, never left claimed.
 */

export const ACCOUNT: Account = sampleAccount();
export const PERIOD = '2026-10';
export const NOW = new Date('2026-11-02T02:00:00Z'); // 10:00 in Shanghai, outside quiet hours

export interface World {
  events: string[];
  notices: Map<string, StoredNotice>;
  suppressed: Map<string, string>;
  bills: Map<string, StoredBill>;
  /** The in-memory table: every store the sender uses. */
  table: TableFake;
  providers: MessageProviders;
  pace: TokenBucket;
  /** Makes the next sends fail with these errors, in turn. */
  failSends: Error[];
  /** Makes the next this-many sends reach the customer while their answer is lost (a reset connection). */
  loseAnswers: { count: number };
  /** What reached a customer, in order: every accepted send, answered or not. */
  delivered: { channel: 'email' | 'sms'; tags?: Record<string, string> }[];
  optedOut: Set<string>;
}

export type TableFake = SenderDeps['notices'] &
  Pick<NoticeStore, 'findNoticeByProviderMessageId'> &
  SenderDeps['suppressions'] &
  SenderDeps['bills'] &
  SenderDeps['holds'] &
  SenderDeps['accounts'];

export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 1_000) throw new Error('condition never met');
    await tick();
  }
}

/** A bill-preview notice as the planner makes it (its id names its bill, channel and recipient). */
export function notice(channel: 'email' | 'sms', extra: Partial<StoredNotice> = {}): StoredNotice {
  const plan = planBillPreviewNotices(ACCOUNT, { period: PERIOD, version: 1 }, testRecipientKeys).find(
    (p) => p.channel === channel,
  )!;
  return {
    ...plan,
    status: 'QUEUED',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    attempts: 0,
    timeline: [{ at: NOW.toISOString(), status: 'QUEUED' }],
    ...extra,
  };
}

export function world(
  options: { pace?: (events: string[]) => Promise<void>; claimAnswers?: () => Promise<void> } = {},
): World {
  const events: string[] = [];
  const notices = new Map<string, StoredNotice>();
  const suppressed = new Map<string, string>();
  const bills = new Map<string, StoredBill>([
    [
      `${ACCOUNT.accountId}#${PERIOD}#1`,
      {
        accountId: ACCOUNT.accountId,
        period: PERIOD,
        version: 1,
        contentHash: 'h',
        document: sampleBill(),
        createdAt: NOW.toISOString(),
      },
    ],
  ]);
  const failSends: Error[] = [];
  const optedOut = new Set<string>();
  const log = async <T>(event: string, value: T): Promise<T> => {
    events.push(event);
    await tick();
    return value;
  };
  const table = {
    async claimNotice(ref: { accountId: string; noticeId: string }, staleBefore?: string) {
      const current = notices.get(ref.noticeId);
      // As the table's condition: QUEUED, or SENDING under a claim older than the lease.
      const lapsed =
        current?.status === 'SENDING' && staleBefore !== undefined && current.updatedAt < staleBefore;
      if (current?.status !== 'QUEUED' && !lapsed)
        return log(`claim ${ref.noticeId.split('#')[3]} lost`, undefined);
      const claimed = {
        ...current!,
        status: 'SENDING' as const,
        attempts: current!.attempts + 1,
        updatedAt: NOW.toISOString(),
      };
      notices.set(ref.noticeId, claimed);
      events.push(`claim ${claimed.channel}`);
      await options.claimAnswers?.();
      return log('claimed', claimed);
    },
    async getNotice(accountId: string, noticeId: string) {
      const found = notices.get(noticeId);
      return log('getNotice', found?.accountId === accountId ? found : undefined);
    },
    async suppressionOf(channel: string, key: string) {
      return log('suppressionOf', suppressed.get(`${channel}#${key}`));
    },
    async suppressRecipient(channel: string, key: string, reason: string) {
      suppressed.set(`${channel}#${key}`, reason);
      return log('suppressRecipient', undefined);
    },
    async getBill(accountId: string, period: string, version: number) {
      return log('getBill', bills.get(`${accountId}#${period}#${version}`));
    },
    async getAccount() {
      return log('getAccount', ACCOUNT);
    },
    async getBillHistory() {
      return log('getBillHistory', []);
    },
    async listHolds() {
      return log('listHolds', []);
    },
    async transitionNotice(
      ref: { noticeId: string },
      from: readonly NoticeStatus[],
      to: NoticeStatus,
      extra: NoticeTransitionExtra = {},
    ) {
      const current = notices.get(ref.noticeId)!;
      if (!from.includes(current.status)) return log(`transition refused ${to}`, false);
      const { countUncertainResend, countAttempt: _, detail, ...fields } = extra;
      const { providerCallPending: _ended, ...untouched } = current;
      notices.set(ref.noticeId, {
        ...untouched,
        status: to,
        ...fields,
        timeline: [...current.timeline, { at: NOW.toISOString(), status: to, ...(detail ? { detail } : {}) }],
        ...(countUncertainResend === true ? { uncertainResends: (current.uncertainResends ?? 0) + 1 } : {}),
      });
      return log(`${to}`, true);
    },
    async markProviderCallStarted(ref: { noticeId: string }) {
      const current = notices.get(ref.noticeId);
      if (current?.status !== 'SENDING') return log('call start refused', false);
      notices.set(ref.noticeId, { ...current, providerCallPending: true });
      return log('callStarted', true);
    },
    async findNoticeByProviderMessageId(id: string) {
      return log(
        'findByMessageId',
        [...notices.values()].find((n) => n.providerMessageId === id),
      );
    },
  } as unknown as TableFake;
  const loseAnswers = { count: 0 };
  const delivered: World['delivered'] = [];
  const send = async (kind: string, message: { tags?: Record<string, string> }, hooks?: SendHooks) => {
    // As the adapter: the hook runs once the request is ready to leave, and a throw keeps it here.
    await hooks?.beforeTransmit?.();
    events.push(kind);
    await tick();
    const failure = failSends.shift();
    if (failure !== undefined) throw failure;
    delivered.push({ channel: kind === 'sendEmail' ? 'email' : 'sms', ...message });
    if (loseAnswers.count > 0) {
      loseAnswers.count--;
      // As the sending client reports a connection reset after the request left.
      throw new AmbiguousSendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    }
    return { messageId: `${kind}-${events.length}` };
  };
  const providers: MessageProviders = {
    sendEmail: (email, hooks) => send('sendEmail', { ...(email.tags ? { tags: email.tags } : {}) }, hooks),
    sendSms: (_sms, hooks) => send('sendSms', {}, hooks),
    isPhoneOptedOut: async (phone) => log('isPhoneOptedOut', optedOut.has(phone)),
  };
  const pace = {
    take: async () => {
      events.push('take');
      await options.pace?.(events);
      events.push('granted');
    },
  } as unknown as TokenBucket;
  return {
    events,
    notices,
    suppressed,
    bills,
    table,
    providers,
    pace,
    failSends,
    loseAnswers,
    delivered,
    optedOut,
  };
}

export function depsOf(w: World, extra: Partial<SenderDeps> = {}): SenderDeps {
  return {
    notices: w.table,
    suppressions: w.table,
    bills: w.table,
    holds: w.table,
    accounts: w.table,
    providers: w.providers,
    config: { fromAddress: 'billing@keybill-power.example.cn', smsQuietHours: null },
    recipientKeys: testRecipientKeyer,
    pace: { email: w.pace, sms: w.pace },
    now: () => NOW,
    ...extra,
  };
}

export async function deliver(
  w: World,
  n: StoredNotice,
  extra: Partial<SenderDeps> = {},
): Promise<DeliveryOutcome> {
  w.notices.set(n.noticeId, n);
  return deliverNotice({ accountId: n.accountId, noticeId: n.noticeId }, depsOf(w, extra));
}
