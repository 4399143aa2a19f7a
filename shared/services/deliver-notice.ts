import type { NoticeMessage, NoticeQueue } from '../adapters/notice-queue.ts';
import type { TokenBucket } from '../adapters/pacing.ts';
import type { MessageProviders } from '../adapters/providers.ts';
import { isRetryableProviderError } from '../adapters/providers.ts';
import type { KeybillRepository, StoredNotice } from '../adapters/repository.ts';
import { billSummary } from '../domain/billing/index.ts';
import { recipientKey } from '../domain/notices.ts';
import { isQuietTime, type QuietHours, quietHoursEnd } from '../domain/quiet-hours.ts';
import {
  maskEmail,
  maskPhone,
  normalisePhoneNumber,
  renderBillPreviewEmail,
  renderBillPreviewSms,
} from '../notify/index.ts';

export interface SenderConfig {
  fromAddress: string;
  configurationSet?: string;
  smsSenderId?: string;
  /** SMS inside these hours are deferred to their end, never dropped. */
  smsQuietHours?: QuietHours | null;
}

export interface SenderDeps {
  repository: KeybillRepository;
  providers: MessageProviders;
  config: SenderConfig;
  /** Per-channel pace of this sender instance (quota ÷ max concurrency). */
  pace?: { email?: TokenBucket; sms?: TokenBucket };
  now?: () => Date;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export type DeliveryOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'deferred'; until: string }
  | { outcome: 'suppressed'; reason: string }
  | { outcome: 'already-handled'; status: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'missing' };

/** Thrown for a failure worth retrying: the queue re-delivers the message after its visibility timeout. */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
}

class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/** A SENDING claim older than this belongs to a sender that died; another delivery may take it over. */
const CLAIM_LEASE_MS = 5 * 60 * 1000;

/**
 * Sends one notice at most once per successful claim: the conditional move to SENDING is the claim, so of
 * any number of deliveries of the same queue message only one reaches the provider. Suppressed and
 * opted-out recipients are recorded, not sent to; SMS in quiet hours are deferred.
 */
export async function deliverNotice(message: NoticeMessage, deps: SenderDeps): Promise<DeliveryOutcome> {
  const { repository } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  // One round trip in the common case: the conditional update is the claim and returns the notice.
  const staleBefore = new Date(now().getTime() - CLAIM_LEASE_MS).toISOString();
  const notice = await repository.claimNotice(message, staleBefore);
  if (notice === undefined) {
    const current = await repository.getNotice(message.accountId, message.noticeId);
    if (current === undefined) return { outcome: 'missing' };
    // Another delivery holds the claim: keep this message until it finishes (a failed send goes back to
    // QUEUED and needs a message to be sent again; a crashed sender's claim lapses).
    if (current.status === 'SENDING' || current.status === 'QUEUED') {
      throw new RetryableDeliveryError('notice is being sent by another delivery');
    }
    return { outcome: 'already-handled', status: current.status };
  }

  const recipientForLogs =
    notice.channel === 'email' ? maskEmail(notice.recipient.address) : maskPhone(notice.recipient.address);
  const suppressed = await repository.suppressionOf(
    notice.channel,
    recipientKey(notice.channel, notice.recipient.address),
  );
  if (suppressed !== undefined) {
    await repository.transitionNotice(notice, ['SENDING'], 'SUPPRESSED', { detail: suppressed });
    log('notice suppressed', { noticeId: notice.noticeId, recipient: recipientForLogs, reason: suppressed });
    return { outcome: 'suppressed', reason: suppressed };
  }
  // A preview planned for a later day (the segment's days before the due date) waits for the daily release.
  // Warnings are produced when due (by the scan or their schedule) and go out at once.
  if (
    notice.kind === 'bill-preview' &&
    notice.sendAt !== undefined &&
    Date.parse(notice.sendAt) > now().getTime()
  ) {
    await repository.transitionNotice(notice, ['SENDING'], 'DEFERRED', {
      detail: `scheduled for ${notice.sendAt}`,
    });
    return { outcome: 'deferred', until: notice.sendAt };
  }
  const quiet = deps.config.smsQuietHours;
  if (notice.channel === 'sms' && quiet != null && isQuietTime(now(), quiet)) {
    const until = quietHoursEnd(now(), quiet).toISOString();
    await repository.transitionNotice(notice, ['SENDING'], 'DEFERRED', {
      detail: `quiet hours until ${until}`,
    });
    log('sms deferred for quiet hours', { noticeId: notice.noticeId, until });
    return { outcome: 'deferred', until };
  }

  try {
    // The token is taken as soon as the notice is claimed, so that reading and rendering overlap with the
    // wait: the sends stay at the configured pace instead of falling behind it by the preparation time.
    await deps.pace?.[notice.channel]?.take();
    const sent = await sendThroughProvider(notice, deps);
    if (sent.optedOut) {
      await repository.suppressRecipient('sms', recipientKey('sms', notice.recipient.address), 'opted-out');
      await repository.transitionNotice(notice, ['SENDING'], 'SUPPRESSED', { detail: 'opted-out' });
      log('notice suppressed', {
        noticeId: notice.noticeId,
        recipient: recipientForLogs,
        reason: 'opted-out',
      });
      return { outcome: 'suppressed', reason: 'opted-out' };
    }
    await repository.transitionNotice(notice, ['SENDING'], 'SENT', { providerMessageId: sent.messageId });
    log('notice sent', { noticeId: notice.noticeId, channel: notice.channel, recipient: recipientForLogs });
    return { outcome: 'sent', providerMessageId: sent.messageId };
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    if (!(error instanceof PermanentDeliveryError) && isRetryableProviderError(error)) {
      await repository.transitionNotice(notice, ['SENDING'], 'QUEUED', {
        lastError: reason,
        detail: 'retry',
      });
      log('notice send throttled or failed transiently', { noticeId: notice.noticeId, reason });
      throw new RetryableDeliveryError(reason);
    }
    await repository.transitionNotice(notice, ['SENDING'], 'FAILED', { lastError: reason, detail: reason });
    log('notice failed permanently', { noticeId: notice.noticeId, recipient: recipientForLogs, reason });
    return { outcome: 'failed', reason };
  }
}

