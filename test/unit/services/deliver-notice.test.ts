import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import type { NoticeStatus, StoredNotice } from '#domain/notices.ts';
import { NOTICE_TAG, noticeRefOfTag, noticeTagValue, planBillPreviewNotices } from '#domain/notices.ts';
import {
  DEFAULT_CLAIM_LEASE_MS,
  type DeliveryOutcome,
  deliverNotice,
  RetryableDeliveryError,
  type SenderDeps,
} from '#services/deliver-notice.ts';
import { Lookahead, type TokenBucket } from '#services/pacing.ts';
import {
  AmbiguousSendError,
  type MessageProviders,
  type NoticeStore,
  type NoticeTransitionExtra,
  TransientError,
} from '#services/ports/index.ts';
import { recordDeliveryEvent } from '#services/record-delivery.ts';
import { testRecipientKeyer, testRecipientKeys } from '../domain/recipient-key.fixtures.ts';
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
  /** Makes the next this-many sends reach the customer while their answer is lost (a reset connection). */
  loseAnswers: { count: number };
  /** What reached a customer, in order: every accepted send, answered or not. */
  delivered: { channel: 'email' | 'sms'; tags?: Record<string, string> }[];
  optedOut: Set<string>;
}

type TableFake = SenderDeps['notices'] &
  Pick<NoticeStore, 'findNoticeByProviderMessageId'> &
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
    async transitionNotice(
      ref: { noticeId: string },
      from: readonly NoticeStatus[],
      to: NoticeStatus,
      extra: NoticeTransitionExtra = {},
    ) {
      const current = notices.get(ref.noticeId)!;
      if (!from.includes(current.status)) return log(`transition refused ${to}`, false);
      const { countUncertainResend, countAttempt: _, detail, ...fields } = extra;
      notices.set(ref.noticeId, {
        ...current,
        status: to,
        ...fields,
        timeline: [...current.timeline, { at: NOW.toISOString(), status: to, ...(detail ? { detail } : {}) }],
        ...(countUncertainResend === true ? { uncertainResends: (current.uncertainResends ?? 0) + 1 } : {}),
      });
      return log(`${to}`, true);
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
  const send = async (kind: string, message: { tags?: Record<string, string> }) => {
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
    sendEmail: (email) => send('sendEmail', { ...(email.tags ? { tags: email.tags } : {}) }),
    sendSms: () => send('sendSms', {}),
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

function depsOf(w: World, extra: Partial<SenderDeps> = {}): SenderDeps {
  return {
    notices: w.table,
    suppressions: w.table,
    bills: w.table,
    accounts: w.table,
    providers: w.providers,
    config: { fromAddress: 'billing@keybill-power.example.cn', smsQuietHours: null },
    recipientKeys: testRecipientKeyer,
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
    w.suppressed.set(`email#${testRecipientKeys('email', email.recipient.address)}`, 'bounced');
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
        noticeId: `${PERIOD}#V1#bill-preview#email#${testRecipientKeys('email', address)}`,
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

/*
 * The send call makes one attempt (shared/adapters/clients.ts): a clear refusal is retried by the queue,
 * and an answer lost after the provider may have accepted the message is UNCERTAIN, resolved by kind.
 */
describe('deliverNotice: a send whose answer is lost', () => {
  const warning = (channel: 'email' | 'sms') =>
    notice(channel, {
      noticeId: `ARREARS#${channel}0123456789abcdef0123456789abcdef`,
      kind: 'arrears-warning',
      content: { subject: '停电预警', text: '您的电费已逾期，将于 11 月 9 日停电。', textSha256: 'sha' },
    });
  const redeliver = (w: World, n: StoredNotice, extra: Partial<SenderDeps> = {}) =>
    deliverNotice({ accountId: n.accountId, noticeId: n.noticeId }, depsOf(w, extra));

  it('records an accepted send as SENT with its message id, counting nothing as uncertain', async () => {
    const w = world();
    const counted: string[] = [];
    const outcome = await deliver(w, notice('email'), { count: (m) => counted.push(m) });
    expect(outcome).toEqual({ outcome: 'sent', providerMessageId: expect.stringMatching(/^sendEmail-/) });
    expect(w.delivered).toHaveLength(1);
    expect(counted).toEqual([]);
  });

  it('puts a throttled send (refused before acceptance) back to QUEUED for the queue, not UNCERTAIN', async () => {
    const w = world();
    w.failSends.push(new TransientError(Object.assign(new Error('Rate exceeded'), { name: 'Throttled' })));
    const sms = notice('sms');
    await expect(deliver(w, sms)).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect(w.notices.get(sms.noticeId)).toMatchObject({
      status: 'QUEUED',
      lastError: 'Throttled: Rate exceeded',
    });
    expect(w.delivered).toHaveLength(0);
    expect((await redeliver(w, sms)).outcome).toBe('sent');
    expect(w.delivered).toHaveLength(1);
  });

  it('leaves a bill preview whose answer was lost UNCERTAIN with the reason, and never resends it', async () => {
    const w = world();
    const counted: string[] = [];
    w.loseAnswers.count = 1;
    const email = notice('email');
    const outcome = await deliver(w, email, { count: (m) => counted.push(m) });
    expect(outcome).toEqual({ outcome: 'uncertain', reason: 'Error: socket hang up', resent: false });
    const stored = w.notices.get(email.noticeId)!;
    expect(stored.status).toBe('UNCERTAIN');
    expect(stored.lastError).toBe('Error: socket hang up');
    expect(stored.timeline.at(-1)?.detail).toMatch(
      /answer lost, may have been accepted: Error: socket hang up/,
    );
    expect(counted).toEqual(['NoticesUncertain']);
    // The queue re-delivers the message (a duplicate delivery, or a retry): nothing is sent again.
    expect(await redeliver(w, email)).toEqual({ outcome: 'already-handled', status: 'UNCERTAIN' });
    expect(w.delivered).toHaveLength(1);
    expect(w.events.filter((e) => e === 'sendEmail')).toHaveLength(1);
  });

  it('resends a warning whose answer was lost once, at once, and counts the possible duplicate', async () => {
    const w = world();
    const counted: string[] = [];
    w.loseAnswers.count = 1;
    const sms = warning('sms');
    const outcome = await deliver(w, sms, { count: (m) => counted.push(m) });
    expect(outcome).toEqual({
      outcome: 'sent',
      providerMessageId: expect.stringMatching(/^sendSms-/),
      resentAfterUncertain: true,
    });
    const stored = w.notices.get(sms.noticeId)!;
    expect(stored).toMatchObject({ status: 'SENT', uncertainResends: 1 });
    expect(stored.timeline.map((t) => t.status)).toEqual(['QUEUED', 'UNCERTAIN', 'SENDING', 'SENT']);
    expect(counted).toEqual(['NoticesUncertain', 'NoticesResentAfterUncertain']);
    // Two copies at most reached the customer; the resend took a token of its own.
    expect(w.delivered).toHaveLength(2);
    expect(w.events.filter((e) => e === 'take')).toHaveLength(2);
    expect(await redeliver(w, sms)).toEqual({ outcome: 'already-handled', status: 'SENT' });
    expect(w.delivered).toHaveLength(2);
  });

  it('resends a warning only once: a second lost answer leaves it UNCERTAIN, at most two copies sent', async () => {
    const w = world();
    w.loseAnswers.count = 2;
    const email = warning('email');
    expect(await deliver(w, email)).toEqual({
      outcome: 'uncertain',
      reason: 'Error: socket hang up',
      resent: true,
    });
    expect(w.notices.get(email.noticeId)).toMatchObject({ status: 'UNCERTAIN', uncertainResends: 1 });
    expect(await redeliver(w, email)).toEqual({ outcome: 'already-handled', status: 'UNCERTAIN' });
    expect(w.delivered).toHaveLength(2);
  });

  it('resends a warning left UNCERTAIN by a sender that died before its resend, on the message’s re-delivery', async () => {
    const w = world();
    const counted: string[] = [];
    // As the dead sender left it: UNCERTAIN recorded, the resend never started, the message not deleted.
    const sms = warning('sms');
    w.notices.set(sms.noticeId, {
      ...sms,
      status: 'UNCERTAIN',
      attempts: 1,
      lastError: 'Error: socket hang up',
    });
    const outcome = await redeliver(w, sms, { count: (m) => counted.push(m) });
    expect(outcome.outcome).toBe('sent');
    expect(w.notices.get(sms.noticeId)).toMatchObject({ status: 'SENT', uncertainResends: 1 });
    expect(counted).toEqual(['NoticesResentAfterUncertain']);
    // Once: a further re-delivery finds it SENT.
    expect(await redeliver(w, sms)).toEqual({ outcome: 'already-handled', status: 'SENT' });
    expect(w.delivered).toHaveLength(1);
  });

  it('does not resume a preview or an already resent warning left UNCERTAIN', async () => {
    const w = world();
    const email = notice('email', { status: 'UNCERTAIN', attempts: 1 });
    const resent = warning('email');
    w.notices.set(email.noticeId, email);
    w.notices.set(resent.noticeId, { ...resent, status: 'UNCERTAIN', attempts: 1, uncertainResends: 1 });
    expect(await redeliver(w, email)).toEqual({ outcome: 'already-handled', status: 'UNCERTAIN' });
    expect(await redeliver(w, resent)).toEqual({ outcome: 'already-handled', status: 'UNCERTAIN' });
    expect(w.delivered).toHaveLength(0);
  });

  it('counts a resend throttled back to the queue once: the queue’s retry of it is not another resend', async () => {
    const w = world();
    w.loseAnswers.count = 1;
    const sms = warning('sms');
    w.notices.set(sms.noticeId, sms);
    // First send accepted with its answer lost; the resend refused (throttled): back to QUEUED.
    const deps = depsOf(w);
    const providers = { ...w.providers };
    let calls = 0;
    deps.providers = {
      ...providers,
      sendSms: async (m) => {
        calls++;
        if (calls === 2)
          throw new TransientError(Object.assign(new Error('Rate exceeded'), { name: 'Throttled' }));
        return providers.sendSms(m);
      },
    };
    await expect(deliverNotice(sms, deps)).rejects.toBeInstanceOf(RetryableDeliveryError);
    expect(w.notices.get(sms.noticeId)).toMatchObject({ status: 'QUEUED', uncertainResends: 1 });
    w.loseAnswers.count = 1;
    // The queue's retry is the resend's own: its answer lost again, it stays UNCERTAIN.
    expect((await deliverNotice(sms, deps)).outcome).toBe('uncertain');
    expect(w.notices.get(sms.noticeId)).toMatchObject({ status: 'UNCERTAIN', uncertainResends: 1 });
    expect(w.delivered).toHaveLength(2);
  });

  it('tags an email with its notice, so that its events find it without a message id', async () => {
    const w = world();
    w.loseAnswers.count = 1;
    const email = notice('email');
    await deliver(w, email);
    const tag = w.delivered[0]?.tags?.[NOTICE_TAG];
    expect(noticeRefOfTag(tag)).toEqual({ accountId: email.accountId, noticeId: email.noticeId });
  });

  it('moves an UNCERTAIN preview on when its delivery events arrive, found by its tag', async () => {
    const w = world();
    w.loseAnswers.count = 1;
    const email = notice('email');
    await deliver(w, email);
    const noticeRef = noticeRefOfTag(w.delivered[0]?.tags?.[NOTICE_TAG]);
    const deps = { notices: w.table, suppressions: w.table, recipientKeys: testRecipientKeyer };
    // SES's Send event says it accepted the message: SENT, with the id the lost answer carried.
    expect(
      await recordDeliveryEvent(
        { providerMessageId: 'ses-lost-1', eventType: 'Send', noticeRef: noticeRef! },
        deps,
      ),
    ).toEqual({ outcome: 'updated', status: 'SENT' });
    expect(w.notices.get(email.noticeId)).toMatchObject({ status: 'SENT', providerMessageId: 'ses-lost-1' });
    // Later events find it by that id, as for any sent notice.
    expect(
      await recordDeliveryEvent({ providerMessageId: 'ses-lost-1', eventType: 'Delivery' }, deps),
    ).toEqual({ outcome: 'updated', status: 'DELIVERED' });
  });

  it('moves an UNCERTAIN preview straight to DELIVERED or BOUNCED when no Send event came first', async () => {
    for (const [eventType, status] of [
      ['Delivery', 'DELIVERED'],
      ['Bounce', 'BOUNCED'],
    ] as const) {
      const w = world();
      w.loseAnswers.count = 1;
      const email = notice('email');
      await deliver(w, email);
      const noticeRef = noticeRefOfTag(w.delivered[0]?.tags?.[NOTICE_TAG])!;
      const event = { providerMessageId: 'ses-lost-2', eventType, noticeRef, bounceType: 'Permanent' };
      expect(
        await recordDeliveryEvent(event, {
          notices: w.table,
          suppressions: w.table,
          recipientKeys: testRecipientKeyer,
        }),
      ).toEqual({
        outcome: 'updated',
        status,
      });
    }
  });

  it('ignores a hostile or foreign tag: the event is of an unknown message, nothing moves', async () => {
    const w = world();
    w.loseAnswers.count = 1;
    const email = notice('email');
    await deliver(w, email);
    for (const tag of [
      undefined,
      '',
      'not base64 at all!',
      Buffer.from('{"accountId":"x"}').toString('base64url'),
      Buffer.from(JSON.stringify(['', email.noticeId])).toString('base64url'),
      'A'.repeat(100_000),
    ]) {
      const noticeRef = noticeRefOfTag(tag);
      expect(noticeRef, String(tag).slice(0, 20)).toBeUndefined();
      expect(
        await recordDeliveryEvent(
          { providerMessageId: 'ses-other', eventType: 'Delivery' },
          { notices: w.table, suppressions: w.table, recipientKeys: testRecipientKeyer },
        ),
      ).toEqual({ outcome: 'unknown-message' });
    }
    // A well-formed tag naming a notice that does not exist is an unknown message too.
    const ghost = noticeRefOfTag(noticeTagValue({ accountId: 'nobody', noticeId: 'none' }))!;
    expect(
      await recordDeliveryEvent(
        { providerMessageId: 'ses-ghost', eventType: 'Delivery', noticeRef: ghost },
        { notices: w.table, suppressions: w.table, recipientKeys: testRecipientKeyer },
      ),
    ).toEqual({ outcome: 'unknown-message' });
    expect(w.notices.get(email.noticeId)?.status).toBe('UNCERTAIN');
  });

  it('honours a claim for the configured lease: staleBefore is now minus the lease', async () => {
    const w = world();
    const seen: string[] = [];
    const claiming = Object.assign({}, w.table, {
      claimNotice: (ref: { accountId: string; noticeId: string }, staleBefore: string) => {
        seen.push(staleBefore);
        return w.table.claimNotice(ref, staleBefore);
      },
    });
    const email = notice('email');
    await deliver(w, email, {
      notices: claiming,
      config: { fromAddress: 'billing@keybill-power.example.cn', claimLeaseMs: 60_000 },
    });
    await deliver(w, notice('sms'), { notices: claiming });
    expect(seen).toEqual([
      new Date(NOW.getTime() - 60_000).toISOString(),
      new Date(NOW.getTime() - DEFAULT_CLAIM_LEASE_MS).toISOString(),
    ]);
  });
});

describe('the claim lease from the environment the stack sets (NOTICE_CLAIM_LEASE_SECONDS)', () => {
  it('reads whole seconds, and leaves the default when unset', async () => {
    const { claimLeaseFromEnv } = await import('#wiring/index.ts');
    expect(claimLeaseFromEnv('60')).toEqual({ claimLeaseMs: 60_000 });
    expect(claimLeaseFromEnv(undefined)).toEqual({});
    expect(claimLeaseFromEnv('')).toEqual({});
  });

  it.each([
    ['zero', '0'],
    ['negative', '-60'],
    ['fractional', '1.5'],
    ['exponent', '6e1'],
    ['padded', ' 60'],
    ['words', 'sixty'],
    ['over 12 hours', '99999'],
    ['100,000 digits', '1'.repeat(100_000)],
    ['hostile', '60; rm -rf /'],
  ])('refuses a %s value at cold start, naming the variable', async (_what, value) => {
    const { claimLeaseFromEnv } = await import('#wiring/index.ts');
    expect(() => claimLeaseFromEnv(value)).toThrow(/^NOTICE_CLAIM_LEASE_SECONDS must be a whole number/);
  });
});
