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
