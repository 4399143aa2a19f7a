import type { QuietHours } from '#domain/calendar/index.ts';
import {
  ABANDONED_CALL_REASON,
  MAX_UNCERTAIN_RESENDS,
  resendsWhenUncertain,
  resendWhenUncertain,
  type StoredNotice,
} from '#domain/notices.ts';
import type { RecipientKeyOf } from '#domain/recipient-key.ts';
import { withoutContacts } from '#notify/index.ts';
import { type AnswerLinkConfig, answerLinksFor } from './answers/answer-links.ts';
import { deferral } from './deferred-notices.ts';
import {
  type Outgoing,
  prepareSend,
  readAhead,
  readSendInputs,
  type SendInputs,
  settledLater,
} from './notice-request.ts';
import type { Lookahead, TokenBucket } from './pacing.ts';
import {
  type AccountStore,
  AmbiguousSendError,
  type BillHoldStore,
  type BillStore,
  type MessageProviders,
  type NoticeMessage,
  type NoticeStore,
  type RecipientKeyer,
  type SuppressionStore,
  TransientError,
} from './ports/index.ts';

export interface SenderConfig {
  fromAddress: string;
  configurationSet?: string;
  smsSenderId?: string;
  /** SMS inside these hours are deferred to their end, never dropped. */
  smsQuietHours?: QuietHours | null;
  /** How long a SENDING claim is honoured (see DEFAULT_CLAIM_LEASE_MS). */
  claimLeaseMs?: number;
}

/** What the sender counts beyond its outcomes: uncertain sends, and the resends that may be duplicates. */
export type SenderMetric = 'NoticesUncertain' | 'NoticesResentAfterUncertain';

export interface SenderDeps {
  notices: Pick<NoticeStore, 'claimNotice' | 'getNotice' | 'transitionNotice' | 'markProviderCallStarted'>;
  suppressions: Pick<SuppressionStore, 'suppressRecipient' | 'suppressionOf'>;
  bills: Pick<BillStore, 'getBill' | 'getBillHistory'>;
  /** A preview's history shows each earlier period as sent: its holds tell which version that was. */
  holds: Pick<BillHoldStore, 'listHolds'>;
  accounts: Pick<AccountStore, 'getAccount'>;
  providers: MessageProviders;
  config: SenderConfig;
  /** The keys suppressions are stored under. */
  recipientKeys: Pick<RecipientKeyer, 'current'>;
  /** Per-channel pace of this sender instance (quota ÷ max concurrency). */
  pace?: { email?: TokenBucket; sms?: TokenBucket };
  /** At most this many notices between their claim and their pacing token at once (see Lookahead). */
  lookahead?: Lookahead;
  now?: () => Date;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  count?: (metric: SenderMetric) => void;
  /** Where configured, customers' previews and warnings carry one-click answer links. */
  answerLinks?: AnswerLinkConfig;
}

export type DeliveryOutcome =
  | { outcome: 'sent'; providerMessageId: string; resentAfterUncertain?: true }
  | { outcome: 'uncertain'; reason: string; resent: boolean }
  | { outcome: 'deferred'; until: string }
  | { outcome: 'suppressed'; reason: string }
  | { outcome: 'already-handled'; status: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'missing' };

/** The claim was taken from this sender before its request left: nothing was sent. */
class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
}

/** Thrown for a failure worth retrying: the queue re-delivers the message after its visibility timeout. */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
}

/**
 * How a log line names a notice: by its account and id, whose recipient part is a keyed hash. Never with
 * the recipient's masked address besides: a masked number leaves ~10⁴ candidates, and a key next to it
 * would let whoever holds the secret (or, before #11, anyone) pick the right one.
 */
export const logRef = (notice: Pick<StoredNotice, 'accountId' | 'noticeId' | 'kind' | 'channel'>) => ({
  accountId: notice.accountId,
  noticeId: notice.noticeId,
  kind: notice.kind,
  channel: notice.channel,
});

/**
 * A SENDING claim older than the lease belongs to a sender that died; another delivery may take it over.
 * The lease must outlast any live sender (at least the sender's function timeout: past it the invocation
 * that claimed is gone), else a re-delivery could send a notice that is still being sent; and it must end
 * before the queue's visibility timeout, so that the first re-delivery after a crash takes the claim over
 * instead of finding it live and spending one of the message's receives. The stack derives both from the
 * sender's timeout (infra/concerns/notices.ts: lease 2×, visibility 6×) and passes the lease as
 * NOTICE_CLAIM_LEASE_SECONDS; this default is the same 2 × 30 s, for a sender run without it.
 */
