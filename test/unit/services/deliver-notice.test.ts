import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { NoticeStatus, StoredNotice } from '#domain/notices.ts';
import { planBillPreviewNotices, recipientKey } from '#domain/notices.ts';
import {
  type DeliveryOutcome,
  deliverNotice,
  RetryableDeliveryError,
  type SenderDeps,
} from '#services/deliver-notice.ts';
import { Lookahead, type TokenBucket } from '#services/pacing.ts';
import { type MessageProviders, TransientError } from '#services/ports/index.ts';
import { sampleAccount, sampleBill } from '../notify/fixtures.ts';

/*
 * The sender's order of work around its pacing token, against an in-memory table and providers that log
 * every call: everything a send needs is read and rendered before the token is taken, the provider is
 * called the moment it is granted, and a claimed notice that is not sent goes back to QUEUED (its message
 * is retried) or to a final status, never left claimed.
 */

const ACCOUNT: Account = sampleAccount();
const PERIOD = '2026-10';
const NOW = new Date('2026-11-02T02:00:00Z'); // 10:00 in Shanghai, outside quiet hours

interface World {
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
  optedOut: Set<string>;
}

type TableFake = SenderDeps['notices'] &
  SenderDeps['suppressions'] &
  SenderDeps['bills'] &
  SenderDeps['accounts'];

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 1_000) throw new Error('condition never met');
    await tick();
  }
}

