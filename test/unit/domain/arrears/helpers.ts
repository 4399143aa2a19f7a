import {
  type AccountArrearsState,
  type ArrearsOutcome,
  type ArrearsSnapshot,
  addDays,
  buildLedger,
  emptyArrearsState,
  recordNoticeDelivery,
  scanAccount,
} from '#domain/arrears/index.ts';
import type { PaymentRow } from '#domain/payment.ts';
import { testRecipientKeys } from '../recipient-key.fixtures.ts';
import { ACCOUNT_ID, account, OCTOBER, policy } from './fixtures.ts';

/*
 * Helpers to drive the entry points the AWS handlers call one step at a time: the daily scan, payments recorded,
 * the one-time final reminder, the disconnection time, operator commands. Each takes the stored state
 * and returns the next one; none reads a clock.
 */

export const POLICY = policy();

export function snapshotOf(
  state: AccountArrearsState,
  payments: PaymentRow[] = [],
  important = false,
): ArrearsSnapshot {
  return {
    account: account({ important }),
    ledger: buildLedger({ accountId: ACCOUNT_ID, bills: [OCTOBER], payments }),
    state,
    recipientKeyOf: testRecipientKeys,
  };
}

/** Runs the daily scan from `from` through `to`, returning the final state and every outcome. */
export function scanDays(
  from: string,
  to: string,
  payments: PaymentRow[] = [],
  start = emptyArrearsState(ACCOUNT_ID),
) {
  let state = start;
  const outcomes: ArrearsOutcome[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const outcome = scanAccount(snapshotOf(state, payments), day, POLICY);
    outcomes.push(outcome);
    state = outcome.state;
  }
  return { state, outcomes, warnings: outcomes.flatMap((o) => o.warnings) };
}

export const kinds = (o: { warnings: { kind: string; sendAt: string }[] }) => [
  ...new Set(o.warnings.map((w) => `${w.sendAt.slice(0, 10)} ${w.kind}`)),
];

/** The provider reports the disconnection notice delivered by email at `at` (recorded at `recordedAt`). */
export function delivered(
  state: AccountArrearsState,
  at: string,
  recordedAt = at,
  payments: PaymentRow[] = [],
  outcome: 'delivered' | 'bounced' = 'delivered',
): ArrearsOutcome {
  return recordNoticeDelivery(
    snapshotOf(state, payments),
    { channel: 'email', at, outcome, source: 'provider' },
    recordedAt,
    POLICY,
  );
}

/** Scans through `to` with the disconnection notice delivered the moment it was sent. */
export function scanDaysDelivered(from: string, to: string, payments: PaymentRow[] = []) {
  const { state, outcomes, warnings } = scanDays(from, to, payments);
  const notice = warnings.find((w) => w.kind === 'disconnection-notice');
  return {
    state: notice === undefined ? state : delivered(state, notice.sendAt, notice.sendAt, payments).state,
    outcomes,
    warnings,
  };
}
