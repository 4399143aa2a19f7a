import type { Account } from '../account.ts';
import { addDays, daysBetween, instantMs, shanghaiInstant, startOfDayMs } from '../calendar/index.ts';
import type { PaymentRow } from '../payment.ts';
import { canonicalAddress, type RecipientKeyOf } from '../recipient-key.ts';
import {
  ArrearsCommandError,
  applyArrearsCommand,
  awaitsDelivery,
  checkNoticeDelivery,
  type DisconnectionPlan,
  deliveryCheckSchedule,
  fireFinalReminder,
  type NoticeDelivery,
  type PlanCancellation,
  reachDisconnectionTime,
  recordNoticeDelivery,
  recordPayments,
  scanMsOn,
} from './disconnection/index.ts';
import type { ArrearsWarning, WarningLevel } from './evidence.ts';
import {
  type ArrearsBill,
  type ArrearsBillInput,
  type ArrearsOperatorCommand,
  commandOfWhatIfEvent,
  type DisconnectionApproval,
  type WhatIfEvent,
} from './inputs.ts';
import { scanAccount } from './ladder.ts';
import {
  type AccountLedger,
  type BillStatement,
  buildLedger,
  type LedgerFinding,
  statementOn,
} from './ledger/index.ts';
import type { ArrearsPolicy } from './policy.ts';
import { messageOf, reportPlans } from './replay-report.ts';
import { ledgerUnderTerms } from './run.ts';
import {
  type AccountArrearsState,
  type ArrearsEvent,
  type ArrearsOutcome,
  type ArrearsSnapshot,
  emptyArrearsState,
} from './state.ts';

/*
 * Replay / what-if: runs the arrears domain over a window with a controlled clock, exactly as the
 * deployed system would: the daily scan at the policy's scan time, payments re-evaluated the moment they
 * are made, each final reminder at its instant, each disconnection time as it passes, operator commands
 * and approvals when given. Every account starts the window with no warning sent.
 */

export interface ReplayInput {
  accounts: readonly Account[];
  bills: readonly (ArrearsBill | ArrearsBillInput)[];
  payments: readonly PaymentRow[];
  /** First and last day of the window (Asia/Shanghai), inclusive. */
  from: string;
  to: string;
  policy: ArrearsPolicy;
  approvals?: readonly DisconnectionApproval[];
  commands?: readonly ArrearsOperatorCommand[];
  /** Operator commands and delivery outcomes (`--events`). */
  events?: readonly WhatIfEvent[];
  /**
   * Names recipients in warning ids. @default the canonical address: a what-if's output lists the
   * recipients' addresses anyway, and needs no secret to stay the same from one replay to the next.
   */
  recipientKeyOf?: RecipientKeyOf;
}

type DeliveryEvent = Extract<WhatIfEvent, { type: 'delivery' }>;

export type DisconnectionOutcome =
  | 'notice-pending'
  | 'notified'
  | 'reminded'
  | 'disconnect-due'
  | 'restored'
  | 'paid'
  | 'deferred'
  | 'exempted'
  | 'lapsed'
  | 'late-delivery'
  | 'no-delivery';

/** One planned disconnection time (a plan revision). */
export interface PlannedDisconnection {
  planId: string;
  accountId: string;
  revision: number;
  noticeAt: string;
  reminderAt: string;
  disconnectAt: string;
  noticeSentAt?: string;
  reminderSentAt?: string;
  /** The delivery the lead time counted from. */
  countedFrom?: NoticeDelivery;
  outcome: DisconnectionOutcome;
}

/** One message as the output lists it: what was said to whom, when, on which channel. */
export interface ReplayMessage {
  sendAt: string;
  accountId: string;
  kind: ArrearsWarning['kind'];
  channel: ArrearsWarning['channel'];
  recipientRole: ArrearsWarning['recipient']['role'];
  planId?: string;
  planRevision?: number;
  amounts: ArrearsWarning['amounts'];
  disconnectAt?: string;
}

