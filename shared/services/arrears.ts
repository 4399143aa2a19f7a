import {
  type AccountArrearsState,
  type ArrearsOperatorCommand,
  applyArrearsCommand,
  checkNoticeDelivery,
  type DeliveryReport,
  type DisconnectionPlan,
  fireFinalReminder,
  recordNoticeDelivery,
  recordPayments,
} from '#domain/arrears/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { type ArrearsDeps, type DeliveryCheckInput, type FinalReminderInput, step } from './arrears-step.ts';

/*
 * What moves one account's arrears between daily scans (./arrears-scan.ts): payments, a plan's one-time
 * schedules, operators' commands and approvals, and the delivery of its disconnection notice.
 */

/** Payments just stored: a payment that clears the arrears cancels the plan and confirms it. */
export async function settlePayments(accountIds: readonly string[], at: string, deps: ArrearsDeps) {
  let cancellations = 0;
  for (const accountId of new Set(accountIds)) {
    cancellations +=
      (await step(accountId, deps, (snapshot) => recordPayments(snapshot, at, deps.policy)))?.cancellations ??
      0;
  }
  return { cancellations };
}

/** The one-time schedule 30 minutes before a disconnection fired. */
export async function sendFinalReminder(input: FinalReminderInput, firedAt: string, deps: ArrearsDeps) {
  return step(input.accountId, deps, (snapshot) =>
    fireFinalReminder(snapshot, { planId: input.planId, revision: input.revision }, firedAt, deps.policy),
  );
}

/**
 * The one-time schedule at the end of a notice's delivery window (default 24 hours after it was sent)
 * fired: with no delivery on any channel the notice is escalated and the plan moved later.
 */
export async function checkDisconnectionNoticeDelivery(
  input: DeliveryCheckInput,
  firedAt: string,
  deps: ArrearsDeps,
) {
  return step(input.accountId, deps, (snapshot) =>
    checkNoticeDelivery(snapshot, { planId: input.planId, revision: input.revision }, firedAt, deps.policy),
  );
}

/** approve / defer / exempt, from an operator. */
export async function applyOperatorArrearsCommand(
  accountId: string,
  command: ArrearsOperatorCommand,
  deps: ArrearsDeps,
) {
  return step(accountId, deps, (snapshot) => applyArrearsCommand(snapshot, command, deps.policy));
}

/**
 * A disconnection notice's delivery outcome on one channel (the provider's delivery or bounce event),
 * recorded on its plan at `recordedAt`: a delivery too late for the planned time moves the plan and its
 * final reminder's schedule later.
 */
export async function recordDisconnectionNoticeDelivery(
  accountId: string,
  report: DeliveryReport,
  recordedAt: string,
  deps: ArrearsDeps,
) {
  return step(accountId, deps, (snapshot) => recordNoticeDelivery(snapshot, report, recordedAt, deps.policy));
}

/**
 * The customer confirmed (an answer to the notice, issue 15) that they received the disconnection
 * notice of `planId` at `receivedAt`: evidence of delivery like a provider's event, on the channel the
 * answer came by. The lead time counts from the earliest delivery, so a confirmation never shortens it.
 * Without `planId`, the plan whose notice is out.
 */
export async function recordCustomerConfirmedDelivery(
  accountId: string,
  confirmation: { planId?: string; revision?: number; channel: 'email' | 'sms'; receivedAt: string },
  deps: ArrearsDeps,
) {
  const { receivedAt, ...where } = confirmation;
  return recordDisconnectionNoticeDelivery(
    accountId,
    { ...where, at: receivedAt, outcome: 'delivered', source: 'customer-confirmed' },
    receivedAt,
    deps,
  );
}

/** A plan waiting for the responsible manager's approval, as operators see it. */
export interface PendingApproval {
  accountId: string;
  planId: string;
  billIds: string[];
  waitingSince: string;
  approver?: { name: string };
  requestsSent: number;
  lastRequestAt?: string;
}

/** Every plan waiting for approval, longest waiting first (no addresses). */
export async function listPendingApprovals(
  deps: Pick<ArrearsDeps, 'arrearsStates'>,
): Promise<PendingApproval[]> {
  const states = await deps.arrearsStates.listAwaitingApproval<AccountArrearsState>();
  return states
    .flatMap((state) => state.plans.filter((p) => p.status === 'awaiting-approval'))
    .map((p: DisconnectionPlan) => ({
      accountId: p.accountId,
      planId: p.planId,
      billIds: p.billIds,
      waitingSince: p.createdAt,
      ...(p.approver === undefined ? {} : { approver: { name: p.approver.name } }),
      requestsSent: p.approvalRequestedAt?.length ?? 0,
      ...(p.approvalRequestedAt === undefined ? {} : { lastRequestAt: p.approvalRequestedAt.at(-1) }),
    }))
    .sort((a, b) => (a.waitingSince < b.waitingSince ? -1 : a.waitingSince > b.waitingSince ? 1 : 0));
}

/** A stored disconnection notice's provider event, as its plan records it (record-delivery calls this). */
export async function recordDeliveryOfNotice(
  notice: StoredNotice,
  outcome: 'delivered' | 'bounced',
  at: string,
  recordedAt: string,
  deps: ArrearsDeps,
) {
  const planId = notice.evidence?.planId;
  const revision = notice.evidence?.planRevision;
  return recordDisconnectionNoticeDelivery(
    notice.accountId,
    {
      channel: notice.channel,
      at,
      outcome,
      source: 'provider',
      ...(typeof planId === 'string' ? { planId } : {}),
      ...(typeof revision === 'number' ? { revision } : {}),
    },
    recordedAt,
    deps,
  );
}
