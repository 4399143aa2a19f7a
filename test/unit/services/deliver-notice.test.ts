import { describe, expect, it } from 'vitest';
import { RetryableDeliveryError } from '#services/deliver-notice.ts';
import { Lookahead } from '#services/pacing.ts';
import { TransientError } from '#services/ports/index.ts';
import { testRecipientKeys } from '../domain/recipient-key.fixtures.ts';
import { ACCOUNT, deliver, notice, PERIOD, tick, until, world } from './deliver-notice.fixtures.ts';

describe('deliverNotice: the pacing token between a prepared message and its send', () => {
  it('reads everything before the token; once it is granted, records the call as started and calls the provider', async () => {
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
      'listHolds',
      'claimed',
    ]);
    expect(w.events.slice(taken)).toEqual(['take', 'granted', 'callStarted', 'sendEmail', 'SENT']);
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
      'callStarted',
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
    expect(w.events).toEqual([
      'claim email',
      'suppressionOf',
      'getBill',
      'getAccount',
      'getBillHistory',
      'listHolds',
    ]);
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
