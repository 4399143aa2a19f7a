import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '#domain/account.ts';
import type { AccountStore } from '#services/ports/stores.ts';
import { resendUntilDone } from '../resend.ts';
import { keys, keysOfIndexes } from './keys.ts';
import type { DynamoTable } from './table.ts';

const MAX_KEYS_PER_BATCH_GET = 100;

export class DynamoAccountStore implements AccountStore {
  constructor(private readonly table: DynamoTable) {}

  async putAccounts(accounts: readonly Account[]): Promise<void> {
    const now = new Date().toISOString();
    await this.table.putAll(
      accounts.map((account) => ({
        ...keys.account(account.accountId),
        ...keys.accountIndex(account.accountId),
        entity: 'ACCOUNT',
        account,
        updatedAt: now,
      })),
    );
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: keys.account(accountId) }),
    );
    return out.Item?.account as Account | undefined;
  }

  async getAccounts(accountIds: readonly string[]): Promise<Map<string, Account>> {
    const found = new Map<string, Account>();
    const unique = [...new Set(accountIds)];
    for (let i = 0; i < unique.length; i += MAX_KEYS_PER_BATCH_GET) {
      await resendUntilDone(
        unique.slice(i, i + MAX_KEYS_PER_BATCH_GET).map((id) => keys.account(id) as Record<string, unknown>),
        async (pending) => {
          const out = await this.table.client.send(
            new BatchGetCommand({ RequestItems: { [this.table.name]: { Keys: [...pending] } } }),
          );
          for (const item of out.Responses?.[this.table.name] ?? []) {
            const account = item.account as Account;
            found.set(account.accountId, account);
          }
          return out.UnprocessedKeys?.[this.table.name]?.Keys ?? [];
        },
        { maxRounds: 9, baseDelayMs: 25 },
        () => new Error('BatchGetItem left keys unprocessed after 8 rounds'),
      );
    }
    return found;
  }

  /** Every account (gsi1 `ACCOUNTS`), for the monthly ranking and the daily arrears scan. */
  async listAccounts(): Promise<Account[]> {
    const items = await this.table.queryIndex('gsi1', keysOfIndexes.allAccounts);
    return items.map((i) => i.account as Account);
  }
}
