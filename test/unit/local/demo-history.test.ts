import { describe, expect, it } from 'vitest';
import type { BillDocument } from '#domain/bill.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { checkPlausibility, plausibilityPolicyFor } from '#domain/billing/plausibility/index.ts';
import { DEFAULT_KEY_ACCOUNT_CONFIG, SegmentId } from '#domain/key-accounts/config.ts';
import { rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import { MeterReadRowSchema } from '#domain/meter-read.ts';
import { billsOf, demoAccounts, generateBillHistory } from '../../../local/runner/demo-history.ts';
import { generateMeterReadRows } from '../../../local/runner/fixtures.ts';

const PERIOD = '2026-11';
const TARIFF_IDS = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];

/** The demo's population ranked as rank-accounts ranks it: its history plus the billed period's bills. */
function rankDemo(count: number) {
  const accounts = demoAccounts(count, TARIFF_IDS);
  const history = generateBillHistory(accounts, PERIOD, SAMPLE_TARIFFS);
  const current = billsOf(accounts, generateMeterReadRows(accounts, PERIOD), PERIOD, SAMPLE_TARIFFS);
  const ranking = rankKeyAccounts({
    accounts: accounts.map((g) => g.account),
    bills: [...history, ...current],
    config: DEFAULT_KEY_ACCOUNT_CONFIG,
    asOf: '2026-12-01',
    period: PERIOD,
  });
  return { accounts, ranking };
}

describe('the demo population', () => {
  it('puts at least one key account in every usage segment', () => {
    const { ranking } = rankDemo(50);
    for (const segment of SegmentId.options)
      expect(ranking.segmentCounts[segment], segment).toBeGreaterThan(0);
  });

  it('lands each account shaped for a segment in that segment, as a key account', () => {
    const { accounts, ranking } = rankDemo(50);
    const segmentOf = new Map(ranking.segments.map((s) => [s.accountId, s.segmentId]));
    const shaped = accounts.filter((g) => g.shapedFor !== undefined);
    expect(shaped).toHaveLength(SegmentId.options.length);
    for (const g of shaped) expect(segmentOf.get(g.account.accountId), g.shapedFor).toBe(g.shapedFor);
  });

  it('holds no bill of an actual read against its history: every change stays within the policy', () => {
    const accounts = demoAccounts(50, TARIFF_IDS);
    const earlier = new Map<string, BillDocument[]>();
    for (const bill of generateBillHistory(accounts, PERIOD, SAMPLE_TARIFFS)) {
      earlier.set(bill.accountId, [...(earlier.get(bill.accountId) ?? []), bill]);
    }
    const rows = generateMeterReadRows(accounts, PERIOD);
    const bills = billsOf(accounts, rows, PERIOD, SAMPLE_TARIFFS, earlier);
    const policy = plausibilityPolicyFor(PERIOD);
    const held = bills.flatMap((bill, i) => {
      const reads = rows
        .filter((r) => r.account_id === bill.accountId)
        .map((r) => MeterReadRowSchema.parse(r));
      const reasons = checkPlausibility({ bill, account: accounts[i]!.account, reads, policy });
      return reasons.length === 0 ? [] : [`${bill.accountId}: ${reasons.map((r) => r.message).join('; ')}`];
    });
    expect(bills.every((b) => b.comparison?.previousPeriod !== undefined)).toBe(true);
    expect(held).toEqual([]);
  });
});
