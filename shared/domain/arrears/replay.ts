import type { Account } from '../account.ts';
import { addDays, daysBetween, instantMs, startOfDayMs } from '../calendar/index.ts';
import type { PaymentRow } from '../payment.ts';
import { canonicalAddress, type RecipientKeyOf } from '../recipient-key.ts';
import type { DisconnectionPlan, NoticeDelivery, PlanCancellation } from './disconnection/index.ts';
import type { ArrearsWarning, WarningLevel } from './evidence.ts';
import type {
  ArrearsBill,
  ArrearsBillInput,
  ArrearsOperatorCommand,
  DisconnectionApproval,
  WhatIfEvent,
} from './inputs.ts';
import { type BillStatement, buildLedger, type LedgerFinding, statementOn } from './ledger/index.ts';
import type { ArrearsPolicy } from './policy.ts';
import { replayAccount } from './replay-account.ts';
import { messageOf, reportPlans } from './replay-report.ts';
import { commandsOf, deliveriesOf, type ReplayWindow, staticEvents } from './replay-timeline.ts';
import { ledgerUnderTerms } from './run.ts';
import type { AccountArrearsState, ArrearsEvent } from './state.ts';

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
  /** Beyond the official calendar: the operator who confirmed the day is a working day (not checked). */
  workingDayConfirmedBy?: string;
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
