import type { Account } from '#domain/account.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import type { LocalPipeline } from '../../local/runner/local-pipeline.ts';

/* The prologue the integration tests share: the sample tariffs and some accounts, a drop billed and its previews planned. */

/** The tariffs accounts are generated on: those the sample tariff versions define. */
export const SAMPLE_TARIFF_IDS: readonly string[] = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];

/** The sample tariffs and these accounts, as the table holds them before any drop. */
export async function loadAccounts(pipeline: LocalPipeline, accounts: readonly Account[]): Promise<void> {
  await pipeline.stores.tariffs.putTariffs(SAMPLE_TARIFFS);
  await pipeline.stores.accounts.putAccounts(accounts);
}

/**
 * A meter-read drop put under `key`, delivered (read, staged and billed) and its new bills' previews
 * planned: the notices queue then holds one message per notice, waiting for send-notice.
 */
export async function dropBillAndPlan(pipeline: LocalPipeline, key: string, csv: string): Promise<void> {
  await pipeline.putDrop(key, csv);
  await pipeline.deliverDrop(key);
  await pipeline.planNotices();
}

/** Every notice of these accounts, in account order. */
export async function noticesOf(
  pipeline: LocalPipeline,
  accounts: readonly { account: Account }[],
): Promise<StoredNotice[]> {
  const notices: StoredNotice[] = [];
  for (const g of accounts) notices.push(...(await pipeline.stores.notices.listNotices(g.account.accountId)));
  return notices;
}
