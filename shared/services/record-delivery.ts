import type { NoticeStatus, StoredNotice } from '#domain/notices.ts';
import type { NoticeStore, RecipientKeyer, SuppressionStore } from './ports/index.ts';

/** The SES configuration-set event types the product acts on (SES → EventBridge `detail.eventType`). */
export type SesEventType =
  | 'Send'
  | 'Delivery'
  | 'Bounce'
  | 'Complaint'
  | 'Reject'
  | 'DeliveryDelay'
  | 'RenderingFailure';

export interface DeliveryEvent {
  providerMessageId: string;
  /**
   * The notice named by the message's tag (NOTICE_TAG): how an event finds a notice whose send was
   * uncertain, as the answer carrying the message id never arrived.
   */
  noticeRef?: { accountId: string; noticeId: string };
  eventType: SesEventType;
  /** For Bounce: Permanent (hard) or Transient (soft). */
  bounceType?: string;
  detail?: string;
  /** When the provider says it happened (SES `delivery.timestamp` / `bounce.timestamp`). */
  at?: string;
  /** When the event was published (EventBridge `time`): when the product learns of it. */
  publishedAt?: string;
}

/** Told when a customer's disconnection notice was delivered or bounced (the arrears plan counts from it). */
export type DisconnectionNoticeDeliveryListener = (
  notice: StoredNotice,
  outcome: 'delivered' | 'bounced',
  at: string,
  recordedAt: string,
) => Promise<unknown>;

/**
 * Which status a provider event moves a notice to, and from which statuses. Status only moves forward:
 * a late Delivery never overwrites a Bounce, a re-delivered event changes nothing. An UNCERTAIN notice
 * (the provider may have accepted it) is reconciled by the first event SES publishes for it: Send says
 * SES accepted it, so it is SENT; a later event moves it on as for any sent notice.
 */
const TRANSITIONS: Partial<
  Record<SesEventType, { from: NoticeStatus[]; to: NoticeStatus; transient?: true }>
> = {
  Send: { from: ['UNCERTAIN'], to: 'SENT' },
  Delivery: { from: ['SENDING', 'SENT', 'UNCERTAIN'], to: 'DELIVERED' },
  Bounce: { from: ['SENDING', 'SENT', 'DELIVERED', 'UNCERTAIN'], to: 'BOUNCED' },
  Complaint: { from: ['SENDING', 'SENT', 'DELIVERED', 'UNCERTAIN'], to: 'COMPLAINED' },
  Reject: { from: ['SENDING', 'SENT', 'UNCERTAIN'], to: 'FAILED' },
  RenderingFailure: { from: ['SENDING', 'SENT', 'UNCERTAIN'], to: 'FAILED' },
};

export async function recordDeliveryEvent(
  event: DeliveryEvent,
  deps: {
    notices: Pick<NoticeStore, 'findNoticeByProviderMessageId' | 'getNotice' | 'transitionNotice'>;
    suppressions: Pick<SuppressionStore, 'suppressRecipient'>;
    recipientKeys: Pick<RecipientKeyer, 'current'>;
    onDisconnectionNoticeDelivery?: DisconnectionNoticeDeliveryListener | undefined;
  },
): Promise<{ outcome: 'updated' | 'unchanged' | 'unknown-message' | 'ignored'; status?: NoticeStatus }> {
  const transition = TRANSITIONS[event.eventType];
  // A soft bounce is retried by SES itself; only a hard bounce ends the notice.
  if (transition === undefined || (event.eventType === 'Bounce' && event.bounceType !== 'Permanent')) {
    return { outcome: 'ignored' };
  }
  const byMessageId = await deps.notices.findNoticeByProviderMessageId(event.providerMessageId);
  // A Send event only matters to a notice whose send was uncertain, and such a notice has no message id.
  if (event.eventType === 'Send' && byMessageId !== undefined)
    return { outcome: 'unchanged', status: byMessageId.status };
  const byTag =
    byMessageId === undefined && event.noticeRef !== undefined
      ? await deps.notices.getNotice(event.noticeRef.accountId, event.noticeRef.noticeId)
      : undefined;
  const notice = byMessageId ?? byTag;
  if (notice === undefined) return { outcome: 'unknown-message' };
  const moved = await deps.notices.transitionNotice(notice, transition.from, transition.to, {
    detail: event.detail ?? event.eventType,
    // Found by its tag with no message id of its own (its send was uncertain): this message is its send,
    // and its later events find it by this id. A notice sent again keeps the id of the send it recorded.
    ...(byTag !== undefined && byTag.providerMessageId === undefined
      ? { providerMessageId: event.providerMessageId }
      : {}),
  });
  if (transition.to === 'BOUNCED' || transition.to === 'COMPLAINED') {
    // A hard bounce or a complaint ends sending to that address for every later notice.
    const keyOf = await deps.recipientKeys.current();
    await deps.suppressions.suppressRecipient(
      notice.channel,
      keyOf(notice.channel, notice.recipient.address),
      event.eventType,
    );
  }
  await tellArrears(notice, transition.to, event, deps.onDisconnectionNoticeDelivery);
  return { outcome: moved ? 'updated' : 'unchanged', status: moved ? transition.to : notice.status };
}

/** A customer's disconnection notice delivered or bounced: its plan hears of it (again, harmlessly, on a re-delivery). */
async function tellArrears(
  notice: StoredNotice,
  to: NoticeStatus,
  event: DeliveryEvent,
  listener: DisconnectionNoticeDeliveryListener | undefined,
) {
  if (listener === undefined || (to !== 'DELIVERED' && to !== 'BOUNCED')) return;
  if (notice.evidence?.warningKind !== 'disconnection-notice' || notice.recipient.role !== 'customer') return;
  const now = new Date().toISOString();
  await listener(
    notice,
    to === 'DELIVERED' ? 'delivered' : 'bounced',
    event.at ?? event.publishedAt ?? now,
    event.publishedAt ?? now,
  );
}
