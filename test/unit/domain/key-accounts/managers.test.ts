import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_ACCOUNT_CONFIG } from '#domain/key-accounts/config.ts';
import { type AssignmentCandidate, assignManagers } from '#domain/key-accounts/managers.ts';
import type { ManagerOverride } from '#domain/key-accounts/overrides.ts';
import { rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import type { KeySelectionRecord } from '#domain/key-accounts/selection.ts';
import { dec } from '#domain/money.ts';
import { account, history, MANAGERS } from './fixtures.ts';

const POOL = [MANAGERS.wang, MANAGERS.li, MANAGERS.zhao];
const WEIGHTS = DEFAULT_KEY_ACCOUNT_CONFIG.managerWorkload;

const candidates = (
  revenues: readonly number[],
  currentManagerId: string | null = null,
): AssignmentCandidate[] =>
  revenues.map((r, i) => ({ accountId: `K${i + 1}`, revenue: dec(r), currentManagerId }));

const managerOverride = (accountId: string, managerId: string, reason: string): ManagerOverride => ({
  kind: 'account-manager',
  accountId,
  managerId,
  reason,
  setOn: '2026-01-01',
});

describe('account-manager assignment', () => {
  it('balances the load: the busiest manager carries at most one account’s weight more than the idlest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 60 }),
        (revenues) => {
          const { assignments, workloads } = assignManagers(candidates(revenues), POOL, new Map(), WEIGHTS);
          expect(assignments).toHaveLength(revenues.length);
          const loads = workloads.map((w) => dec(w.load));
          const heaviest = assignments.reduce(
            (m, a) => (dec(a.workload).gt(m) ? dec(a.workload) : m),
            dec(0),
          );
          const spread = loads
            .reduce((m, l) => (l.gt(m) ? l : m))
            .minus(loads.reduce((m, l) => (l.lt(m) ? l : m)));
          expect(spread.lte(heaviest.plus('0.000003'))).toBe(true);
          expect(
            loads
              .reduce((a, l) => a.plus(l), dec(0))
              .minus(1)
              .abs()
              .lte('0.00001'),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('weighs both the number of accounts and their revenue', () => {
    // One giant and twelve small accounts: the giant's manager gets fewer of the small ones.
    const { workloads } = assignManagers(
      candidates([100_000_000, ...Array(12).fill(1_000_000)]),
      POOL,
      new Map(),
      WEIGHTS,
    );
    const counts = workloads.map((w) => w.accounts).sort((a, b) => a - b);
    expect(counts[0]).toBeLessThan(counts[2]!);
  });

  it('keeps an operator’s assignment, with its reason, even on a busy manager', () => {
    const overrides = new Map([['K1', managerOverride('K1', 'AM003', '客户指定')]]);
    const { assignments } = assignManagers(candidates([9e6, 8e6, 7e6, 1e6]), POOL, overrides, WEIGHTS);
    expect(assignments[0]).toMatchObject({ managerId: 'AM003', basis: 'override', reason: '客户指定' });
    const overloaded = assignManagers(
      candidates([9e6, 8e6, 7e6, 1e6]),
      POOL,
      new Map(['K1', 'K2', 'K3', 'K4'].map((id) => [id, managerOverride(id, 'AM003', 'same region')])),
      WEIGHTS,
    );
    expect(overloaded.assignments.every((a) => a.managerId === 'AM003' && a.basis === 'override')).toBe(true);
  });

  it('ignores, with a warning, an override naming a manager not in the list', () => {
    const overrides = new Map([['K1', managerOverride('K1', 'AM999', 'left the company')]]);
    const result = assignManagers(candidates([1e6, 1e6]), POOL, overrides, WEIGHTS);
    expect(result.assignments[0]!.basis).toBe('balanced');
    expect(result.warnings[0]).toContain('AM999');
  });

  it('keeps accounts with their current manager up to the balance limit, and moves the rest', () => {
    const { assignments, workloads } = assignManagers(
      candidates(Array(30).fill(1_000_000), 'AM001'),
      POOL,
      new Map(),
      WEIGHTS,
    );
    const kept = assignments.filter((a) => a.basis === 'kept');
    // Thirty equal accounts, three managers: 1/3 × 1.10 of the load is 11 accounts.
    expect(kept).toHaveLength(11);
    expect(kept.every((a) => a.managerId === 'AM001')).toBe(true);
    expect(
      assignments.filter((a) => a.basis === 'balanced').every((a) => a.reason.startsWith('moved from AM001')),
    ).toBe(true);
    expect(workloads.map((w) => w.accounts)).toEqual([11, 10, 9]);
  });
});

describe('assignment in the monthly run', () => {
  const accounts = [
    account('A1', { accountManager: MANAGERS.li }),
    account('A2', { accountManager: MANAGERS.li }),
    account('A3'),
  ];
  const bills = [
    ...history('A1', { kwh: 300_000 }),
    ...history('A2', { kwh: 200_000 }),
    ...history('A3', { kwh: 10_000 }),
  ];

  it('prefers the previous selection’s manager to the account record, and applies manager overrides', () => {
    const previous: KeySelectionRecord = {
      period: '2026-09',
      effectiveFrom: '2026-10-01',
      configVersion: 'x',
      keyAccounts: [{ accountId: 'A2', segmentId: 'balanced', managerId: 'AM003' }],
    };
    const result = rankKeyAccounts({
      accounts,
      bills,
      config: DEFAULT_KEY_ACCOUNT_CONFIG,
      asOf: '2026-11-01',
      previous,
      managers: POOL,
      overrides: [managerOverride('A1', 'AM001', '集团统一对接')],
    });
    expect(result.keyAccountIds).toEqual(['A1', 'A2']);
    expect(result.assignments.map((a) => [a.accountId, a.managerId, a.basis])).toEqual([
      ['A1', 'AM001', 'override'],
      ['A2', 'AM003', 'kept'],
    ]);
    expect(result.selection.keyAccounts.map((k) => k.managerId)).toEqual(['AM001', 'AM003']);
  });
});
