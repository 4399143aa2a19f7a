import { describe, expect, it } from 'vitest';
import type { StoredNotice } from '#domain/notices.ts';
import { DEFAULT_CLAIM_LEASE_MS, deliverNotice, type SenderDeps } from '#services/deliver-notice.ts';
import { depsOf, NOW, notice, type World, world } from './deliver-notice.fixtures.ts';

/*
 * A claim whose sender stopped (crashed, timed out, lost the table after the send) lapses after the lease
 * and the message's re-delivery takes it over. What the next sender does depends on how far the first got:
 * a provider call recorded as started has an unknown outcome, so it is settled by the uncertain-send policy
 * (a preview is never sent twice; a warning is resent once, counted); a claim that never reached the
 * provider is simply sent.
 */

const LAPSED = new Date(NOW.getTime() - DEFAULT_CLAIM_LEASE_MS - 1_000).toISOString();
const LIVE = new Date(NOW.getTime() - 1_000).toISOString();

const warning = (channel: 'email' | 'sms', extra: Partial<StoredNotice> = {}) =>
  notice(channel, {
    noticeId: `ARREARS#${channel}0123456789abcdef0123456789abcdef`,
    kind: 'arrears-warning',
    content: { subject: '停电预警', text: '您的电费已逾期，将于 11 月 9 日停电。', textSha256: 'sha' },
    ...extra,
  });

/** A notice left SENDING by a sender that stopped at `updatedAt`, its provider call started or not. */
const leftSending = (n: StoredNotice, updatedAt: string, providerCallPending: boolean): StoredNotice => ({
  ...n,
  status: 'SENDING',
  attempts: 1,
  updatedAt,
  ...(providerCallPending ? { providerCallPending: true } : {}),
  timeline: [...n.timeline, { at: updatedAt, status: 'SENDING' }],
});

async function redeliver(w: World, n: StoredNotice, extra: Partial<SenderDeps> = {}) {
  w.notices.set(n.noticeId, n);
  return deliverNotice({ accountId: n.accountId, noticeId: n.noticeId }, depsOf(w, extra));
}

describe('deliverNotice: taking over the claim of a sender that stopped', () => {
  it('leaves an email preview whose provider call had started UNCERTAIN, for its Send event to settle', async () => {
    const w = world();
    const counted: string[] = [];
    const email = leftSending(notice('email'), LAPSED, true);
    const outcome = await redeliver(w, email, { count: (m) => counted.push(m) });
    expect(outcome).toEqual({
      outcome: 'uncertain',
      reason: 'the sender stopped after calling the provider, before recording its answer',
      resent: false,
    });
    const stored = w.notices.get(email.noticeId)!;
    expect(stored.status).toBe('UNCERTAIN');
    expect(stored.providerCallPending).toBeUndefined();
    expect(stored.timeline.at(-1)?.detail).toMatch(/^claim lapsed, may have been accepted/);
    expect(w.delivered).toHaveLength(0);
    expect(counted).toEqual(['NoticesUncertain']);
  });

  it('resends an SMS preview whose provider call had started, once, counted: no event could ever settle it', async () => {
    const w = world();
    const counted: string[] = [];
    const sms = leftSending(notice('sms'), LAPSED, true);
    expect(await redeliver(w, sms, { count: (m) => counted.push(m) })).toMatchObject({ outcome: 'sent' });
    expect(w.delivered).toHaveLength(1);
    const stored = w.notices.get(sms.noticeId)!;
    expect(stored).toMatchObject({ status: 'SENT', uncertainResends: 1 });
    expect(stored.timeline.map((t) => t.detail ?? t.status)).toContain(
      'resent after its sender stopped mid-call (no event can tell whether the sms left; may be a duplicate)',
    );
    expect(counted).toEqual(['NoticesUncertain', 'NoticesResentAfterUncertain']);
  });

  it('does not resend an SMS preview whose answer was lost: the provider had the request', async () => {
    const w = world();
    w.loseAnswers.count = 1;
    const sms = notice('sms');
    expect(await redeliver(w, sms)).toMatchObject({ outcome: 'uncertain', resent: false });
    expect(await redeliver(w, w.notices.get(sms.noticeId)!)).toEqual({
      outcome: 'already-handled',
      status: 'UNCERTAIN',
    });
    expect(w.delivered).toHaveLength(1);
  });

  it('resends a warning whose provider call had started, once, counting the possible duplicate', async () => {
    const w = world();
    const counted: string[] = [];
    const sms = leftSending(warning('sms'), LAPSED, true);
    const outcome = await redeliver(w, sms, { count: (m) => counted.push(m) });
    expect(outcome).toMatchObject({ outcome: 'sent' });
    expect(w.delivered).toHaveLength(1);
    expect(w.notices.get(sms.noticeId)).toMatchObject({ status: 'SENT', uncertainResends: 1 });
    expect(counted).toEqual(['NoticesUncertain', 'NoticesResentAfterUncertain']);
  });

  it('does not resend a warning whose resend had itself started: at most two copies', async () => {
    const w = world();
    const sms = leftSending(warning('sms', { uncertainResends: 1 }), LAPSED, true);
    expect(await redeliver(w, sms)).toMatchObject({ outcome: 'uncertain', resent: false });
    expect(w.delivered).toHaveLength(0);
    expect(w.notices.get(sms.noticeId)?.status).toBe('UNCERTAIN');
  });

  it('sends a notice whose sender stopped before calling the provider, as it was never sent', async () => {
    for (const n of [notice('email'), warning('sms')]) {
      const w = world();
      const counted: string[] = [];
      const outcome = await redeliver(w, leftSending(n, LAPSED, false), { count: (m) => counted.push(m) });
      expect(outcome).toMatchObject({ outcome: 'sent' });
      expect(w.delivered).toHaveLength(1);
      expect(w.notices.get(n.noticeId)).toMatchObject({ status: 'SENT' });
      expect(w.notices.get(n.noticeId)?.uncertainResends).toBeUndefined();
      expect(counted).toEqual([]);
    }
  });

  it('keeps the message of a claim still within its lease, touching nothing', async () => {
    const w = world();
    const email = leftSending(notice('email'), LIVE, true);
    await expect(redeliver(w, email)).rejects.toThrow(/being sent by another delivery/);
    expect(w.notices.get(email.noticeId)).toMatchObject({ status: 'SENDING', providerCallPending: true });
    expect(w.delivered).toHaveLength(0);
  });

  it('does not call the provider when its claim was taken from it before the call', async () => {
    const w = world();
    const email = notice('email');
    const refusing = Object.assign({}, w.table, {
      // As the table answers a sender whose notice someone else moved on meanwhile.
      markProviderCallStarted: async () => false,
    });
    const outcome = await redeliver(w, email, { notices: refusing });
    expect(outcome).toEqual({ outcome: 'already-handled', status: 'claim lost before the send' });
    expect(w.delivered).toHaveLength(0);
  });

  it('clears the started call when the outcome is recorded', async () => {
    const w = world();
    const email = notice('email');
    expect((await redeliver(w, email)).outcome).toBe('sent');
    expect(w.events).toContain('callStarted');
    expect(w.notices.get(email.noticeId)).toMatchObject({ status: 'SENT' });
    expect(w.notices.get(email.noticeId)?.providerCallPending).toBeUndefined();
  });
});
