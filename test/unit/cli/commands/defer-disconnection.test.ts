import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers.ts';

/*
 * `defer-disconnection --confirm-working-day`: the CLI spelling of the operator's confirmation that a day
 * beyond the official calendar is a working day (billing-rules §8). What reaches the operator is
 * captured here instead of a stack.
 */

const sent = vi.hoisted(() => [] as unknown[]);
vi.mock('#services/operator-commands.ts', () => ({
  runOperatorCommand: async (event: unknown) => {
    sent.push(event);
    return { ok: true, command: 'defer-disconnection', result: {} };
  },
}));
vi.mock('../../../../cli/stack-deps.ts', () => ({ operatorDepsFromEnv: async () => ({}) }));

const base = ['--account-id', 'A', '--new-date', '2027-01-04', '--by', 'Li', '--reason', 'r'];
const event = {
  command: 'defer-disconnection',
  accountId: 'A',
  by: 'Li',
  reason: 'r',
  newDate: '2027-01-04',
};

beforeEach(() => {
  sent.length = 0;
});

describe('defer-disconnection on the command line', () => {
  it.each([
    ['without the flag: no confirmation', base, event],
    ['with --confirm-working-day', [...base, '--confirm-working-day'], { ...event, confirmWorkingDay: true }],
    [
      'with the flag before the other options',
      ['--confirm-working-day', ...base],
      { ...event, confirmWorkingDay: true },
    ],
  ])('%s', async (_what, args, expected) => {
    const { code } = await cli('defer-disconnection', ...args);
    expect(code).toBe(0);
    expect(sent).toStrictEqual([expected]);
  });

  it.each([
    ['a value given to the flag', [...base, '--confirm-working-day=yes'], /does not take an argument/],
    ['the flag misspelt', [...base, '--confirm-working-days'], /Unknown option '--confirm-working-days'/],
    ['the event field spelling', [...base, '--confirmWorkingDay'], /Unknown option '--confirmWorkingDay'/],
  ])('refuses %s, sending nothing (exit 2)', async (_what, args, message) => {
    const { code, stderr } = await cli('defer-disconnection', ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(sent).toEqual([]);
  });

  it('is not an option of the other disconnection commands', async () => {
    const { code, stderr } = await cli(
      'exempt-disconnection',
      '--account-id',
      'A',
      '--by',
      'Li',
      '--reason',
      'r',
      '--confirm-working-day',
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--confirm-working-day'/);
    expect(sent).toEqual([]);
  });

  it('lists the flag in the usage', async () => {
    expect((await cli('help')).stdout).toMatch(/defer-disconnection [^\n]*\n\s+\[--confirm-working-day\]/);
  });
});
