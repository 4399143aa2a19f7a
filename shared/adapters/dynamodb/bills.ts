import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BillDocument } from '#domain/bill.ts';
import type { NewBillHold } from '#domain/bill-hold.ts';
import { billContentHash, type SaveBillResult, type StoredBill } from '#domain/bill-version.ts';
import type { BillStore } from '#services/ports/stores.ts';
import { billHoldItem } from './bill-holds.ts';
import { keys, keysOfIndexes } from './keys.ts';
import type { DynamoTable } from './table.ts';

/** How often to re-read the latest version when another writer took the version number first. */
const MAX_VERSION_ATTEMPTS = 5;

export class DynamoBillStore implements BillStore {
  constructor(private readonly table: DynamoTable) {}

  async getLatestBill(accountId: string, period: string): Promise<StoredBill | undefined> {
    const out = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':prefix': keys.billPrefix(period) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item === undefined ? undefined : toStoredBill(item);
  }

  async getBill(accountId: string, period: string, version: number): Promise<StoredBill | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: keys.bill(accountId, period, version) }),
    );
    return out.Item === undefined ? undefined : toStoredBill(out.Item);
  }

  /** Earlier bills of an account (latest version of each period), newest first. */
  async getBillHistory(accountId: string, beforePeriod: string, limit = 24): Promise<StoredBill[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.account(accountId).pk,
        ':from': keys.billHistoryStart,
        ':to': keys.billPrefix(beforePeriod),
      },
      ScanIndexForward: false,
    });
    const latestByPeriod = new Map<string, StoredBill>();
    for (const item of items) {
      const bill = toStoredBill(item);
      if (bill.period < beforePeriod && !latestByPeriod.has(bill.period))
        latestByPeriod.set(bill.period, bill);
    }
    return [...latestByPeriod.values()].slice(0, limit);
  }

  /**
   * Stores a bill as a new version unless the latest version has the same content. Versions are kept,
   * never overwritten: a corrected drop supersedes, and the notices can say "corrected". A new version
   * with a hold is written with its hold in one transaction: the stream's planner never sees it unheld.
   */
  async saveBill(bill: BillDocument, runId: string, hold?: NewBillHold): Promise<SaveBillResult> {
    const contentHash = billContentHash(bill);
    for (let attempt = 0; attempt < MAX_VERSION_ATTEMPTS; attempt++) {
      const latest = await this.getLatestBill(bill.accountId, bill.period);
      if (latest?.contentHash === contentHash) {
        return {
          outcome: 'unchanged',
          version: latest.version,
          ...(latest.runId === undefined ? {} : { runId: latest.runId }),
        };
      }
      const version = (latest?.version ?? 0) + 1;
      const createdAt = new Date().toISOString();
      const item = {
        ...keys.bill(bill.accountId, bill.period, version),
        ...keys.billIndex(bill.accountId, bill.period, version),
        entity: 'BILL',
        accountId: bill.accountId,
        period: bill.period,
        version,
        contentHash,
        total: bill.total,
        dueDate: bill.dueDate,
        runId,
        createdAt,
        // A string, not a map: the document is read whole, and a string keeps decimals exact.
        document: JSON.stringify(bill),
      };
      const created =
        hold === undefined
          ? await this.table.putIf({ Item: item, ConditionExpression: 'attribute_not_exists(pk)' })
          : await this.putWithHold(
              item,
              billHoldItem(
                { accountId: bill.accountId, period: bill.period, version },
                hold,
                runId,
                createdAt,
              ),
            );
      if (created) return { outcome: 'created', version };
    }
    throw new Error(
      `could not store a new version of bill ${bill.accountId} ${bill.period}: too much contention`,
    );
  }

  /** The version and its hold, both or neither; false when the version number was taken meanwhile. */
  private async putWithHold(bill: Record<string, unknown>, hold: Record<string, unknown>): Promise<boolean> {
    const absent = 'attribute_not_exists(pk)';
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table.name, Item: bill, ConditionExpression: absent } },
            { Put: { TableName: this.table.name, Item: hold, ConditionExpression: absent } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async listBillsForPeriod(period: string): Promise<StoredBill[]> {
    const items = await this.table.queryIndex('gsi1', keysOfIndexes.billsOfPeriod(period));
    return items.map(toStoredBill);
  }
}

function toStoredBill(item: Record<string, unknown>): StoredBill {
  return {
    accountId: item.accountId as string,
    period: item.period as string,
    version: item.version as number,
    contentHash: item.contentHash as string,
    document: JSON.parse(item.document as string) as BillDocument,
    runId: item.runId as string | undefined,
    createdAt: item.createdAt as string,
  };
}
