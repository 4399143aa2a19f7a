import { type NoticeStatus, recipientKey } from '#domain/notices.ts';
import type { NoticeStore, SuppressionStore } from './ports/index.ts';

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
  eventType: SesEventType;
  /** For Bounce: Permanent (hard) or Transient (soft). */
  bounceType?: string;
  detail?: string;
}

/**
 * Which status a provider event moves a notice to, and from which statuses. Status only moves forward:
 * a late Delivery never overwrites a Bounce, a re-delivered event changes nothing.
 */
const TRANSITIONS: Partial<
  Record<SesEventType, { from: NoticeStatus[]; to: NoticeStatus; transient?: true }>
> = {
  Delivery: { from: ['SENDING', 'SENT'], to: 'DELIVERED' },
  Bounce: { from: ['SENDING', 'SENT', 'DELIVERED'], to: 'BOUNCED' },
  Complaint: { from: ['SENDING', 'SENT', 'DELIVERED'], to: 'COMPLAINED' },
  Reject: { from: ['SENDING', 'SENT'], to: 'FAILED' },
  RenderingFailure: { from: ['SENDING', 'SENT'], to: 'FAILED' },
};

export async function recordDeliveryEvent(
  event: DeliveryEvent,
  deps: {
    notices: Pick<NoticeStore, 'findNoticeByProviderMessageId' | 'transitionNotice'>;
    suppressions: Pick<SuppressionStore, 'suppressRecipient'>;
  },
): Promise<{ outcome: 'updated' | 'unchanged' | 'unknown-message' | 'ignored'; status?: NoticeStatus }> {
  const transition = TRANSITIONS[event.eventType];
  // A soft bounce is retried by SES itself; only a hard bounce ends the notice.
  if (transition === undefined || (event.eventType === 'Bounce' && event.bounceType !== 'Permanent')) {
    return { outcome: 'ignored' };
  }
  const notice = await deps.notices.findNoticeByProviderMessageId(event.providerMessageId);
  if (notice === undefined) return { outcome: 'unknown-message' };
  const moved = await deps.notices.transitionNotice(notice, transition.from, transition.to, {
    detail: event.detail ?? event.eventType,
  });
  if (transition.to === 'BOUNCED' || transition.to === 'COMPLAINED') {
    // A hard bounce or a complaint ends sending to that address for every later notice.
    await deps.suppressions.suppressRecipient(
      notice.channel,
      recipientKey(notice.channel, notice.recipient.address),
      event.eventType,
    );
  }
  return { outcome: moved ? 'updated' : 'unchanged', status: moved ? transition.to : notice.status };
}