export const DEFAULT_CLAIM_LEASE_MS = 60_000;

/**
 * Sends one notice at most once per successful claim: the conditional move to SENDING is the claim, so of
 * any number of deliveries of the same queue message only one reaches the provider. Suppressed and
 * opted-out recipients are recorded, not sent to; SMS in quiet hours are deferred.
 *
 * Everything a send needs (the suppression list, the bill, the account, the history, the rendered message,
 * the opt-out check) is done before the pacing token is taken, and the provider is called as soon as the
 * token is granted: the wait for the token overlaps the preparation, nothing CPU-heavy runs while the
 * bucket's timer is due, and the paced instant is the instant of the provider call. A claimed notice that
 * is not sent ends in a final status, or back in QUEUED with its message failed so that the queue retries
 * it (were the table itself failing, its claim lapses after the lease and a re-delivery takes it over).
 * A send whose outcome is unknown (AmbiguousSendError) is never retried blindly: see `settleUncertain`.
 */
export async function deliverNotice(message: NoticeMessage, deps: SenderDeps): Promise<DeliveryOutcome> {
  const leave = await deps.lookahead?.enter();
  try {
    return await claimAndSend(message, deps, leave ?? (() => {}));
  } finally {
    leave?.();
  }
}

async function claimAndSend(
  message: NoticeMessage,
  deps: SenderDeps,
  /** Called once the notice no longer waits for its turn (token granted). */
  ready: () => void,
): Promise<DeliveryOutcome> {
  const { notices, suppressions } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  // One round trip in the common case: the conditional update is the claim and returns the notice, and a
  // bill preview's reads go with it.
  const lease = deps.config.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  const staleBefore = new Date(now().getTime() - lease).toISOString();
  const claim = notices.claimNotice(message, staleBefore);
  const keys = settledLater(deps.recipientKeys.current());
  const ahead = readAhead(message, deps);
  let notice = await claim;
  if (notice === undefined) {
    const current = await notices.getNotice(message.accountId, message.noticeId);
    if (current === undefined) return { outcome: 'missing' };
    // Another delivery holds the claim: keep this message until it finishes (a failed send goes back to
    // QUEUED and needs a message to be sent again; a crashed sender's claim lapses).
    if (current.status === 'SENDING' || current.status === 'QUEUED') {
      throw new RetryableDeliveryError('notice is being sent by another delivery');
    }
    notice = await resumeUncertainResend(current, deps);
    if (notice === undefined) return { outcome: 'already-handled', status: current.status };
  } else if (notice.providerCallPending === true) {
    // A lapsed claim whose sender had called the provider: that call's outcome is unknown.
    const abandoned = await settleAbandonedCall(notice, deps);
    notice = await resumeUncertainResend(abandoned.notice, deps);
    if (notice === undefined) return { outcome: 'uncertain', reason: abandoned.reason, resent: false };
  }

  const keyOf = await keys;
  const deferUntil = deferral(notice, now(), deps.config.smsQuietHours);
  // The reads started with the claim if they are this notice's; else the suppression list and the send's
  // reads now, in one round trip (a deferred notice reads nothing more).
  const reads = ahead?.matches(notice, keyOf)
    ? ahead
    : {
        suppression: suppressions.suppressionOf(
          notice.channel,
          keyOf(notice.channel, notice.recipient.address),
        ),
        inputs: deferUntil === undefined ? settledLater(readSendInputs(notice, deps)) : undefined,
      };
  const suppressed = await reads.suppression;
  if (suppressed !== undefined) {
    await notices.transitionNotice(notice, ['SENDING'], 'SUPPRESSED', { detail: suppressed });
    log('notice suppressed', { ...logRef(notice), reason: suppressed });
    return { outcome: 'suppressed', reason: suppressed };
  }
  if (deferUntil !== undefined) {
    await notices.transitionNotice(notice, ['SENDING'], 'DEFERRED', { detail: deferUntil.detail });
    if (notice.channel === 'sms')
      log('sms deferred for quiet hours', { ...logRef(notice), until: deferUntil.until });
    return { outcome: 'deferred', until: deferUntil.until };
  }
  return sendClaimed(notice, reads.inputs!, keyOf, deps, ready);
}

