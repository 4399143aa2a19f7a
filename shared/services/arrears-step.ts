import { createHash } from 'node:crypto';
import {
  type AccountArrearsState,
  type ArrearsOutcome,
  type ArrearsPolicy,
  type ArrearsSnapshot,
  type ArrearsWarning,
  buildLedger,
  emptyArrearsState,
} from '#domain/arrears/index.ts';
import type { NoticePlan } from '#domain/notices.ts';
import { billHistoryAsSent } from './bills-as-sent.ts';
import type {
  AccountStore,
  ArrearsStore,
  BillHoldStore,
  BillStore,
  NoticeQueue,
  NoticeStore,
  PaymentStore,
  RecipientKeyer,
  ReminderScheduler,
} from './ports/index.ts';

/*
 * One account's step on the arrears ladder, whatever started it (the daily scan, a payment, a plan's
 * schedule, an operator): load the account's snapshot (bills as sent, payments, state), let the domain
 * decide, and carry out its outcome — the outbox first, then the state, conditionally.
 */

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

/** Where the stores give no holds, no version is kept back. */
const NO_HOLDS: Pick<BillHoldStore, 'listHolds'> = { listHolds: async () => [] };

async function loadSnapshot(
  accountId: string,
  deps: Pick<
    ArrearsDeps,
    'accounts' | 'bills' | 'holds' | 'payments' | 'arrearsStates' | 'policy' | 'recipientKeys'
  >,
): Promise<{ snapshot: ArrearsSnapshot; version: number | undefined } | undefined> {
  const account = await deps.accounts.getAccount(accountId);
  if (account === undefined) return undefined;
  const [{ sent }, payments, stored, recipientKeyOf] = await Promise.all([
    billHistoryAsSent(accountId, '9999-12', 36, { bills: deps.bills, holds: deps.holds ?? NO_HOLDS }),
    deps.payments.listPayments(accountId),
    deps.arrearsStates.getArrearsState<AccountArrearsState>(accountId),
    deps.recipientKeys.current(),
  ]);
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

export async function step(
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
