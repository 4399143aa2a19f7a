import type { Account } from './account.ts';
import type { Language, Period } from './primitives.ts';
import type { RecipientKeyOf } from './recipient-key.ts';

export type NoticeChannel = 'email' | 'sms';
/** Bill previews are rendered at send time from the stored bill; warnings carry their exact text. */
export type NoticeKind =
  | 'bill-preview'
  | 'arrears-warning'
  | 'arrears-confirmation'
  | 'manager-digest'
  /** To the account manager: a bill of their account is held for review (no preview went out). */
  | 'bill-held'
  /** To the operations address: a late or partial drop (filed under the pseudo-account OPERATIONS). */
  | 'operations-notice'

  /** A customer's answer that needs the account manager, or one overdue. */
  | 'follow-up';

/** The exact message of a notice whose wording is evidence (arrears warnings): sent as stored. */
export interface NoticeContent {
  subject?: string;
  text: string;
  html?: string;
  /** SHA-256 of the exact text, kept for disputes. */
  textSha256: string;
}

/** A notice's status only moves forward (see NOTICE_STATUS_ORDER); the table enforces it with conditions. */
export type NoticeStatus =
  | 'QUEUED'
  | 'DEFERRED'
  | 'SENDING'
  | 'SENT'
  | 'DELIVERED'
  | 'BOUNCED'
  | 'COMPLAINED'
  | 'FAILED'
  | 'SUPPRESSED'
  /**
   * The provider may have accepted it, but its answer was lost. Its delivery events move it on (to SENT,
   * DELIVERED, …); a kind that is resent (`resendWhenUncertain`) goes back to SENDING once for the resend.
   */
  | 'UNCERTAIN';

export interface NoticeRecipient {
  role: 'customer' | 'account-manager' | 'authority' | 'approver' | 'operations';
  name: string;
  /** Email address or phone number as held on the account. */
  address: string;
  language: Language;
}

export interface NoticePlan {
  /** Natural key: one notice per (bill version, channel, recipient), whatever the re-deliveries. */
  noticeId: string;
  kind: NoticeKind;
  accountId: string;
  period: Period;
  billVersion: number;
  channel: NoticeChannel;
  recipient: NoticeRecipient;
  /** Present for warnings; a bill preview is rendered from its bill version when sent. */
  content?: NoticeContent;
  /** Earliest send time (ISO); a warning is planned ahead and sent when due. */
  sendAt?: string;
  /** What a warning stated (level, bills, amounts, disconnection time, policy): kept for disputes. */
  evidence?: Record<string, unknown>;
}

/** A notice as stored: the outbox item the sender claims, with its whole history. */
export interface StoredNotice extends NoticePlan {
  status: NoticeStatus;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  providerMessageId?: string;
  lastError?: string;
  /** Sends repeated after an uncertain one (each may be a duplicate the customer received). */
  uncertainResends?: number;
  /**
   * A provider call of the current SENDING claim started and its outcome is not recorded yet. Found on a
   * lapsed claim, it means the sender stopped (crashed, timed out, lost the table) after the provider may
   * have accepted the notice: the outcome is uncertain, not "never sent". Cleared by every transition.
   */
  providerCallPending?: boolean;
  timeline: { at: string; status: NoticeStatus; detail?: string }[];
}

/**
 * Whether a bill preview tells the customer it corrects an earlier one: only when an earlier version of
 * its period reached them, as its planner recorded (`evidence.corrects`: that version, or null for none).
 * A preview planned before that record existed says so from version 2 on, as it always did.
 */
export function previewCorrectsEarlier(notice: Pick<NoticePlan, 'billVersion' | 'evidence'>): boolean {
  if (notice.billVersion <= 1) return false;
  if (notice.evidence === undefined || !('corrects' in notice.evidence)) return true;
  return typeof notice.evidence.corrects === 'number';
}

/** What every bill-preview notice id of one bill version starts with. */
export const billPreviewIdPrefix = (bill: { period: Period; version: number }): string =>
  `${bill.period}#V${bill.version}#bill-preview#`;

/** A bill preview's notice id: `<period>#V<version>#bill-preview#<channel>#<recipient key>`. */
export const billPreviewNoticeId = (
  bill: { period: Period; version: number },
  channel: NoticeChannel,
  recipientKey: string,
): string => `${billPreviewIdPrefix(bill)}${channel}#${recipientKey}`;

