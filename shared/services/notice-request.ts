import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import { billSummary } from '#domain/billing/index.ts';
import {
  NOTICE_TAG,
  type NoticeChannel,
  noticeTagValue,
  previewCorrectsEarlier,
  type StoredNotice,
} from '#domain/notices.ts';
import { RECIPIENT_KEY_PATTERN, type RecipientKeyOf } from '#domain/recipient-key.ts';
import {
  normalisePhoneNumber,
  renderAnswerLinks,
  renderBillPreviewEmail,
  renderBillPreviewSms,
  smsWithAnswerLink,
  withAnswerLinks,
} from '#notify/index.ts';
import type { NoticeLinks } from './answers/answer-links.ts';
import { billHistoryAsSent } from './bills-as-sent.ts';
import type { SenderDeps } from './deliver-notice.ts';
import type { EmailMessage, NoticeMessage, SmsMessage } from './ports/index.ts';

/*
 * The provider request of a notice: what it is rendered from (a bill preview reads its bill, account and
 * history; a warning carries its text; a preview's reads may start with its claim, see readAhead) and the
 * rendered email or SMS, with the tags its events come back with.
 */

/** A notice that cannot be sent as it stands (its bill is gone, its number is not a mobile number). */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/** What a bill preview is rendered from; a warning carries its content and needs no reads. */
export interface SendInputs {
  bill?: StoredBill;
  account?: Account;
  history?: StoredBill[];
}

/** Earlier periods read for an email preview's history chart (up to twelve bars, the previewed one included). */
const HISTORY_PERIODS = 12;

/**
 * What a preview is rendered from. Its history is of the earlier periods as the customer was sent them
 * (billHistoryAsSent): a total an operator still holds, or one replaced unseen, never reaches a customer
 * through a later preview's chart.
 */
export function readSendInputs(
  notice: Pick<StoredNotice, 'accountId' | 'period' | 'billVersion' | 'channel' | 'content'>,
  deps: Pick<SenderDeps, 'bills' | 'accounts' | 'holds'>,
): Promise<SendInputs> {
  if (notice.content !== undefined) return Promise.resolve({});
  return Promise.all([
    deps.bills.getBill(notice.accountId, notice.period, notice.billVersion),
    deps.accounts.getAccount(notice.accountId),
    notice.channel === 'email'
      ? billHistoryAsSent(notice.accountId, notice.period, HISTORY_PERIODS, deps).then((h) => h.sent)
      : Promise.resolve(undefined),
  ]).then(([bill, account, history]) => ({ bill, account, history }));
}

export type Outgoing = { channel: 'email'; email: EmailMessage } | { channel: 'sms'; sms: SmsMessage };