export type ReplayFinding = LedgerFinding | { code: 'unknown-account'; accountId: string; message: string };

export interface ReplayResult {
  from: string;
  to: string;
  policyId: string;
  /** Ladder warnings, disconnection notices and final reminders, in send order. */
  notices: ArrearsWarning[];
  /** Cancellation, restoration and payment confirmations, in send order. */
  confirmations: ArrearsWarning[];
  /** Every message of both lists, in send order, with what it stated. */
  messages: ReplayMessage[];
  disconnections: PlannedDisconnection[];
  cancellations: PlanCancellation[];
  /** Plans still waiting for a manager's approval at the end of the window. */
  awaitingApproval: { planId: string; accountId: string; createdAt: string; billIds: string[] }[];
  plans: DisconnectionPlan[];
  events: ArrearsEvent[];
  rejectedCommands: { command: ArrearsOperatorCommand; error: string }[];
  findings: ReplayFinding[];
  /** Each account's bills at the end of the window and the level each reached. */
  accounts: {
    accountId: string;
    bills: (BillStatement & { level: WarningLevel | null })[];
    state: AccountArrearsState;
  }[];
}

const CONFIRMATION_KINDS = new Set(['disconnection-cancelled', 'supply-restoration', 'penalty-outstanding']);

type StaticEvent =
  | { ms: number; order: 0; kind: 'payments' }
  | { ms: number; order: 1; kind: 'delivery'; delivery: DeliveryEvent }
  | { ms: number; order: 1; kind: 'command'; command: ArrearsOperatorCommand }
  | { ms: number; order: 2; kind: 'scan'; day: string };

type DynamicEvent =
  | { ms: number; order: 3; kind: 'reminder' | 'delivery-check'; planId: string; revision: number }
  | { ms: number; order: 4; kind: 'disconnect' };

const byTime = (a: { ms: number; order: number }, b: { ms: number; order: number }) =>
  a.ms - b.ms || a.order - b.order;

function nextDynamic(
  state: AccountArrearsState,
  after: number,
  policy: ArrearsPolicy,
): DynamicEvent | undefined {
  const candidates: DynamicEvent[] = [];
  for (const plan of state.plans) {
    const rev = plan.revisions.at(-1);
    if (rev === undefined) continue;
    if (plan.status === 'notified' && rev.reminderSentAt === undefined) {
      candidates.push({
        ms: Math.max(instantMs(rev.reminderAt), after),
        order: 3,
        kind: 'reminder',
        planId: plan.planId,
        revision: rev.revision,
      });
    }
    if (plan.status === 'notified' && awaitsDelivery(rev)) {
      // The revision's delivery check, at the end of the delivery window (as its one-time schedule fires).
      const check = deliveryCheckSchedule(plan.planId, rev.revision, rev.noticeSentAt!, policy);
      candidates.push({
        ms: Math.max(instantMs(check.at), after),
        order: 3,
        kind: 'delivery-check',
        planId: plan.planId,
        revision: rev.revision,
      });
    }
    if (plan.status === 'notified' || plan.status === 'reminded') {
      candidates.push({ ms: Math.max(instantMs(rev.disconnectAt), after), order: 4, kind: 'disconnect' });
    }
  }
  return candidates.sort(byTime)[0];
}

/** Accounts with bills or payments that the accounts file does not hold: they are not replayed. */
function unknownAccounts(input: ReplayInput, accounts: ReadonlyMap<string, Account>): ReplayFinding[] {
  const findings: ReplayFinding[] = [];
  for (const id of new Set([
    ...input.bills.map((b) => b.accountId),
    ...input.payments.map((p) => p.accountId),
  ])) {
    if (!accounts.has(id)) {
      findings.push({
        code: 'unknown-account',
        accountId: id,
        message: `account ${id} has bills or payments but is not in the accounts file; it is not replayed`,
      });
    }
  }
  return findings;
}

