import { describe, expect, it } from 'vitest';
import type { StoredNotice } from '#domain/notices.ts';
import { NOTICE_TAG, noticeRefOfTag, noticeTagValue } from '#domain/notices.ts';
import {
  DEFAULT_CLAIM_LEASE_MS,
  deliverNotice,
  RetryableDeliveryError,
  type SenderDeps,
} from '#services/deliver-notice.ts';
import { TransientError } from '#services/ports/index.ts';
import { recordDeliveryEvent } from '#services/record-delivery.ts';
import { testRecipientKeyer } from '../domain/recipient-key.fixtures.ts';
import { deliver, depsOf, NOW, notice, type World, world } from './deliver-notice.fixtures.ts';

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