/**
 * The send of a claimed notice that is due: SENT, or SUPPRESSED (opted out), or FAILED for good, or
 * UNCERTAIN, or back to QUEUED with a RetryableDeliveryError for its message to be retried.
 */
async function sendClaimed(
  notice: StoredNotice,
  inputs: Promise<SendInputs>,
  keyOf: RecipientKeyOf,
  deps: SenderDeps,
  ready: () => void,
): Promise<DeliveryOutcome> {
  const { notices, suppressions } = deps;
  const log = deps.log ?? (() => {});
  let outgoing: Outgoing;
  try {
    const links =
      deps.answerLinks === undefined
        ? undefined
        : await answerLinksFor(notice, deps.answerLinks, (deps.now ?? (() => new Date()))());
    outgoing = prepareSend(notice, await inputs, deps, links);
    if (outgoing.channel === 'sms' && (await deps.providers.isPhoneOptedOut(outgoing.sms.phoneNumber))) {
      await suppressions.suppressRecipient('sms', keyOf('sms', notice.recipient.address), 'opted-out');
      await notices.transitionNotice(notice, ['SENDING'], 'SUPPRESSED', { detail: 'opted-out' });
      log('notice suppressed', { ...logRef(notice), reason: 'opted-out' });
      return { outcome: 'suppressed', reason: 'opted-out' };
    }
  } catch (error) {
    return settleFailure(notice, error, deps);
  }
  // Ready to send: the token now, and the provider call the moment it is granted.
  await deps.pace?.[notice.channel]?.take();
  ready();
  return sendNow(notice, outgoing, deps, false);
}

/** One provider call for a claimed (SENDING) notice, and the status it leaves the notice in. */
async function sendNow(
  notice: StoredNotice,
  outgoing: Outgoing,
  deps: SenderDeps,
  resend: boolean,
): Promise<DeliveryOutcome> {
  const log = deps.log ?? (() => {});
  // Recorded the moment before the request leaves, so that a sender that stops before recording the answer
  // leaves the notice uncertain (not "never sent") for whoever takes its claim over; a notice no longer
  // SENDING is not this sender's to send.
  const hooks = {
    beforeTransmit: async () => {
      if (!(await deps.notices.markProviderCallStarted(notice))) throw new ClaimLostError();
    },
  };
  let sent: { messageId: string };
  try {
    sent =
      outgoing.channel === 'email'
        ? await deps.providers.sendEmail(outgoing.email, hooks)
        : await deps.providers.sendSms(outgoing.sms, hooks);
  } catch (error) {
    if (error instanceof ClaimLostError)
      return { outcome: 'already-handled', status: 'claim lost before the send' };
    if (error instanceof AmbiguousSendError) return settleUncertain(notice, outgoing, error, deps);
    return settleFailure(notice, error, deps);
  }
  // Outside the try: the provider accepted the message, so a failure to record it must never put the
  // notice back to QUEUED (a send again); it fails the delivery and the claim's lease decides.
  await deps.notices.transitionNotice(notice, ['SENDING'], 'SENT', { providerMessageId: sent.messageId });
  log('notice sent', logRef(notice));
  return {
    outcome: 'sent',
    providerMessageId: sent.messageId,
    ...(resend ? { resentAfterUncertain: true as const } : {}),
  };
}

/**
 * The provider may have accepted the notice, but its answer was lost: UNCERTAIN, with the reason. A kind
 * that must reach the customer (resendWhenUncertain) is sent once more at once, the possible duplicate
 * counted on the notice (`uncertainResends`) and as a metric; any other kind stays UNCERTAIN, never resent
 * (its message is done with), until its delivery events reconcile it (record-delivery).
 */