/** A bill-preview notice as the planner makes it (its id names its bill, channel and recipient). */
function notice(channel: 'email' | 'sms', extra: Partial<StoredNotice> = {}): StoredNotice {
  const plan = planBillPreviewNotices(ACCOUNT, { period: PERIOD, version: 1 }).find(
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

function world(
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
    async claimNotice(ref: { accountId: string; noticeId: string }) {
      const current = notices.get(ref.noticeId);
      if (current?.status !== 'QUEUED') return log(`claim ${ref.noticeId.split('#')[3]} lost`, undefined);
      const claimed = { ...current, status: 'SENDING' as const, attempts: current.attempts + 1 };
      notices.set(ref.noticeId, claimed);
      events.push(`claim ${claimed.channel}`);
      await options.claimAnswers?.();
      return log('claimed', claimed);
    },
    async getNotice(_accountId: string, noticeId: string) {
      return log('getNotice', notices.get(noticeId));
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
    async transitionNotice(
      ref: { noticeId: string },
      from: readonly NoticeStatus[],
      to: NoticeStatus,
      extra: { lastError?: string } = {},
    ) {
      const current = notices.get(ref.noticeId)!;
      if (!from.includes(current.status)) return log(`transition refused ${to}`, false);
      notices.set(ref.noticeId, { ...current, status: to, ...extra });
      return log(`${to}`, true);
    },
  } as unknown as TableFake;
  const send = async (kind: string) => {
    events.push(kind);
    await tick();
    const failure = failSends.shift();
    if (failure !== undefined) throw failure;
    return { messageId: `${kind}-${events.length}` };
  };
  const providers: MessageProviders = {
    sendEmail: () => send('sendEmail'),
    sendSms: () => send('sendSms'),
    isPhoneOptedOut: async (phone) => log('isPhoneOptedOut', optedOut.has(phone)),
  };
  const pace = {
    take: async () => {
      events.push('take');
      await options.pace?.(events);
      events.push('granted');
    },
  } as unknown as TokenBucket;
  return { events, notices, suppressed, bills, table, providers, pace, failSends, optedOut };
}

function depsOf(w: World, extra: Partial<SenderDeps> = {}): SenderDeps {
  return {
    notices: w.table,
    suppressions: w.table,
    bills: w.table,
    accounts: w.table,
    providers: w.providers,
    config: { fromAddress: 'billing@keybill-power.example.cn', smsQuietHours: null },
    pace: { email: w.pace, sms: w.pace },
    now: () => NOW,
    ...extra,
  };
}

async function deliver(w: World, n: StoredNotice, extra: Partial<SenderDeps> = {}): Promise<DeliveryOutcome> {
  w.notices.set(n.noticeId, n);
  return deliverNotice({ accountId: n.accountId, noticeId: n.noticeId }, depsOf(w, extra));
}

describe('deliverNotice: the pacing token between a prepared message and its send', () => {
  it('reads everything before the token and calls the provider the moment it is granted', async () => {
    const w = world();
    const email = notice('email');
    const outcome = await deliver(w, email);
    expect(outcome.outcome).toBe('sent');
    const taken = w.events.indexOf('take');
    expect(w.events.slice(0, taken)).toEqual([
      'claim email',
      'suppressionOf',
      'getBill',
      'getAccount',
      'getBillHistory',
      'claimed',
    ]);
    expect(w.events.slice(taken)).toEqual(['take', 'granted', 'sendEmail', 'SENT']);
    expect(w.notices.get(email.noticeId)?.status).toBe('SENT');
  });

  it('checks an SMS opt-out before the token, and spends no token on an opted-out number', async () => {
    const w = world();
    w.optedOut.add('+8613812345678');
    const sms = notice('sms');
    expect(await deliver(w, sms)).toEqual({ outcome: 'suppressed', reason: 'opted-out' });
    expect(w.events).not.toContain('take');
    expect(w.events).toContain('isPhoneOptedOut');
    expect(w.notices.get(sms.noticeId)?.status).toBe('SUPPRESSED');
  });

  it('sends an SMS right after its token, the opt-out checked before it', async () => {
    const w = world();
    const sms = notice('sms');
    expect((await deliver(w, sms)).outcome).toBe('sent');
    expect(w.events.slice(w.events.indexOf('isPhoneOptedOut'))).toEqual([
      'isPhoneOptedOut',
      'take',
      'granted',
      'sendSms',
      'SENT',
    ]);
  });

  it('puts a notice whose send failed transiently after the token back to QUEUED, for its message to retry', async () => {
    const w = world();
    // As the provider adapter raises SES throttling once the SDK's own retries are spent.
    w.failSends.push(
      new TransientError(
        Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' }),
      ),
    );
    const email = notice('email');
    await expect(deliver(w, email)).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect(w.notices.get(email.noticeId)?.status).toBe('QUEUED');
    // The re-delivery claims it again and sends it once.
    expect((await deliver(w, w.notices.get(email.noticeId)!)).outcome).toBe('sent');
    expect(w.events.filter((e) => e === 'sendEmail')).toHaveLength(2);
    expect(w.notices.get(email.noticeId)?.status).toBe('SENT');
  });

  it('puts a claimed notice back to QUEUED when its reads fail, without taking a token', async () => {
    const w = world();
    // As the table adapter raises a throttled read once the SDK's own retries are spent.
    const throttled = new TransientError(
      Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
        name: 'ProvisionedThroughputExceededException',
        $retryable: { throttling: true },
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const failing = Object.assign({}, w.table, {
      getBill: async () => {
        throw throttled;
      },
    });
    const email = notice('email');
    await expect(deliver(w, email, { bills: failing })).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect(w.events).not.toContain('take');
    expect(w.notices.get(email.noticeId)?.status).toBe('QUEUED');
  });

  it('fails a notice whose bill is gone without taking a token', async () => {
    const w = world();
    w.bills.clear();
    const email = notice('email');
    expect((await deliver(w, email)).outcome).toBe('failed');
    expect(w.events).not.toContain('take');
    expect(w.notices.get(email.noticeId)?.status).toBe('FAILED');
  });

  it('defers a preview planned for a later day without taking a token', async () => {
    const w = world();
    const email = notice('email', { sendAt: '2026-11-05T09:00:00+08:00' });
    expect(await deliver(w, email)).toEqual({ outcome: 'deferred', until: '2026-11-05T09:00:00+08:00' });
    expect(w.events).not.toContain('take');
    expect(w.events.at(-1)).toBe('DEFERRED');
  });

  it('starts a preview’s reads with its claim, before the claim answers', async () => {
    let answer: (() => void) | undefined;
    const w = world({ claimAnswers: () => new Promise<void>((resolve) => (answer = resolve)) });
    const sent = deliver(w, notice('email'));
    await until(() => answer !== undefined);
    for (let i = 0; i < 5; i++) await tick();
    expect(w.events).toEqual(['claim email', 'suppressionOf', 'getBill', 'getAccount', 'getBillHistory']);
    answer!();
    expect((await sent).outcome).toBe('sent');
    // Read once each: the reads started with the claim are the ones used.
    expect(w.events.filter((e) => e === 'getBill')).toHaveLength(1);
  });

  it('reads what the claimed notice says, should its id suggest something else', async () => {
    const w = world();
    const stored = w.bills.get(`${ACCOUNT.accountId}#${PERIOD}#1`)!;
    w.bills.clear();
    w.bills.set(`${ACCOUNT.accountId}#${PERIOD}#2`, { ...stored, version: 2 });
    // Named as version 1 (nothing stored under it), but the notice is of version 2.
    const email = notice('email', { billVersion: 2 });
    expect((await deliver(w, email)).outcome).toBe('sent');
    expect(w.events.filter((e) => e === 'getBill')).toHaveLength(2);
  });

  it('reads nothing ahead for a notice whose id is not a bill preview’s', async () => {
    let answer: (() => void) | undefined;
    const w = world({ claimAnswers: () => new Promise<void>((resolve) => (answer = resolve)) });
    const warning = notice('sms', {
      noticeId: 'WARNING#2026-11-02#L1#sms',
      kind: 'arrears-warning',
      content: { text: '您的电费已逾期。', textSha256: 'sha' },
    });
    const sent = deliver(w, warning);
    await until(() => answer !== undefined);
    for (let i = 0; i < 5; i++) await tick();
    expect(w.events).toEqual(['claim sms']);
    answer!();
    expect((await sent).outcome).toBe('sent');
    expect(w.events).not.toContain('getBill');
  });

  it('records a suppressed recipient without taking a token', async () => {
    const w = world();
    const email = notice('email');
    w.suppressed.set(`email#${recipientKey('email', email.recipient.address)}`, 'bounced');
    expect(await deliver(w, email)).toEqual({ outcome: 'suppressed', reason: 'bounced' });
    expect(w.events).not.toContain('take');
    expect(w.notices.get(email.noticeId)?.status).toBe('SUPPRESSED');
  });

  it('keeps the message of a notice another delivery holds, without taking a token', async () => {
    const w = world();
    const email = notice('email', { status: 'SENDING' });
    await expect(deliver(w, email)).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect(w.events).not.toContain('take');
  });
});

describe('deliverNotice with a lookahead: only the next few notices are claimed ahead of the pace', () => {
  it('claims a notice only once an earlier one has its token', async () => {
    const tokens: (() => void)[] = [];
    const w = world({ pace: () => new Promise<void>((granted) => tokens.push(granted)) });
    const lookahead = new Lookahead(2);
    const emails = ['a', 'b', 'c'].map((who) => {
      const address = `${who}@example.cn`;
      return notice('email', {
        noticeId: `${PERIOD}#V1#bill-preview#email#${recipientKey('email', address)}`,
        recipient: { role: 'customer', name: who, address, language: 'en' },
      });
    });
    const outcomes = Promise.all(emails.map((n) => deliver(w, n, { lookahead })));
    const claims = () => w.events.filter((e) => e.startsWith('claim ')).length;
    // Two are in: both prepared, waiting for their tokens; the third is not even claimed.
    await until(() => tokens.length === 2);
    for (let i = 0; i < 20; i++) await tick();
    expect(claims()).toBe(2);
    tokens.shift()!();
    await until(() => claims() === 3);
    for (let sent = 0; sent < 2; sent++) {
      await until(() => tokens.length > 0);
      tokens.shift()!();
    }
    expect((await outcomes).map((o) => o.outcome)).toEqual(['sent', 'sent', 'sent']);
  });

  it('frees its place when a delivery ends without a send', async () => {
    const w = world();
    const lookahead = new Lookahead(1);
    const deferred = notice('email', { sendAt: '2026-11-05T09:00:00+08:00' });
    expect((await deliver(w, deferred, { lookahead })).outcome).toBe('deferred');
    const held = notice('sms', { status: 'SENDING' });
    await expect(deliver(w, held, { lookahead })).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect((await deliver(w, notice('sms'), { lookahead })).outcome).toBe('sent');
  });
});
