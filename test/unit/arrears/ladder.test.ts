import { describe, expect, it } from 'vitest';
import {
  type AccountArrearsState,
  ArrearsCommandError,
  type ArrearsOutcome,
  type ArrearsSnapshot,
  addDays,
  applyArrearsCommand,
  buildLedger,
  emptyArrearsState,
  fireFinalReminder,
  isWarningStillDue,
  reachDisconnectionTime,
  recordPayments,
  scanAccount,
} from '../../../shared/domain/arrears/index.ts';
import type { PaymentRow } from '../../../shared/domain/payment.ts';
import { ACCOUNT_ID, account, OCTOBER, OCTOBER_ID, payment, policy } from './fixtures.ts';

/*
 * The entry points the AWS handlers call, driven one step at a time: the daily scan, payments recorded,
 * the one-time final reminder, the disconnection time, operator commands. Each takes the stored state
 * and returns the next one; none reads a clock.
 */

const POLICY = policy();

function snapshotOf(
  state: AccountArrearsState,
  payments: PaymentRow[] = [],
  important = false,
): ArrearsSnapshot {
  return {
    account: account({ important }),
    ledger: buildLedger({ accountId: ACCOUNT_ID, bills: [OCTOBER], payments }),
    state,
  };
}

/** Runs the daily scan from `from` through `to`, returning the final state and every outcome. */
function scanDays(
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

const kinds = (o: { warnings: { kind: string; sendAt: string }[] }) => [
  ...new Set(o.warnings.map((w) => `${w.sendAt.slice(0, 10)} ${w.kind}`)),
];

describe('daily arrears scan', () => {
  it('does nothing the second time it runs on the same day with the stored state', () => {
    const first = scanAccount(snapshotOf(emptyArrearsState(ACCOUNT_ID)), '2026-11-21', POLICY);
    expect(kinds(first)).toEqual(['2026-11-21 overdue-notice']);
    const again = scanAccount(snapshotOf(first.state), '2026-11-21', POLICY);
    expect(again.warnings).toEqual([]);
    expect(again.state).toEqual(first.state);
  });

  it('climbs one level a day when it first meets a bill long overdue, skipping only the lapsed reminder', () => {
    const { warnings, state } = scanDays('2026-12-28', '2027-01-06');
    expect(kinds({ warnings })).toEqual([
      '2026-12-28 overdue-notice',
      '2026-12-29 payment-demand',
      // The demand needs 7 days to work before a disconnection notice (policy).
      '2027-01-05 disconnection-notice',
    ]);
    expect(state.bills[0]?.reached.map((r) => r.level)).toEqual([
      'overdue-notice',
      'payment-demand',
      'disconnection-notice',
    ]);
  });

  it('keeps the same warning ids when a scan is repeated from the same state (idempotent outbox keys)', () => {
    const a = scanAccount(snapshotOf(emptyArrearsState(ACCOUNT_ID)), '2026-11-17', POLICY);
    const b = scanAccount(snapshotOf(emptyArrearsState(ACCOUNT_ID)), '2026-11-17', POLICY);
    expect(a.warnings.map((w) => w.warningId)).toEqual(b.warnings.map((w) => w.warningId));
    expect(a.warnings[0]?.warningId).toMatch(
      new RegExp(`^${OCTOBER_ID}#reminder#email#customer#[0-9a-f]{16}$`),
    );
  });

  it('asks for a one-time final reminder schedule when the notice goes out', () => {
    const { outcomes } = scanDays('2026-11-17', '2026-12-21');
    expect(outcomes.at(-1)?.remindersToSchedule).toEqual([
      {
        scheduleName: `dp-${ACCOUNT_ID}-DP1-r1`,
        planId: `${ACCOUNT_ID}#DP1`,
        revision: 1,
        at: '2026-12-24T09:30:00+08:00',
      },
    ]);
  });
});

describe('after a disconnection notice', () => {
  const notified = scanDays('2026-11-17', '2026-12-21').state;
  const target = { planId: `${ACCOUNT_ID}#DP1`, revision: 1 };

  it('cancels the final reminder schedule when a payment clears the arrears, and confirms', () => {
    const paid = [payment('128000.50', '2026-12-23T16:20:00+08:00')];
    const outcome = recordPayments(snapshotOf(notified, paid), '2026-12-23T16:20:00+08:00', POLICY);
    expect(outcome.remindersToCancel).toEqual([
      { scheduleName: `dp-${ACCOUNT_ID}-DP1-r1`, ...target, at: '2026-12-24T09:30:00+08:00' },
    ]);
    expect(outcome.cancellations[0]?.pendingWarningIds).toHaveLength(4);
    expect(outcome.warnings.map((w) => w.kind)).toEqual(Array(4).fill('disconnection-cancelled'));
    expect(outcome.state.plans[0]?.status).toBe('cancelled');
    // The schedule fires anyway (deleted too late): nothing is sent.
    const late = fireFinalReminder(
      snapshotOf(outcome.state, paid),
      target,
      '2026-12-24T09:30:00+08:00',
      POLICY,
    );
    expect(late.warnings).toEqual([]);
    expect(late.events.map((e) => e.type)).toEqual(['stale-reminder-ignored']);
  });

  it('leaves the plan standing after a partial payment', () => {
    const partial = [payment('100000.00', '2026-12-23T16:20:00+08:00')];
    const outcome = recordPayments(snapshotOf(notified, partial), '2026-12-23T16:20:00+08:00', POLICY);
    expect(outcome.cancellations).toEqual([]);
    const reminder = fireFinalReminder(
      snapshotOf(outcome.state, partial),
      target,
      '2026-12-24T09:30:00+08:00',
      POLICY,
    );
    expect(reminder.warnings.find((w) => w.recipient.role === 'customer')?.amounts.arrears).toBe('28000.50');
  });

  it('lets supply be cut only after the final reminder; without it the plan lapses and is planned again', () => {
    const reminded = fireFinalReminder(snapshotOf(notified), target, '2026-12-24T09:30:00+08:00', POLICY);
    const due = reachDisconnectionTime(snapshotOf(reminded.state), '2026-12-24T10:00:00+08:00', POLICY);
    expect(due.state.plans[0]?.status).toBe('disconnect-due');

    const missed = reachDisconnectionTime(snapshotOf(notified), '2026-12-24T10:00:00+08:00', POLICY);
    expect(missed.state.plans[0]?.status).toBe('lapsed');
    const next = scanAccount(snapshotOf(missed.state), '2026-12-25', POLICY);
    expect(next.state.plans.map((p) => [p.planId, p.status])).toEqual([
      [`${ACCOUNT_ID}#DP1`, 'lapsed'],
      [`${ACCOUNT_ID}#DP2`, 'notified'],
    ]);
  });

  it('confirms restoration within the policy days when a disconnected account pays', () => {
    const reminded = fireFinalReminder(snapshotOf(notified), target, '2026-12-24T09:30:00+08:00', POLICY);
    const due = reachDisconnectionTime(snapshotOf(reminded.state), '2026-12-24T10:00:00+08:00', POLICY);
    const paid = [payment('128000.50', '2026-12-26T11:00:00+08:00')];
    const outcome = recordPayments(snapshotOf(due.state, paid), '2026-12-26T11:00:00+08:00', POLICY);
    expect(outcome.state.plans[0]?.status).toBe('restored');
    const customer = outcome.warnings.find((w) => w.recipient.role === 'customer');
    expect(customer?.kind).toBe('supply-restoration');
    expect(customer?.text).toContain('3 日内恢复供电');
  });

  it('refuses a deferral to a day that is not a working day', () => {
    expect(() =>
      applyArrearsCommand(
        snapshotOf(notified),
        {
          command: 'defer',
          accountId: ACCOUNT_ID,
          newDate: '2027-01-01',
          by: 'op',
          reason: 'x',
          at: '2026-12-22T10:00:00+08:00',
        },
        POLICY,
      ),
    ).toThrow(ArrearsCommandError);
  });

  it('refuses a deferral that does not move the disconnection later (no second notice for the same time)', () => {
    const sameDay = {
      command: 'defer' as const,
      accountId: ACCOUNT_ID,
      newDate: '2026-12-24',
      by: 'op',
      reason: 'x',
      at: '2026-12-22T10:00:00+08:00',
    };
    expect(() => applyArrearsCommand(snapshotOf(notified), sameDay, POLICY)).toThrow(
      /2026-12-24 is not after the planned disconnection/,
    );
  });

  it('refuses an approval when no plan awaits one', () => {
    expect(() =>
      applyArrearsCommand(
        snapshotOf(notified),
        { command: 'approve', accountId: ACCOUNT_ID, by: 'mgr', at: '2026-12-22T10:00:00+08:00' },
        POLICY,
      ),
    ).toThrow(/is notified/);
  });
});

describe('a queued warning', () => {
  it('is no longer due once its bills are cleared', () => {
    const { warnings } = scanDays('2026-11-21', '2026-11-21');
    const paid = buildLedger({
      accountId: ACCOUNT_ID,
      bills: [OCTOBER],
      payments: [payment('128000.50', '2026-11-21T09:05:00+08:00')],
    });
    expect(isWarningStillDue(paid, warnings[0]!, '2026-11-21T09:01:00+08:00')).toBe(true);
    expect(isWarningStillDue(paid, warnings[0]!, '2026-11-21T09:06:00+08:00')).toBe(false);
  });
});