/** The provider request of a notice, rendered (CPU work done before the pacing token is taken). */
export function prepareSend(
  notice: StoredNotice,
  inputs: SendInputs,
  deps: Pick<SenderDeps, 'config'>,
  links?: NoticeLinks,
): Outgoing {
  const { content } = notice;
  // The answer links go under the message; a warning's stored text (its evidence) is not changed.
  const linked = (email: { html: string; text: string }) =>
    links?.channel === 'email'
      ? withAnswerLinks(email, renderAnswerLinks(links.links, notice.recipient.language, notice.kind))
      : email;
  const smsLink = links?.channel === 'sms' ? links.url : undefined;
  if (content === undefined && (inputs.bill === undefined || inputs.account === undefined)) {
    throw new PermanentDeliveryError(`notice ${notice.noticeId}: its bill or account is gone`);
  }
  // The notice's own tag lets its delivery events find it even when the answer with its message id was lost.
  const noticeTag = noticeTagValue(notice);
  const tags = {
    accountId: notice.accountId,
    kind: notice.kind,
    period: notice.period,
    ...(noticeTag === undefined ? {} : { [NOTICE_TAG]: noticeTag }),
  };
  if (notice.channel === 'email') {
    if (content !== undefined) {
      // A warning goes out exactly as it was planned and hashed: its text is evidence.
      const body = linked({
        html:
          content.html ??
          `<pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(content.text)}</pre>`,
        text: content.text,
      });
      return {
        channel: 'email',
        email: {
          from: deps.config.fromAddress,
          to: notice.recipient.address,
          subject: content.subject ?? content.text.split('\n')[0]!.slice(0, 120),
          html: body.html,
          text: body.text,
          configurationSet: deps.config.configurationSet,
          tags,
        },
      };
    }
    const rendered = renderBillPreviewEmail({
      bill: billLeadingWithPlannedAdvice(notice, inputs.bill!),
      account: inputs.account!,
      language: notice.recipient.language,
      history: (inputs.history ?? []).map((b) => billSummary(b.document)),
      corrected: previewCorrectsEarlier(notice),
      version: notice.billVersion,
    });
    const email = { subject: rendered.subject, ...linked(rendered) };
    return {
      channel: 'email',
      email: {
        from: deps.config.fromAddress,
        to: notice.recipient.address,
        subject: email.subject,
        html: email.html,
        text: email.text,
        configurationSet: deps.config.configurationSet,
        tags,
      },
    };
  }
  const phone = normalisePhoneNumber(notice.recipient.address, 'CN', { requireMobile: true });
  if (!phone.ok)
    throw new PermanentDeliveryError(`phone number is not a valid mobile number: ${phone.reason}`);
  const text =
    content === undefined
      ? renderBillPreviewSms({
          bill: inputs.bill!.document,
          account: inputs.account!,
          language: notice.recipient.language,
          corrected: previewCorrectsEarlier(notice),
          ...(smsLink === undefined ? {} : { answerLink: smsLink }),
        }).text
      : smsWithAnswerLink(content.text, smsLink);
  return {
    channel: 'sms',
    sms: { phoneNumber: phone.e164, text, senderId: deps.config.smsSenderId },
  };
}

/** The account's service plan decides which advice the preview leads with. */
function billLeadingWithPlannedAdvice(notice: StoredNotice, stored: StoredBill): BillDocument {
  const lead = (notice.evidence?.servicePlan as { leadAdvice?: string | null } | undefined)?.leadAdvice;
  return lead == null
    ? stored.document
    : {
        ...stored.document,
        advice: [...stored.document.advice].sort((x, y) => Number(y.kind === lead) - Number(x.kind === lead)),
      };
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A bill preview's notice id: `<period>#V<version>#bill-preview#<channel>#<recipient key>`. */
const BILL_PREVIEW_ID = new RegExp(
  `^(?<period>\\d{4}-\\d{2})#V(?<version>\\d+)#bill-preview#(?<channel>email|sms)#(?<key>${RECIPIENT_KEY_PATTERN})$`,
);

export interface ReadsAhead {
  /**
   * Whether the reads are the claimed notice's: its id told the truth, and its recipient key is the one
   * in force (an id made under an earlier key would have read a suppression under that key).
   */
  matches(notice: StoredNotice, recipientKeyOf: RecipientKeyOf): boolean;
  suppression: Promise<string | undefined>;
  inputs: Promise<SendInputs>;
}

/**
 * A bill preview's id names everything its send reads (the period and version of its bill, the channel,
 * the recipient's suppression key), so those reads start with the claim instead of after it: the first
 * notice of an invocation is ready one round trip sooner. They are used only if the claimed notice is that
 * preview; a lost claim or a deferral wastes a few reads.
 */
export function readAhead(message: NoticeMessage, deps: SenderDeps): ReadsAhead | undefined {
  const groups = BILL_PREVIEW_ID.exec(message.noticeId)?.groups;
  if (groups === undefined) return undefined;
  const { period = '', key = '' } = groups;
  const billVersion = Number(groups.version);
  const channel = groups.channel as NoticeChannel;
  return {
    matches: (notice, recipientKeyOf) =>
      notice.kind === 'bill-preview' &&
      notice.content === undefined &&
      notice.accountId === message.accountId &&
      notice.period === period &&
      notice.billVersion === billVersion &&
      notice.channel === channel &&
      recipientKeyOf(notice.channel, notice.recipient.address) === key,
    suppression: settledLater(deps.suppressions.suppressionOf(channel, key)),
    inputs: settledLater(
      readSendInputs(
        { accountId: message.accountId, period, billVersion, channel, content: undefined },
        deps,
      ),
    ),
  };
}

/** A promise that may be dropped unawaited (a step before it returned first) without an unhandled rejection. */
export function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
