import type { DropObjectStore } from '../adapters/drop-objects.ts';
import type { KeybillRepository } from '../adapters/repository.ts';
import {
  configInEffect,
  DEFAULT_KEY_ACCOUNT_CONFIG,
  type KeySelectionRecord,
  rankKeyAccounts,
  renderKeyAccountCsv,
  renderKeyAccountHtml,
} from '../domain/key-accounts/index.ts';

export interface KeyAccountRunResult {
  period: string;
  effectiveFrom: string;
  accounts: number;
  keyAccounts: number;
  revenueShare: string;
  segments: Record<string, number>;
  selection: 'created' | 'exists';
  reportKeys: string[];
}

/**
 * The monthly key-account run: rank every account by value score, take the Pareto set, segment the key
 * accounts and assign managers; store the selection (once per effective date) and write the reports.
 */
export async function runKeyAccountRanking(
  input: { asOf: string; period?: string; reportBucket?: string; reportPrefix?: string },
  deps: { repository: KeybillRepository; objects?: DropObjectStore },
): Promise<KeyAccountRunResult> {
  const { repository } = deps;
  const accounts = await repository.listAccounts();
  const bills = [];
  for (const account of accounts) {
    for (const stored of await repository.getBillHistory(
      account.accountId,
      `${input.asOf.slice(0, 7)}`,
      24,
    )) {
      bills.push(stored.document);
    }
  }
  const config = configInEffect([DEFAULT_KEY_ACCOUNT_CONFIG], input.asOf) ?? DEFAULT_KEY_ACCOUNT_CONFIG;
  const previous = await repository.getKeySelectionBefore<KeySelectionRecord>(input.asOf);
  const ranking = rankKeyAccounts({
    accounts,
    bills,
    config,
    asOf: input.asOf,
    ...(input.period === undefined ? {} : { period: input.period }),
    ...(previous === undefined ? {} : { previous }),
  });
  const selection = await repository.putKeySelection(ranking.selection);
  const reportKeys: string[] = [];
  if (deps.objects !== undefined && input.reportBucket !== undefined) {
    const prefix = `${input.reportPrefix ?? 'reports/'}key-accounts/${ranking.period}/`;
    const names = new Map(accounts.map((a) => [a.accountId, a.name]));
    for (const [name, body, type] of [
      ['key-accounts.csv', renderKeyAccountCsv(ranking), 'text/csv; charset=utf-8'],
      [
        'key-accounts.html',
        renderKeyAccountHtml(ranking, { accountNames: names }),
        'text/html; charset=utf-8',
      ],
    ] as const) {
      await deps.objects.put({ bucket: input.reportBucket, key: prefix + name }, body, type);
      reportKeys.push(prefix + name);
    }
  }
  return {
    period: ranking.period,
    effectiveFrom: ranking.selection.effectiveFrom,
    accounts: accounts.length,
    keyAccounts: ranking.key.count,
    revenueShare: ranking.key.revenueShare,
    segments: { ...ranking.segmentCounts },
    selection,
    reportKeys,
  };
}