async function sendThroughProvider(
  notice: StoredNotice,
  deps: SenderDeps,
): Promise<{ messageId: string; optedOut?: false } | { optedOut: true; messageId?: undefined }> {
  if (notice.content !== undefined) return sendStoredContent(notice, notice.content, deps);
  const [stored, account] = await Promise.all([
    deps.repository.getBill(notice.accountId, notice.period, notice.billVersion),
    deps.repository.getAccount(notice.accountId),
  ]);
  if (stored === undefined || account === undefined) {
    throw new PermanentDeliveryError(`notice ${notice.noticeId}: its bill or account is gone`);
  }
  const language = notice.recipient.language;
  const corrected = notice.billVersion > 1;
  if (notice.channel === 'email') {
    const history = (await deps.repository.getBillHistory(notice.accountId, notice.period, 12)).map((b) =>
      billSummary(b.document),
    );
    // The account's service plan decides which advice the preview leads with.
    const lead = (notice.evidence?.servicePlan as { leadAdvice?: string | null } | undefined)?.leadAdvice;
    const bill =
      lead == null
        ? stored.document
        : {
            ...stored.document,
            advice: [...stored.document.advice].sort(
              (x, y) => Number(y.kind === lead) - Number(x.kind === lead),
            ),
          };
    const email = renderBillPreviewEmail({
      bill,
      account,
      language,
      history,
      corrected,
      version: notice.billVersion,
    });
    return deps.providers.sendEmail({
      from: deps.config.fromAddress,
      to: notice.recipient.address,
      subject: email.subject,
      html: email.html,
      text: email.text,
      configurationSet: deps.config.configurationSet,
      tags: { accountId: notice.accountId, kind: notice.kind, period: notice.period },
    });
  }
  const phone = normalisePhoneNumber(notice.recipient.address, 'CN', { requireMobile: true });
  if (!phone.ok)
    throw new PermanentDeliveryError(`phone number is not a valid mobile number: ${phone.reason}`);
  if (await deps.providers.isPhoneOptedOut(phone.e164)) return { optedOut: true };
  const sms = renderBillPreviewSms({ bill: stored.document, account, language, corrected });
  return deps.providers.sendSms({
    phoneNumber: phone.e164,
    text: sms.text,
    senderId: deps.config.smsSenderId,
  });
}

/** A warning goes out exactly as it was planned and hashed: its text is evidence. */
async function sendStoredContent(
  notice: StoredNotice,
  content: NonNullable<StoredNotice['content']>,
  deps: SenderDeps,
): Promise<{ messageId: string; optedOut?: false } | { optedOut: true; messageId?: undefined }> {
  if (notice.channel === 'email') {
    return deps.providers.sendEmail({
      from: deps.config.fromAddress,
      to: notice.recipient.address,
      subject: content.subject ?? content.text.split('\n')[0]!.slice(0, 120),
      html:
        content.html ??
        `<pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(content.text)}</pre>`,
      text: content.text,
      configurationSet: deps.config.configurationSet,
      tags: { accountId: notice.accountId, kind: notice.kind, period: notice.period },
    });
  }
  const phone = normalisePhoneNumber(notice.recipient.address, 'CN', { requireMobile: true });
  if (!phone.ok)
    throw new PermanentDeliveryError(`phone number is not a valid mobile number: ${phone.reason}`);
  if (await deps.providers.isPhoneOptedOut(phone.e164)) return { optedOut: true };
  return deps.providers.sendSms({
    phoneNumber: phone.e164,
    text: content.text,
    senderId: deps.config.smsSenderId,
  });
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * Puts SMS deferred for quiet hours back on the queue once the hours are over (run by a schedule at their
 * end, and safe to run at any time: a notice still inside quiet hours is simply deferred again).
 */
export async function releaseDeferredNotices(deps: {
  repository: KeybillRepository;
  queue: NoticeQueue;
}): Promise<number> {
  const deferred = await deps.repository.listNoticesByStatus('DEFERRED');
  const released: NoticeMessage[] = [];
  for (const notice of deferred) {
    if (
      await deps.repository.transitionNotice(notice, ['DEFERRED'], 'QUEUED', {
        detail: 'released after quiet hours',
      })
    ) {
      released.push({ accountId: notice.accountId, noticeId: notice.noticeId });
    }
  }
  await deps.queue.enqueue(released);
  return released.length;
}