async function settleUncertain(
  notice: StoredNotice,
  outgoing: Outgoing,
  error: AmbiguousSendError,
  deps: SenderDeps,
): Promise<DeliveryOutcome> {
  const { notices } = deps;
  const log = deps.log ?? (() => {});
  const reason = error.message;
  await notices.transitionNotice(notice, ['SENDING'], 'UNCERTAIN', {
    lastError: reason,
    detail: `answer lost, may have been accepted: ${reason}`,
  });
  deps.count?.('NoticesUncertain');
  const resends = notice.uncertainResends ?? 0;
  const resend = resendWhenUncertain(notice.kind) && resends < MAX_UNCERTAIN_RESENDS;
  log('notice send uncertain', { ...logRef(notice), reason: withoutContacts(reason), resend });
  if (!resend) return { outcome: 'uncertain', reason, resent: false };

  const resumed = await notices.transitionNotice(notice, ['UNCERTAIN'], 'SENDING', {
    detail: RESEND_DETAIL(notice),
    countUncertainResend: true,
  });
  if (!resumed) return { outcome: 'uncertain', reason, resent: false };
  deps.count?.('NoticesResentAfterUncertain');
  await deps.pace?.[notice.channel]?.take();
  const again = await sendNow({ ...notice, uncertainResends: resends + 1 }, outgoing, deps, true);
  return again.outcome === 'uncertain' ? { ...again, resent: true } : again;
}

/**
 * The claim taken over was left by a sender that stopped between calling the provider and recording its
 * answer (a crash, a timeout, the table failing after the send): UNCERTAIN, with the same policy as a lost
 * answer — a kind that must reach the customer is resent once (resumeUncertainResend), any other waits for
 * its delivery events.
 */
async function settleAbandonedCall(
  notice: StoredNotice,
  deps: SenderDeps,
): Promise<{ notice: StoredNotice; reason: string }> {
  const reason = ABANDONED_CALL_REASON;
  await deps.notices.transitionNotice(notice, ['SENDING'], 'UNCERTAIN', {
    lastError: reason,
    detail: `claim lapsed, may have been accepted: ${reason}`,
  });
  deps.count?.('NoticesUncertain');
  deps.log?.('notice send uncertain', { ...logRef(notice), reason });
  return {
    notice: { ...notice, status: 'UNCERTAIN', providerCallPending: false, lastError: reason },
    reason,
  };
}

/** A send that failed for sure: back to QUEUED and retried by the queue if transient, else FAILED. */
async function settleFailure(
  notice: StoredNotice,
  error: unknown,
  deps: SenderDeps,
): Promise<DeliveryOutcome> {
  const log = deps.log ?? (() => {});
  // A transient error's message already names the original error.
  const reason =
    error instanceof TransientError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
  if (error instanceof TransientError) {
    await deps.notices.transitionNotice(notice, ['SENDING'], 'QUEUED', {
      lastError: reason,
      detail: 'retry',
    });
    log('notice send throttled or failed transiently', {
      ...logRef(notice),
      reason: withoutContacts(reason),
    });
    throw new RetryableDeliveryError(reason);
  }
  await deps.notices.transitionNotice(notice, ['SENDING'], 'FAILED', { lastError: reason, detail: reason });
  log('notice failed permanently', { ...logRef(notice), reason: withoutContacts(reason) });
  return { outcome: 'failed', reason };
}

/**
 * An UNCERTAIN notice that policy resends (resendsWhenUncertain: a warning, or an SMS whose sender stopped
 * mid-call) and whose resend has not started: claimed for that resend, counted as the resend it is — right
 * after settleAbandonedCall, or on the re-delivery of a message whose sender died between recording
 * UNCERTAIN and sending again. Undefined for any other notice, which this delivery leaves as it is.
 */
async function resumeUncertainResend(
  current: StoredNotice,
  deps: SenderDeps,
): Promise<StoredNotice | undefined> {
  const resends = current.uncertainResends ?? 0;
  if (current.status !== 'UNCERTAIN' || !resendsWhenUncertain(current)) return undefined;
  if (resends >= MAX_UNCERTAIN_RESENDS) return undefined;
  const claimed = await deps.notices.transitionNotice(current, ['UNCERTAIN'], 'SENDING', {
    detail: RESEND_DETAIL(current),
    countUncertainResend: true,
  });
  if (!claimed) return undefined;
  deps.count?.('NoticesResentAfterUncertain');
  return { ...current, status: 'SENDING', uncertainResends: resends + 1 };
}

const RESEND_DETAIL = (notice: Pick<StoredNotice, 'kind' | 'channel'>) =>
  resendWhenUncertain(notice.kind)
    ? `resent after an uncertain send (${notice.kind} must reach the customer; may be a duplicate)`
    : `resent after its sender stopped mid-call (no event can tell whether the ${notice.channel} left; may be a duplicate)`;