/** Approvals are approve commands. */
function commandsOf(input: ReplayInput): ArrearsOperatorCommand[] {
  return [
    ...(input.approvals ?? []).map(
      (a): ArrearsOperatorCommand => ({
        command: 'approve',
        accountId: a.accountId,
        by: a.approvedBy,
        at: a.approvedAt,
        ...(a.planId === undefined ? {} : { planId: a.planId }),
        ...(a.note === undefined ? {} : { note: a.note }),
      }),
    ),
    ...(input.commands ?? []),
    ...(input.events ?? []).flatMap((e) => commandOfWhatIfEvent(e) ?? []),
  ];
}

const deliveriesOf = (input: ReplayInput): DeliveryEvent[] =>
  (input.events ?? []).filter((e): e is DeliveryEvent => e.type === 'delivery');

interface ReplayWindow {
  from: string;
  to: string;
  startMs: number;
  endMs: number;
}

/** Payment instants, operator commands and daily scans of one account inside the window, in order. */
function staticEvents(
  ledger: AccountLedger,
  commands: readonly ArrearsOperatorCommand[],
  deliveries: readonly DeliveryEvent[],
  accountId: string,
  window: ReplayWindow,
  policy: ArrearsPolicy,
): StaticEvent[] {
  const inWindow = (ms: number) => ms >= window.startMs && ms < window.endMs;
  const statics: StaticEvent[] = [
    ...[...new Set(ledger.entries.map((e) => e.atMs))]
      .filter(inWindow)
      .map((ms): StaticEvent => ({ ms, order: 0, kind: 'payments' })),
    ...commands
      .filter((c) => c.accountId === accountId && inWindow(instantMs(c.at)))
      .map((command): StaticEvent => ({ ms: instantMs(command.at), order: 1, kind: 'command', command })),
    ...deliveries
      .filter((d) => d.accountId === accountId && inWindow(instantMs(d.at)))
      .map((delivery): StaticEvent => ({ ms: instantMs(delivery.at), order: 1, kind: 'delivery', delivery })),
  ];
  for (let day = window.from; day <= window.to; day = addDays(day, 1)) {
    statics.push({ ms: scanMsOn(day, policy), order: 2, kind: 'scan', day });
  }
  return statics.sort(byTime);
}

/** Runs one account through the window, the plans' own instants interleaved with the fixed events. */
function replayAccount(
  account: Account,
  ledger: AccountLedger,
  statics: readonly StaticEvent[],
  window: ReplayWindow,
  policy: ArrearsPolicy,
  result: ReplayResult,
  reportedChannels: ReadonlySet<string>,
  recipientKeyOf: RecipientKeyOf,
): AccountArrearsState {
  let state = emptyArrearsState(account.accountId);
  const snapshot = (): ArrearsSnapshot => ({ account, ledger, state, recipientKeyOf });
  const apply = (outcome: ArrearsOutcome) => {
    state = outcome.state;
    for (const w of outcome.warnings)
      (CONFIRMATION_KINDS.has(w.kind) ? result.confirmations : result.notices).push(w);
    result.cancellations.push(...outcome.cancellations);
    result.events.push(...outcome.events);
    assumeDelivered(outcome.warnings);
  };
  /** Without a delivery event for its channel, a disconnection notice counts as delivered when sent. */
  const assumeDelivered = (warnings: readonly ArrearsWarning[]) => {
    for (const w of warnings) {
      if (w.kind !== 'disconnection-notice' || w.recipient.role !== 'customer') continue;
      if (reportedChannels.has(w.channel)) continue;
      apply(
        recordNoticeDelivery(
          snapshot(),
          {
            channel: w.channel,
            at: w.sendAt,
            outcome: 'delivered',
            source: 'assumed-at-send',
            ...(w.planId === undefined ? {} : { planId: w.planId }),
            ...(w.planRevision === undefined ? {} : { revision: w.planRevision }),
          },
          w.sendAt,
          policy,
        ),
      );
    }
  };

  let i = 0;
  let cursor = window.startMs;
  for (;;) {
    const s = statics[i];
    const d = nextDynamic(state, cursor, policy);
    const dynamicFirst = d !== undefined && d.ms < window.endMs && (s === undefined || byTime(d, s) < 0);
    if (!dynamicFirst && s === undefined) break;
    if (dynamicFirst) {
      cursor = d.ms;
      const at = shanghaiInstant(d.ms);
      apply(
        d.kind === 'reminder'
          ? fireFinalReminder(snapshot(), { planId: d.planId, revision: d.revision }, at, policy)
          : d.kind === 'delivery-check'
            ? checkNoticeDelivery(snapshot(), { planId: d.planId, revision: d.revision }, at, policy)
            : reachDisconnectionTime(snapshot(), at, policy),
      );
      continue;
    }
    i++;
    cursor = s!.ms;
    if (s!.kind === 'scan') apply(scanAccount(snapshot(), s!.day, policy));
    else if (s!.kind === 'payments') apply(recordPayments(snapshot(), shanghaiInstant(s!.ms), policy));
    else if (s!.kind === 'delivery') {
      const { channel, at, outcome } = s!.delivery;
      apply(recordNoticeDelivery(snapshot(), { channel, at, outcome, source: 'what-if' }, at, policy));
    } else {
      try {
        apply(applyArrearsCommand(snapshot(), s!.command, policy));
      } catch (error) {
        if (!(error instanceof ArrearsCommandError)) throw error;
        result.rejectedCommands.push({ command: s!.command, error: error.message });
      }
    }
  }
  return state;
}

