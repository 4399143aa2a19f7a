import type { ArrearsChannel } from '../messages.ts';

/** Where a delivery outcome comes from. */
export type DeliverySource =
  /** The provider's delivery or bounce event (SES configuration-set event, SNS delivery status). */
  | 'provider'
  /** The customer confirmed they received the notice (answers, issue 15). */
  | 'customer-confirmed'
  /** The what-if replay without a delivery event: delivered when sent. */
  | 'assumed-at-send'
  /** A delivery outcome given to the what-if replay in its events file. */
  | 'what-if';

/** One delivery outcome of a disconnection notice on one channel. */
export interface NoticeDelivery {
  channel: ArrearsChannel;
  /** When it was delivered (or bounced): the provider's timestamp, not when we heard of it. */
  at: string;
  outcome: 'delivered' | 'bounced' | 'none';
  source: DeliverySource;
  /** When the product learnt of it. */
  recordedAt: string;
}
