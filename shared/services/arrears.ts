import { createHash } from 'node:crypto';
import {
  type AccountArrearsState,
  type ArrearsOperatorCommand,
  type ArrearsOutcome,
  type ArrearsPolicy,
  type ArrearsSnapshot,
  type ArrearsWarning,
  applyArrearsCommand,
  buildLedger,
  checkNoticeDelivery,
  type DeliveryReport,
  type DisconnectionPlan,
  daysOfCoverageLeft,
  emptyArrearsState,
  fireFinalReminder,
  officialCoverageEnd,
  recordNoticeDelivery,
  recordPayments,
  scanAccount,
} from '#domain/arrears/index.ts';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import { billsAsSent } from './bills-as-sent.ts';
import type {
  AccountStore,
  ArrearsChunkMessage,
  ArrearsChunkQueue,
  ArrearsStore,
  BillHoldStore,
  BillStore,
  NoticeQueue,
  NoticeStore,
  PaymentStore,
  RecipientKeyer,
  ReminderScheduler,
} from './ports/index.ts';

export interface ArrearsDeps {
  accounts: Pick<AccountStore, 'getAccount'>;
  /** A period's earlier version is read when its latest is held (see billsAsSent). */
  bills: Pick<BillStore, 'getBillHistory' | 'getBill'>;
  /**
   * Held bill versions are not owed until released: the customer was never sent them, and owes the
   * version it was sent before (if any).
   */
  holds?: Pick<BillHoldStore, 'listHolds'>;
  payments: Pick<PaymentStore, 'listPayments'>;
  arrearsStates: ArrearsStore;
  notices: Pick<NoticeStore, 'createNotice' | 'transitionNotice'>;
  queue: NoticeQueue;
  scheduler: ReminderScheduler;
  policy: ArrearsPolicy;
  /** Names each warning's recipient in its id (and notice id) without the address. */
  recipientKeys: Pick<RecipientKeyer, 'current'>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** The input a plan revision's one-time schedule carries back to the arrears function. */
export interface PlanScheduleInput {
  task: 'final-reminder' | 'delivery-check';
  accountId: string;
  planId: string;
  revision: number;
}

export type FinalReminderInput = PlanScheduleInput & { task: 'final-reminder' };
export type DeliveryCheckInput = PlanScheduleInput & { task: 'delivery-check' };

/** Warning ids name their recipient; notice ids must not, so they are the warning id's hash. */
export const noticeIdOfWarning = (warningId: string): string =>
  `ARREARS#${createHash('sha256').update(warningId).digest('hex').slice(0, 32)}`;

const CONFIRMATION_KINDS = new Set(['disconnection-cancelled', 'supply-restoration']);

export function noticePlanOfWarning(warning: ArrearsWarning): NoticePlan {
  const period = warning.billIds[0]?.split('#')[1] ?? warning.amounts.asOf.slice(0, 7);
  return {
    noticeId: noticeIdOfWarning(warning.warningId),
    kind: CONFIRMATION_KINDS.has(warning.kind) ? 'arrears-confirmation' : 'arrears-warning',
    accountId: warning.accountId,
    period,
    billVersion: 0,
    channel: warning.channel,
    recipient: warning.recipient,
    content: {
      ...(warning.subject === null ? {} : { subject: warning.subject }),
      text: warning.text,
      textSha256: warning.textSha256,
    },
    sendAt: warning.sendAt,
    evidence: {
      warningKind: warning.kind,
      level: warning.level,
      billIds: warning.billIds,
      ...(warning.planId === undefined ? {} : { planId: warning.planId, planRevision: warning.planRevision }),
      amounts: warning.amounts,
      ...(warning.disconnectAt === undefined ? {} : { disconnectAt: warning.disconnectAt }),
      policyId: warning.policyId,
    },
  };
}

/** The state write lost to a concurrent step on the same account (a payment during the scan). */
class ConcurrentArrearsStepError extends Error {
  override readonly name = 'ConcurrentArrearsStepError';
}

async function loadSnapshot(
  accountId: string,
  deps: Pick<
    ArrearsDeps,
    'accounts' | 'bills' | 'holds' | 'payments' | 'arrearsStates' | 'policy' | 'recipientKeys'
  >,
): Promise<{ snapshot: ArrearsSnapshot; version: number | undefined } | undefined> {
  const account = await deps.accounts.getAccount(accountId);
  if (account === undefined) return undefined;
  const [history, holds, payments, stored, recipientKeyOf] = await Promise.all([
    deps.bills.getBillHistory(accountId, '9999-12', 36),
    deps.holds?.listHolds(accountId) ?? [],
    deps.payments.listPayments(accountId),
    deps.arrearsStates.getArrearsState<AccountArrearsState>(accountId),
    deps.recipientKeys.current(),
  ]);
  const sent = await billsAsSent(history, (b) => holds.filter((h) => h.period === b.period), deps.bills);
  const bills = sent.map((b) => ({
    accountId,
    period: b.period,
    total: b.document.total,
    dueDate: b.document.dueDate,
    version: b.version,
  }));
  const state = stored?.state ?? emptyArrearsState(accountId);
  const ledger = buildLedger({
    accountId,
    bills,
    payments,
    penalty: {
      rates: deps.policy.penalty,
      order: deps.policy.paymentAllocation,
      waivers: state.penaltyWaivers ?? [],
    },
  });
  return {
    snapshot: { account, ledger, state, recipientKeyOf },
    version: stored?.version,
  };
}

/**
 * Carries out an outcome: the outbox first (notices and schedules, each idempotent by its natural key),
 * then the state, conditionally on the version read — so a crash or a concurrent run repeats work but
 * never loses a warning or sends one twice.
 */
async function applyOutcome(
  accountId: string,
  outcome: ArrearsOutcome,
  version: number | undefined,
  deps: ArrearsDeps,
) {
  const { notices, arrearsStates } = deps;
  const toEnqueue = [];
  for (const warning of outcome.warnings) {
    const { notice } = await notices.createNotice(noticePlanOfWarning(warning));
    if (notice.status === 'QUEUED') toEnqueue.push({ accountId, noticeId: notice.noticeId });
  }
  for (const cancellation of outcome.cancellations) {
    for (const warningId of cancellation.pendingWarningIds) {
      await notices.transitionNotice(
        { accountId, noticeId: noticeIdOfWarning(warningId) },
        ['QUEUED', 'DEFERRED'],
        'SUPPRESSED',
        {
          detail: `cancelled: ${cancellation.reason}`,
        },
      );
    }
  }
  for (const reminder of outcome.remindersToCancel) await deps.scheduler.delete(reminder.scheduleName);
  for (const reminder of outcome.remindersToSchedule) {
    const input: PlanScheduleInput = {
      task: reminder.task ?? 'final-reminder',
      accountId,
      planId: reminder.planId,
      revision: reminder.revision,
    };
    await deps.scheduler.create({ name: reminder.scheduleName, at: reminder.at, input });
  }
  await deps.queue.enqueue(toEnqueue);
  if (outcome.events.length > 0) await arrearsStates.putArrearsEvents(accountId, outcome.events as never);
  const waitingSince = outcome.state.plans
    .filter((p) => p.status === 'awaiting-approval')
    .map((p) => p.createdAt)
    .sort()[0];
  const index = waitingSince === undefined ? {} : { awaitingApprovalSince: waitingSince };
  if (!(await arrearsStates.putArrearsState(accountId, outcome.state, version, index))) {
    throw new ConcurrentArrearsStepError(
      `arrears state of ${accountId} changed while it was processed; the step will be retried`,
    );
  }
  return {
    warnings: outcome.warnings.length,
    enqueued: toEnqueue.length,
    cancellations: outcome.cancellations.length,
  };
}

async function step(
  accountId: string,
  deps: ArrearsDeps,
  decide: (snapshot: ArrearsSnapshot) => ArrearsOutcome,
): Promise<{ warnings: number; enqueued: number; cancellations: number } | undefined> {
  // A concurrent step on the same account (a payment during the scan) makes the state write fail: redo it.
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadSnapshot(accountId, deps);
    if (loaded === undefined) return undefined;
    try {
      return await applyOutcome(accountId, decide(loaded.snapshot), loaded.version, deps);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof ConcurrentArrearsStepError)) throw error;
    }
  }
}

