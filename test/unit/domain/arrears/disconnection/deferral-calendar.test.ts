import { describe, expect, it } from 'vitest';
import {
  type AccountArrearsState,
  type ArrearsPolicy,
  addDays,
  applyArrearsCommand,
  buildLedger,
  emptyArrearsState,
  scanAccount,
} from '#domain/arrears/index.ts';
import { testRecipientKeys } from '../../recipient-key.fixtures.ts';
import { ACCOUNT_ID, account, OCTOBER, policy } from '../fixtures.ts';
import { POLICY, scanDays, snapshotOf } from '../helpers.ts';

/*
 * An operator's deferral and the official calendar (billing-rules §8, working days): the calendar, which
 * covers 2024–2026, decides every day it covers; a day beyond it is used only on the operator's explicit
 * confirmation that they checked the published holidays, and the plan records that it was not checked.
 */

/** The August bill's plan, notified on 2026-09-22 for 2026-09-28: National Day week is ahead. */
const AUGUST = { ...OCTOBER, period: '2026-08', dueDate: '2026-08-21' };
function september(): AccountArrearsState {
  let state = emptyArrearsState(ACCOUNT_ID);
  const ledger = buildLedger({ accountId: ACCOUNT_ID, bills: [AUGUST], payments: [] });
  for (let day = '2026-08-18'; day <= '2026-09-22'; day = addDays(day, 1)) {
    state = scanAccount(
      { account: account(), ledger, state, recipientKeyOf: testRecipientKeys },
      day,
      POLICY,
    ).state;
  }
  return state;
}
const SEPTEMBER = september();
/** The October bill's plan, notified on 2026-12-21 for 2026-12-24: 2027 is ahead. */
const DECEMBER = scanDays('2026-11-17', '2026-12-21').state;
const LOCAL_HOLIDAY = policy({
  disconnection: { approvalRequiredFor: 'important', nonWorkingDates: ['2027-01-05'] },
});

function deferral(
  state: AccountArrearsState,
  newDate: string,
  confirmWorkingDay: boolean | undefined,
  p: ArrearsPolicy = POLICY,
) {
  const at = state === SEPTEMBER ? '2026-09-22T15:00:00+08:00' : '2026-12-22T10:00:00+08:00';
  const ledger = buildLedger({
    accountId: ACCOUNT_ID,
    bills: [state === SEPTEMBER ? AUGUST : OCTOBER],
    payments: [],
  });
  return applyArrearsCommand(
    { ...snapshotOf(state), ledger },
    {
      command: 'defer',
      accountId: ACCOUNT_ID,
      newDate,
      by: '王经理',
      reason: '分期',
      at,
      ...(confirmWorkingDay === undefined ? {} : { confirmWorkingDay }),
    },
    p,
  );
}

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  return undefined;
};

describe('a deferral and the official calendar', () => {
  it.each<['September' | 'December', string, boolean | undefined, string, string]>([
    // plan         new day       confirmed   answer               why
    ['September', '2026-10-08', undefined, 'accepted', 'a covered working day needs no confirmation'],
    ['September', '2026-10-08', true, 'accepted', 'a covered working day with the flag: the same'],
    ['September', '2026-10-10', undefined, 'accepted', 'a covered 调休 Saturday is a working day'],
    ['September', '2026-10-05', undefined, 'bad-date', 'a National Day holiday'],
    ['September', '2026-10-05', true, 'bad-date', 'a National Day holiday, whatever the operator says'],
    ['December', '2027-01-04', undefined, 'beyond-calendar', 'a 2027 weekday cannot be checked'],
    ['December', '2027-01-04', false, 'beyond-calendar', 'nor with the flag false'],
    ['December', '2027-01-04', true, 'accepted', 'a 2027 weekday on the operator’s word'],
    ['December', '2027-01-02', true, 'bad-date', 'a 2027 Saturday, even confirmed'],
    ['December', '2027-01-02', undefined, 'bad-date', 'a 2027 Saturday: no confirmation is asked for'],
  ] as const)('%s plan, deferral to %s (confirmed: %s) → %s: %s', (plan, newDate, confirmed, answer) => {
    const state = plan === 'September' ? SEPTEMBER : DECEMBER;
    const refused = refusal(() => deferral(state, newDate, confirmed));
    expect(refused?.code ?? 'accepted').toBe(answer);
    if (answer === 'accepted') {
      const deferred = deferral(state, newDate, confirmed).state.plans[0]!;
      expect(deferred.revisions.at(-1)?.disconnectAt).toBe(`${newDate}T10:00:00+08:00`);
    }
  });

  it('refuses a local holiday beyond the calendar even when confirmed', () => {
    expect(refusal(() => deferral(DECEMBER, '2027-01-05', true, LOCAL_HOLIDAY))).toEqual({
      code: 'bad-date',
      message: '2027-01-05 is not a working day',
    });
  });

  it('says why a day beyond the calendar is refused, up to which day it is covered, and how to confirm', () => {
    const refused = refusal(() => deferral(DECEMBER, '2027-02-08', undefined));
    expect(refused?.code).toBe('beyond-calendar');
    expect(refused?.message).toContain('2027-02-08 is beyond the official calendar');
    expect(refused?.message).toContain('covers days up to 2026-12-31');
    expect(refused?.message).toContain('Check the published holidays for 2027');
    expect(refused?.message).toContain('confirmWorkingDay: true (CLI --confirm-working-day)');
  });

  it('records a confirmed day beyond the calendar as confirmed by the operator, not checked', () => {
    const { state, events } = deferral(DECEMBER, '2027-01-04', true);
    const plan = state.plans[0]!;
    expect(plan.revisions.at(-1)).toMatchObject({
      disconnectAt: '2027-01-04T10:00:00+08:00',
      workingDayConfirmedBy: '王经理',
    });
    const note = 'working day confirmed by 王经理, not checked against the official calendar';
    expect(events.find((e) => e.type === 'plan-deferred')?.detail).toBe(`2027-01-04T10:00:00+08:00; ${note}`);
    expect(plan.history?.at(-1)?.detail).toBe(`deferred by 王经理 to 2027-01-04T10:00:00+08:00; ${note}`);
  });

  it('records a covered day as the official calendar’s, with or without the flag', () => {
    const plain = deferral(SEPTEMBER, '2026-10-08', undefined);
    const flagged = deferral(SEPTEMBER, '2026-10-08', true);
    expect(flagged.state).toEqual(plain.state);
    expect(flagged.events).toEqual(plain.events);
    expect(plain.state.plans[0]!.revisions.at(-1)).not.toHaveProperty('workingDayConfirmedBy');
    expect(plain.events.find((e) => e.type === 'plan-deferred')?.detail).toBe('2026-10-08T10:00:00+08:00');
  });
});
