import { describe, expect, it } from 'vitest';
import { emptyArrearsState, scanAccount } from '#domain/arrears/index.ts';
import { RECIPIENT_KEY_PATTERN } from '#domain/recipient-key.ts';
import { ACCOUNT_ID, OCTOBER_ID } from './fixtures.ts';
import { kinds, POLICY, scanDays, snapshotOf } from './helpers.ts';

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
    expect(kinds({ warnings })).toEqual(['2026-12-28 overdue-notice', '2026-12-29 payment-demand']);
    // The demand needs 7 days to work (01-05); a disconnection in 2027 is beyond the official calendar's
    // coverage, so the plan waits for an operator and no notice goes out.
    expect(state.bills[0]?.reached.map((r) => r.level)).toEqual(['overdue-notice', 'payment-demand']);
    expect(state.plans.map((p) => p.status)).toEqual(['awaiting-calendar']);
  });

  it('keeps the same warning ids when a scan is repeated from the same state (idempotent outbox keys)', () => {
    const a = scanAccount(snapshotOf(emptyArrearsState(ACCOUNT_ID)), '2026-11-17', POLICY);
    const b = scanAccount(snapshotOf(emptyArrearsState(ACCOUNT_ID)), '2026-11-17', POLICY);
    expect(a.warnings.map((w) => w.warningId)).toEqual(b.warnings.map((w) => w.warningId));
    expect(a.warnings[0]?.warningId).toMatch(
      new RegExp(`^${OCTOBER_ID}#reminder#email#customer#${RECIPIENT_KEY_PATTERN}$`),
    );
  });

  it('asks for a one-time final reminder schedule and a delivery check when the notice goes out', () => {
    const { outcomes } = scanDays('2026-11-17', '2026-12-21');
    expect(outcomes.at(-1)?.remindersToSchedule).toEqual([
      {
        scheduleName: `dp-${ACCOUNT_ID}-DP1-r1`,
        planId: `${ACCOUNT_ID}#DP1`,
        revision: 1,
        at: '2026-12-24T10:45:00+08:00',
      },
      // The end of the 24-hour delivery window after the notice was sent (09:00 on 12-21).
      {
        scheduleName: `dc-${ACCOUNT_ID}-DP1-r1`,
        planId: `${ACCOUNT_ID}#DP1`,
        revision: 1,
        at: '2026-12-22T09:00:00+08:00',
        task: 'delivery-check',
      },
    ]);
  });
});