/**
 * Accounts per arrears-chunk message: a few table round trips each, so a chunk takes seconds and a
 * province's 100,000 accounts are 1,000 small units of retry.
 */
export const DEFAULT_ARREARS_ACCOUNTS_PER_CHUNK = 100;
/** Accounts of one chunk stepped at a time. */
const ARREARS_ACCOUNTS_IN_PARALLEL = 4;

/**
 * The daily scan (09:00 Asia/Shanghai), first half: every account, in chunks, on the arrears-chunk
 * queue, so that many instances take the steps (scanAccountsForArrears) instead of one that would not
 * get through a province in 15 minutes. Running it twice is harmless: a step taken today is not taken
 * again (the ladder moves at most one level a day, and notices are idempotent by their warning id).
 */
export async function fanOutDailyArrearsScan(
  today: string,
  deps: {
    accounts: Pick<AccountStore, 'listAccounts'>;
    chunks: ArrearsChunkQueue;
    accountsPerChunk?: number;
    policy?: ArrearsPolicy;
  },
) {
  const accountIds = (await deps.accounts.listAccounts()).map((a) => a.accountId);
  const perChunk = Math.max(1, deps.accountsPerChunk ?? DEFAULT_ARREARS_ACCOUNTS_PER_CHUNK);
  const messages: ArrearsChunkMessage[] = [];
  for (let i = 0; i < accountIds.length; i += perChunk) {
    messages.push({ today, chunk: messages.length, accountIds: accountIds.slice(i, i + perChunk) });
  }
  await deps.chunks.enqueue(messages);
  return {
    today,
    accounts: accountIds.length,
    chunks: messages.length,
    ...calendarCoverage(today, deps.policy),
  };
}

/**
 * How long the official working-day calendar still covers (billing-rules.md §8): the scan reports it
 * every day, a metric alarms `coverageWarningDays` (60) before it ends, and `coverageEndsSoon` says so.
 */
export function calendarCoverage(today: string, policy: ArrearsPolicy | undefined) {
  if (policy === undefined) return {};
  const left = daysOfCoverageLeft(today, policy.disconnection);
  if (left === null) return {};
  return {
    calendarCoveredUntil: officialCoverageEnd(),
    calendarCoverageDaysLeft: left,
    coverageEndsSoon: left <= policy.disconnection.coverageWarningDays,
  };
}

/** The daily scan, second half: each account's next step on the ladder today, and plans due. */
export async function scanAccountsForArrears(
  today: string,
  accountIds: readonly string[],
  deps: ArrearsDeps,
) {
  const totals = { accounts: 0, warnings: 0, enqueued: 0, cancellations: 0 };
  let next = 0;
  const worker = async () => {
    while (next < accountIds.length) {
      const accountId = accountIds[next++]!;
      const done = await step(accountId, deps, (snapshot) => scanAccount(snapshot, today, deps.policy));
      if (done === undefined) continue;
      totals.accounts++;
      totals.warnings += done.warnings;
      totals.enqueued += done.enqueued;
      totals.cancellations += done.cancellations;
    }
  };
  await Promise.all(Array.from({ length: ARREARS_ACCOUNTS_IN_PARALLEL }, worker));
  return totals;
}

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
