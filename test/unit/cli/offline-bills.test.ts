import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { computeOfflineBills } from '../../../cli/offline-bills.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../../local/runner/fixtures.ts';

const generated = generateAccounts(3, { tariffIds: [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))] });
const accounts = generated.map((g) => g.account);
const csv = toCsv(generateMeterReadRows(generated, '2026-10'));

const bills = (reads: string, period = '2026-10', only = accounts) =>
  computeOfflineBills({
    accounts: only,
    tariffs: SAMPLE_TARIFFS,
    reads: { fileName: 'reads.csv', body: Readable.from([reads]) },
    period,
    now: new Date('2026-11-02T01:00:00Z'),
  });

describe('offline bills', () => {
  it('bills every account of the reads, with no rejects', async () => {
    const result = await bills(csv);
    expect(result.period).toBe('2026-10');
    expect(result.bills.map((b) => b.accountId).sort()).toEqual(accounts.map((a) => a.accountId).sort());
    expect(result.rejects).toEqual([]);
  });

  it('rejects, in row order, the rows of another period and of accounts not in the accounts file', async () => {
    const wrongPeriod = await bills(csv, '2026-11');
    expect(wrongPeriod.bills).toEqual([]);
    expect(wrongPeriod.rejects.map((r) => [r.rowNumber, r.column])).toEqual([
      [1, 'period'],
      [2, 'period'],
      [3, 'period'],
    ]);
    const first = accounts[0]!;
    const missing = await bills(csv, '2026-10', [first]);
    expect(missing.bills.map((b) => b.accountId)).toEqual([first.accountId]);
    expect(missing.rejects).toHaveLength(2);
    for (const r of missing.rejects) {
      expect(r.column).toBe('account_id');
      expect(r.reason).toMatch(/^account \d+ is not in the accounts file$/);
    }
  });
});

describe('offline bills follow the pipeline’s plausibility policy', () => {
  const rows = generateMeterReadRows(generated, '2026-10');
  const swapped = () =>
    toCsv(rows.map((r, i) => (i === 0 ? { ...r, multiplier: String(Number(r.multiplier) * 10) } : r)));

  it('marks a bill read with a multiplier ten times too large held, with the reasons, and bills the rest', async () => {
    const result = await bills(swapped());
    const [first, ...others] = result.bills;
    expect(first).toMatchObject({ accountId: accounts[0]!.accountId, held: true });
    expect('held' in first! && first.holdReasons.map((r) => r.rule)).toEqual([
      expect.stringMatching(/^demand-over-(contract|capacity)$/),
    ]);
    expect(others.every((b) => !('held' in b))).toBe(true);
    expect(result.counts).toMatchObject({
      rows: 3,
      accepted: 3,
      rejected: 0,
      accountsBilled: 3,
      billsHeld: 1,
    });
    expect(result.plausibilityPolicy).toBe('2026-12.1');
  });

  it('names the rules it cannot apply without the stored history of earlier periods', async () => {
    const result = await bills(toCsv(rows));
    expect(result.rulesNotApplied.map((r) => r.rule)).toEqual([
      'total-vs-previous-period',
      'total-vs-same-period-last-year',
      'consumption-vs-previous-period',
      'consumption-vs-same-period-last-year',
    ]);
    for (const r of result.rulesNotApplied) expect(r.why).toMatch(/stored bills of earlier periods/);
  });

  it('lists an account whose reads the engine refuses under accountsNotBilled, its rows rejected', async () => {
    const conflicting = { ...rows[0]!, kwh_total_end: String(Number(rows[0]!.kwh_total_end) + 1) };
    const result = await bills(toCsv([...rows, conflicting]));
    expect(result.accountsNotBilled).toEqual([
      {
        accountId: accounts[0]!.accountId,
        period: '2026-10',
        reason: expect.stringContaining('has two actual reads in 2026-10'),
      },
    ]);
    expect(result.rejects.map((r) => r.rowNumber)).toEqual([1, 4]);
    expect(result.counts).toMatchObject({
      rows: 4,
      accepted: 2,
      rejected: 2,
      accountsBilled: 2,
      billsHeld: 0,
    });
  });

  it('bills an exact duplicate row once, as the pipeline does', async () => {
    const result = await bills(toCsv([...rows, rows[0]!]));
    expect(result.accountsNotBilled).toEqual([]);
    expect(result.counts).toMatchObject({ rows: 4, accepted: 4, rejected: 0, accountsBilled: 3 });
  });
});
