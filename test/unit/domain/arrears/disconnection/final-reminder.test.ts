import { describe, expect, it } from 'vitest';
import { fireFinalReminder, reachDisconnectionTime, scanAccount } from '#domain/arrears/index.ts';
import { ACCOUNT_ID } from '../fixtures.ts';
import { POLICY, scanDays, scanDaysDelivered, snapshotOf } from '../helpers.ts';

describe('after a disconnection notice: the final reminder and the disconnection time', () => {
  const notified = scanDaysDelivered('2026-11-17', '2026-12-21').state;
  const target = { planId: `${ACCOUNT_ID}#DP1`, revision: 1 };

  it('lets supply be cut only after the final reminder; without it the plan lapses and is planned again', () => {
    const reminded = fireFinalReminder(snapshotOf(notified), target, '2026-12-24T10:45:00+08:00', POLICY);
    const due = reachDisconnectionTime(snapshotOf(reminded.state), '2026-12-24T11:15:00+08:00', POLICY);
    expect(due.state.plans[0]?.status).toBe('disconnect-due');

    const missed = reachDisconnectionTime(snapshotOf(notified), '2026-12-24T11:15:00+08:00', POLICY);
    expect(missed.state.plans[0]?.status).toBe('lapsed');
    const next = scanAccount(snapshotOf(missed.state), '2026-12-25', POLICY);
    expect(next.state.plans.map((p) => [p.planId, p.status])).toEqual([
      [`${ACCOUNT_ID}#DP1`, 'lapsed'],
      [`${ACCOUNT_ID}#DP2`, 'notified'],
    ]);
  });

  it('never cuts supply for a notice with no recorded delivery: the plan lapses', () => {
    const undelivered = scanDays('2026-11-17', '2026-12-21').state;
    // The provider's events were lost and nobody scanned in between (the window check is the daily scan).
    const reminded = fireFinalReminder(snapshotOf(undelivered), target, '2026-12-24T10:45:00+08:00', POLICY);
    const due = reachDisconnectionTime(snapshotOf(reminded.state), '2026-12-24T11:15:00+08:00', POLICY);
    expect(due.state.plans[0]?.status).toBe('lapsed');
    expect(due.events.find((e) => e.type === 'plan-lapsed')?.detail).toBe('notice not delivered');
  });
});
