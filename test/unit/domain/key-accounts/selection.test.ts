import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_ACCOUNT_CONFIG, type KeyAccountConfig } from '#domain/key-accounts/config.ts';
import type { KeyStatusOverride, OperatorOverride } from '#domain/key-accounts/overrides.ts';
import { rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import type { KeySelectionRecord } from '#domain/key-accounts/selection.ts';
import { keyStatusFor } from '#domain/key-accounts/selection.ts';
import { account, history, selectionRecord } from './fixtures.ts';

/** Ranked by revenue alone, so the expected key sets can be worked out by hand. */
const config: KeyAccountConfig = {
  ...DEFAULT_KEY_ACCOUNT_CONFIG,
  weights: { nature: '0', current: '1', potential: '0' },
};

// Monthly MWh 400, 200, 100, 80, 60, 50, 40, 30, 20, 20 (total 1000): 80 % is reached at A5 (840).
const KWH = [400, 200, 100, 80, 60, 50, 40, 30, 20, 19.5].map((mwh) => mwh * 1000);
const ids = KWH.map((_, i) => `A${i + 1}`);
const accounts = ids.map((id) => account(id));
const bills = ids.flatMap((id, i) => history(id, { kwh: KWH[i]! }));
const ASOF = '2026-11-01';

const keyOverride = (
  accountId: string,
  status: 'always' | 'never',
  dates: { setOn?: string; expiresOn: string },
  reason = 'operator decision',
): KeyStatusOverride => ({
  kind: 'key-status',
  accountId,
  status,
  reason,
  setOn: dates.setOn ?? '2026-09-01',
  expiresOn: dates.expiresOn,
});

const run = (overrides: OperatorOverride[] = [], previous?: KeySelectionRecord) =>
  rankKeyAccounts({ accounts, bills, config, overrides, asOf: ASOF, ...(previous ? { previous } : {}) });

describe('key set', () => {
  it('is the shortest head of the ranking that reaches 80 % of revenue', () => {
    const result = run();
    expect(result.keyAccountIds).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(result.key.revenueShare).toBe('0.8404');
    expect(result.ranking.every((r) => r.keyBasis === (r.isKey ? 'pareto' : null))).toBe(true);
  });

  it('takes the share from the configuration', () => {
    const result = rankKeyAccounts({
      accounts,
      bills,
      config: { ...config, revenueShare: '0.60' },
      asOf: ASOF,
    });
    expect(result.keyAccountIds).toEqual(['A1', 'A2']);
  });
});

describe('operator overrides of key status', () => {
  it('adds an always-key account on top of the Pareto set while the override is active', () => {
    const result = run([keyOverride('A9', 'always', { expiresOn: '2026-12-31' }, '政府重点项目')]);
    expect(result.keyAccountIds).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A9']);
    const a9 = result.ranking.find((r) => r.accountId === 'A9')!;
    expect(a9).toMatchObject({ isKey: true, keyBasis: 'override-always' });
    expect(a9.keyOverride).toEqual({ status: 'always', reason: '政府重点项目', expiresOn: '2026-12-31' });
    expect(result.key.paretoShare).toBe('0.8404');
  });

  it.each([
    ['expired the day before', { expiresOn: '2026-10-31' }, 'expired'],
    ['not yet started', { setOn: '2026-11-02', expiresOn: '2026-12-31' }, 'not-yet-effective'],
  ] as const)('ignores an override %s', (_, dates, why) => {
    const result = run([keyOverride('A9', 'always', dates)]);
    expect(result.keyAccountIds).not.toContain('A9');
    expect(result.overrides.ignored).toEqual([
      { override: expect.objectContaining({ accountId: 'A9' }), why },
    ]);
    expect(result.overrides.applied).toEqual([]);
  });

  it('applies an override on its expiry date (the date is the last day)', () => {
    expect(run([keyOverride('A9', 'always', { expiresOn: ASOF })]).keyAccountIds).toContain('A9');
  });

  it('keeps a never-key account out and walks further down the ranking to reach the share', () => {
    const result = run([keyOverride('A3', 'never', { expiresOn: '2027-06-30' }, '已申请销户')]);
    expect(result.keyAccountIds).toEqual(['A1', 'A2', 'A4', 'A5', 'A6', 'A7']);
    expect(result.ranking.find((r) => r.accountId === 'A3')).toMatchObject({
      isKey: false,
      excludedBy: 'override-never',
      keyOverride: { status: 'never', reason: '已申请销户', expiresOn: '2027-06-30' },
    });
    expect(result.key).toMatchObject({ revenueShare: '0.8304', shareReached: true });
  });

  it('says so when never-key overrides leave too little revenue to reach the share', () => {
    const result = run([keyOverride('A1', 'never', { expiresOn: '2027-06-30' })]);
    expect(result.key.shareReached).toBe(false);
    expect(result.keyAccountIds).toHaveLength(9);
    expect(result.warnings.some((w) => w.includes('below the target 80.0%'))).toBe(true);
  });

  it('ignores a never-key override once it has expired', () => {
    expect(run([keyOverride('A2', 'never', { expiresOn: '2026-10-31' })]).keyAccountIds).toContain('A2');
  });

  it('lets the later of two overrides for one account decide', () => {
    const result = run([
      keyOverride('A9', 'always', { setOn: '2026-08-01', expiresOn: '2026-12-31' }),
      keyOverride('A9', 'never', { setOn: '2026-10-01', expiresOn: '2026-12-31' }),
    ]);
    expect(result.keyAccountIds).not.toContain('A9');
  });

  it('reports an override for an account it does not know', () => {
    const result = run([keyOverride('ZZ9', 'always', { expiresOn: '2026-12-31' })]);
    expect(result.overrides.ignored.map((i) => i.why)).toEqual(['unknown-account']);
  });
});

describe('changes against the previous selection', () => {
  const previous: KeySelectionRecord = {
    period: '2026-09',
    effectiveFrom: '2026-10-01',
    configVersion: config.version,
    keyAccounts: ['A1', 'A2', 'A3', 'A4', 'A6', 'GONE1'].map((accountId) => ({
      accountId,
      segmentId: 'balanced',
      managerId: 'AM001',
    })),
  };

  it('records the newly key and the no-longer-key accounts, from the new effective date, with reasons', () => {
    const result = run([], previous);
    expect(result.previousEffectiveFrom).toBe('2026-10-01');
    expect(result.changes.map((c) => [c.accountId, c.change, c.effectiveFrom])).toEqual([
      ['A5', 'newly-key', ASOF],
      ['A6', 'no-longer-key', ASOF],
      ['GONE1', 'no-longer-key', ASOF],
    ]);
    const reason = (id: string) => result.changes.find((c) => c.accountId === id)!.reason;
    expect(reason('A5')).toMatch(/^rank 5, .*within the head that makes 80.0% of revenue/);
    expect(reason('A6')).toMatch(/^rank 6, .*outside the head/);
    expect(reason('GONE1')).toContain('no longer an active account');
  });

  it('says when an account left because its always-key override expired', () => {
    const withA9 = {
      ...previous,
      keyAccounts: [
        ...previous.keyAccounts,
        { accountId: 'A9', segmentId: 'balanced' as const, managerId: null },
      ],
    };
    const result = run([keyOverride('A9', 'always', { expiresOn: '2026-10-31' }, '保电任务')], withA9);
    expect(result.changes.find((c) => c.accountId === 'A9')?.reason).toMatch(
      /^always-key override expired on 2026-10-31/,
    );
  });

  it('has no changes on the first selection', () => {
    expect(run().changes).toEqual([]);
  });

  it('refuses a previous selection that does not precede this one', () => {
    expect(() => run([], { ...previous, effectiveFrom: ASOF })).toThrow(/previous selection/);
  });
});

const OCTOBER = selectionRecord('2026-10-01', ['A1', 'A2']);
const NOVEMBER = selectionRecord('2026-11-01', ['A2']);

describe('key status on a date', () => {
  it.each([
    ['2026-09-30', false],
    ['2026-10-01', true],
    ['2026-10-31', true],
    ['2026-11-01', false],
    ['2027-03-01', false],
  ])('A1 on %s is key: %s', (date, expected) => {
    expect(keyStatusFor('A1', date, [NOVEMBER, OCTOBER])).toBe(expected);
  });
});
