import type { MessageProviders } from '../adapters/providers.ts';
import { isRetryableProviderError } from '../adapters/providers.ts';
import type { KeybillRepository, StoredNotice } from '../adapters/repository.ts';
import type { NoticeMessage } from '../adapters/notice-queue.ts';
import { billSummary } from '../domain/billing/index.ts';
import { maskEmail, maskPhone, normalisePhoneNumber, renderBillPreviewEmail, renderBillPreviewSms } from '../notify/index.ts';

export interface SenderConfig {
  fromAddress: string;
  configurationSet?: string;
  smsSenderId?: string;
}

export type DeliveryOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'already-handled'; status: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'missing' };

/** Thrown for a failure worth retrying: the queue re-delivers the message after its visibility timeout. */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
}

/** A SENDING claim older than this belongs to a sender that died; another delivery may take it over. */
const CLAIM_LEASE_MS = 5 * 60 * 1000;

/**
 * Sends one notice at most once per successful claim: the conditional move to SENDING is the claim, so of
 * any number of deliveries of the same queue message only one reaches the provider.
 */
export async function deliverNotice(
  message: NoticeMessage,
  deps: {
    repository: KeybillRepository;
    providers: MessageProviders;
    config: SenderConfig;
    log?: (message: string, fields?: Record<string, unknown>) => void;
  },
): Promise<DeliveryOutcome> {
  const { repository, providers, config } = deps;
  const log = deps.log ?? (() => {});
  const notice = await repository.getNotice(message.accountId, message.noticeId);
  if (notice === undefined) return { outcome: 'missing' };
  const claimable = notice.status === 'QUEUED' || notice.status === 'DEFERRED' ||
    (notice.status === 'SENDING' && Date.parse(notice.updatedAt) < Date.now() - CLAIM_LEASE_MS);
  if (!claimable) return { outcome: 'already-handled', status: notice.status };
  const claimed = await repository.transitionNotice(notice, [notice.status], 'SENDING', { countAttempt: true });
  if (!claimed) return { outcome: 'already-handled', status: 'claimed-elsewhere' };

  const recipientForLogs = notice.channel === 'email' ? maskEmail(notice.recipient.address) : maskPhone(notice.recipient.address);
  try {
    const providerMessageId = await sendThroughProvider(notice, deps);
    await repository.transitionNotice(notice, ['SENDING'], 'SENT', { providerMessageId });
    log('notice sent', { noticeId: notice.noticeId, channel: notice.channel, recipient: recipientForLogs });
    return { outcome: 'sent', providerMessageId };
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    if (isRetryableProviderError(error)) {
      await repository.transitionNotice(notice, ['SENDING'], 'QUEUED', { lastError: reason, detail: 'retry' });
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
  deps: { repository: KeybillRepository; providers: MessageProviders; config: SenderConfig },
): Promise<string> {
  const [stored, account] = await Promise.all([
    deps.repository.getBill(notice.accountId, notice.period, notice.billVersion),
    deps.repository.getAccount(notice.accountId),
  ]);
  if (stored === undefined || account === undefined) {
    throw new Error(`notice ${notice.noticeId}: its bill or account is gone`);
  }
  const language = notice.recipient.language;
  const corrected = notice.billVersion > 1;
  if (notice.channel === 'email') {
    const history = (await deps.repository.getBillHistory(notice.accountId, notice.period, 12)).map((b) => billSummary(b.document));
    const email = renderBillPreviewEmail({ bill: stored.document, account, language, history, corrected, version: notice.billVersion });
    const { messageId } = await deps.providers.sendEmail({
      from: deps.config.fromAddress,
      to: notice.recipient.address,
      subject: email.subject,
      html: email.html,
      text: email.text,
      configurationSet: deps.config.configurationSet,
      tags: { accountId: notice.accountId, kind: notice.kind, period: notice.period },
    });
    return messageId;
  }
  const phone = normalisePhoneNumber(notice.recipient.address);
  if (!phone.ok) throw new InvalidRecipientError(`phone number is not valid: ${phone.reason}`);
  const sms = renderBillPreviewSms({ bill: stored.document, account, language, corrected });
  const { messageId } = await deps.providers.sendSms({ phoneNumber: phone.e164, text: sms.text, senderId: deps.config.smsSenderId });
  return messageId;
}

class InvalidRecipientError extends Error {
  override readonly name = 'InvalidRecipientError';
}
