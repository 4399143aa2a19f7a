import { describe, expect, it } from 'vitest';
import { ArrearsCommandError, applyArrearsCommand } from '#domain/arrears/index.ts';
import { ACCOUNT_ID } from '../fixtures.ts';
import { POLICY, scanDays, snapshotOf } from '../helpers.ts';

describe('after a disconnection notice: operator commands', () => {
  const notified = scanDays('2026-11-17', '2026-12-21').state;

  it('refuses a deferral to a day that is not a working day', () => {
    expect(() =>
      applyArrearsCommand(
        snapshotOf(notified),
        {
          command: 'defer',
          accountId: ACCOUNT_ID,
          newDate: '2026-12-26',
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
