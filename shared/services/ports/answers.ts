import type { Answer } from '#domain/answers/answer.ts';
import type { FollowUp } from '#domain/answers/follow-up.ts';

/** Customers' answers, one per notice and action (its natural key). */
export interface AnswerStore {
  getAnswer(accountId: string, answerId: string): Promise<Answer | undefined>;
  /** Stores the answer unless one with its id exists; returns the stored one either way. */
  putAnswer(answer: Answer): Promise<{ created: boolean; answer: Answer }>;
  /** Answers given in a month (YYYY-MM, Asia/Shanghai is not needed: UTC month of `at`). */
  listAnswersOfMonth(month: string): Promise<Answer[]>;
}

export type CloseFollowUpResult = 'closed' | 'already-closed' | 'not-found';

/** The account managers' worklist. */
export interface FollowUpStore {
  /** Opens the follow-up unless it exists (idempotent by its id, the answer's). */
  openFollowUp(followUp: FollowUp): Promise<boolean>;
  getFollowUp(accountId: string, followUpId: string): Promise<FollowUp | undefined>;
  listOpenFollowUps(): Promise<FollowUp[]>;
  listFollowUpsOpenedInMonth(month: string): Promise<FollowUp[]>;
  closeFollowUp(
    accountId: string,
    followUpId: string,
    close: { at: string; by: string; note?: string },
  ): Promise<CloseFollowUpResult>;
  /** Marks an open follow-up escalated, once: false when it was already (or is closed). */
  markEscalated(accountId: string, followUpId: string, at: string): Promise<boolean>;
}

/** What an SMS's short link names, stored by the sender under the link's code. */
export interface SmsLinkTarget {
  accountId: string;
  noticeId: string;
  keyId: string;
  expiresAt: number;
}

export interface SmsLinkStore {
  /** Idempotent: the code is a MAC of the target, so a second put writes the same. */
  putSmsLink(code: string, target: SmsLinkTarget): Promise<void>;
  getSmsLink(code: string): Promise<SmsLinkTarget | undefined>;
}

/** A customer's "received" on a disconnection notice: which plan, by which channel, when. */
export interface CustomerConfirmation {
  noticeId: string;
  answerId: string;
  /** When the customer confirmed (the answer's time): the delivery is no later than this. */
  at: string;
  planId?: string;
  revision?: number;
  channel: 'email' | 'sms';
}

/**
 * Customer-confirmed delivery of a disconnection notice, in its plan's evidence. The arrears ladder
 * implements it (services/answers/confirmed-delivery.ts, built by the wiring with the arrears
 * dependencies): the answers need not know how a plan counts its lead time. Idempotent by the answer.
 */
export interface DeliveryConfirmationPort {
  recordCustomerConfirmedDelivery(accountId: string, confirmation: CustomerConfirmation): Promise<void>;
}

/** A bill a customer says is wrong is marked for review; never corrected by the answer itself. */
export interface BillReviewPort {
  markBillForReview(
    accountId: string,
    period: string,
    version: number,
    review: { answerId: string; at: string },
  ): Promise<void>;
}
