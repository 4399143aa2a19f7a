import { actionsFor, LINK_VALIDITY_DAYS, signLinkToken, smsLinkCode } from '#domain/answers/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import type { AnswerLink } from '#notify/index.ts';
import { keyringFor } from '../keyring.ts';
import type { SecretStore, SmsLinkStore } from '../ports/index.ts';

/*
 * The answer links of a notice as the sender renders it: an email gets one signed link per answer its
 * kind offers; an SMS one short link (its code stored under the notice, so the text stays short). Only
 * customers' previews and warnings get links; a manager's or the authority's copy does not.
 */

export interface AnswerLinkConfig {
  secrets: SecretStore;
  /** Name or ARN of the signing key (LINK_SIGNING_SECRET_ID). */
  signingSecret: string;
  /** The public endpoint, without a trailing slash (ANSWER_BASE_URL). */
  baseUrl: string;
  smsLinks: Pick<SmsLinkStore, 'putSmsLink'>;
}

export type NoticeLinks = { channel: 'email'; links: AnswerLink[] } | { channel: 'sms'; url: string };

export async function answerLinksFor(
  notice: Pick<StoredNotice, 'accountId' | 'noticeId' | 'kind' | 'channel' | 'recipient'>,
  config: AnswerLinkConfig,
  now: Date,
): Promise<NoticeLinks | undefined> {
  const actions = actionsFor(notice.kind);
  if (actions.length === 0 || notice.recipient.role !== 'customer') return undefined;
  const { current } = await keyringFor(config.secrets, config.signingSecret);
  const expiresAt = Math.floor(now.getTime() / 1000) + LINK_VALIDITY_DAYS * 86_400;
  if (notice.channel === 'sms') {
    const code = smsLinkCode(current, notice.accountId, notice.noticeId);
    await config.smsLinks.putSmsLink(code, {
      accountId: notice.accountId,
      noticeId: notice.noticeId,
      keyId: current.id,
      expiresAt,
    });
    return { channel: 'sms', url: `${config.baseUrl}/s/${code}` };
  }
  return {
    channel: 'email',
    links: actions.map((action) => ({
      action,
      url: `${config.baseUrl}/a/${signLinkToken({ accountId: notice.accountId, noticeId: notice.noticeId, action, expiresAt }, current)}`,
    })),
  };
}