/**
 * Which bill-preview notices an account gets for one bill version: each contact on each channel it has,
 * named by the recipient's key under `recipientKeyOf`.
 */
export function planBillPreviewNotices(
  account: Account,
  bill: { period: Period; version: number },
  recipientKeyOf: RecipientKeyOf,
): NoticePlan[] {
  const plans = new Map<string, NoticePlan>();
  const add = (channel: NoticeChannel, recipient: NoticeRecipient) => {
    const noticeId = billPreviewNoticeId(bill, channel, recipientKeyOf(channel, recipient.address));
    if (plans.has(noticeId)) return;
    plans.set(noticeId, {
      noticeId,
      kind: 'bill-preview',
      accountId: account.accountId,
      period: bill.period,
      billVersion: bill.version,
      channel,
      recipient,
    });
  };
  for (const contact of account.contacts) {
    const language = contact.language ?? account.language;
    if (contact.email !== undefined && contact.optOut?.email !== true) {
      add('email', { role: 'customer', name: contact.name, address: contact.email, language });
    }
    if (contact.phone !== undefined && contact.optOut?.sms !== true) {
      add('sms', { role: 'customer', name: contact.name, address: contact.phone, language });
    }
  }
  return [...plans.values()];
}

/**
 * Whether a notice whose send is uncertain (the provider may have accepted it; its answer was lost) is
 * sent again. An arrears warning is: the customer must be warned before a disconnection, and a second copy
 * is the lesser harm (it is counted). Anything else is not: a bill preview, a confirmation or a digest
 * twice is a visible defect, and an email's delivery events reconcile it (record-delivery).
 */
export const resendWhenUncertain = (kind: NoticeKind): boolean => kind === 'arrears-warning';

/** Why a notice is UNCERTAIN when the delivery that took its lapsed claim over found its call started. */
export const ABANDONED_CALL_REASON =
  'the sender stopped after calling the provider, before recording its answer';

/**
 * Whether an UNCERTAIN notice is sent again. A warning always is (resendWhenUncertain). An SMS whose
 * sender stopped mid-call (ABANDONED_CALL_REASON) is too: unlike a lost answer, which comes after the
 * provider had the request, a stopped sender may have stopped before the request left, and no event will
 * ever tell (SNS reports SMS delivery only to CloudWatch Logs, by message id) — so a possible second copy,
 * counted, is chosen over a possibly lost one. An email is settled by its Send event (reconcile-uncertain).
 */
export const resendsWhenUncertain = (notice: Pick<StoredNotice, 'kind' | 'channel' | 'lastError'>): boolean =>
  resendWhenUncertain(notice.kind) ||
  (notice.channel === 'sms' && notice.lastError === ABANDONED_CALL_REASON);

/** Whether policy may ever send this kind on this channel a second time (the fault suite's allowance). */
export const mayResendWhenUncertain = (kind: NoticeKind, channel: NoticeChannel): boolean =>
  resendWhenUncertain(kind) || channel === 'sms';

/** How many times an uncertain notice is sent again, at most: a customer gets at most two copies. */
export const MAX_UNCERTAIN_RESENDS = 1;

/** The message tag that names a notice, so a provider event finds it without a recorded message id. */
export const NOTICE_TAG = 'keybillNotice';

/**
 * The notice's reference as an SES tag value (letters, digits, `_ - . @`, at most 256 characters):
 * base64url of `[accountId, noticeId]`. Undefined when it would be too long to be a tag.
 */
export function noticeTagValue(ref: Pick<StoredNotice, 'accountId' | 'noticeId'>): string | undefined {
  const value = Buffer.from(JSON.stringify([ref.accountId, ref.noticeId]), 'utf8').toString('base64url');
  return value.length <= 256 ? value : undefined;
}

/** The notice a tag value names; undefined for anything that is not such a value (events are input). */
export function noticeRefOfTag(value: unknown): { accountId: string; noticeId: string } | undefined {
  if (typeof value !== 'string' || value.length > 256 || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [accountId, noticeId] = parsed as unknown[];
    if (typeof accountId !== 'string' || typeof noticeId !== 'string') return undefined;
    if (accountId === '' || noticeId === '') return undefined;
    return { accountId, noticeId };
  } catch {
    return undefined;
  }
}