export function replayArrears(input: ReplayInput): ReplayResult {
  const { policy, from, to } = input;
  if (daysBetween(from, to) < 0) throw new RangeError(`the window ends (${to}) before it starts (${from})`);
  const window: ReplayWindow = { from, to, startMs: startOfDayMs(from), endMs: startOfDayMs(addDays(to, 1)) };
  const accounts = new Map(input.accounts.map((a) => [a.accountId, a]));
  const findings = unknownAccounts(input, accounts);
  const commands = commandsOf(input);
  const deliveries = deliveriesOf(input);

  const result: ReplayResult = {
    from,
    to,
    policyId: policy.policyId,
    notices: [],
    confirmations: [],
    messages: [],
    disconnections: [],
    cancellations: [],
    awaitingApproval: [],
    plans: [],
    events: [],
    rejectedCommands: [],
    findings,
    accounts: [],
  };

  for (const account of [...accounts.values()].sort((a, b) => (a.accountId < b.accountId ? -1 : 1))) {
    const ledger = buildLedger({
      accountId: account.accountId,
      bills: input.bills.filter((b) => b.accountId === account.accountId),
      payments: input.payments.filter((p) => p.accountId === account.accountId),
      penalty: { rates: policy.penalty, order: policy.paymentAllocation, waivers: [] },
    });
    findings.push(...ledger.findings);
    const statics = staticEvents(ledger, commands, deliveries, account.accountId, window, policy);
    const reported = new Set(
      deliveries.filter((d) => d.accountId === account.accountId).map((d) => d.channel),
    );
    const state = replayAccount(
      account,
      ledger,
      statics,
      window,
      policy,
      result,
      reported,
      input.recipientKeyOf ?? canonicalAddress,
    );
    reportPlans(state, result);
    result.accounts.push({
      accountId: account.accountId,
      bills: statementOn(ledgerUnderTerms(ledger, state.penaltyWaivers, policy), to, policy.penalty).map(
        (b) => ({
          ...b,
          level: state.bills.find((p) => p.billId === b.billId)?.reached.at(-1)?.level ?? null,
        }),
      ),
      state,
    });
  }
  const bySendTime = (a: ArrearsWarning, b: ArrearsWarning) => instantMs(a.sendAt) - instantMs(b.sendAt);
  result.notices.sort(bySendTime);
  result.confirmations.sort(bySendTime);
  result.messages = [...result.notices, ...result.confirmations].sort(bySendTime).map(messageOf);
  return result;
}
