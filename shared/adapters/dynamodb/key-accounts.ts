import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyAccountStore } from '#services/ports/stores.ts';
import { keys } from './keys.ts';
import type { DynamoTable } from './table.ts';

/** Key-account selections (one per effective date) and operators' overrides. */
export class DynamoKeyAccountStore implements KeyAccountStore {
  constructor(private readonly table: DynamoTable) {}

  /** Stores a key-account selection once; a retried run finds it there and changes nothing. */
  async putKeySelection(selection: { effectiveFrom: string }): Promise<'created' | 'exists'> {
    const created = await this.table.putIf({
      Item: {
        ...keys.keySelection(selection.effectiveFrom),
        entity: 'KEYSELECTION',
        selection: JSON.stringify(selection),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return created ? 'created' : 'exists';
  }

  /** The latest selection that took effect before `date` (YYYY-MM-DD). */
  async getKeySelectionBefore<T>(date: string): Promise<T | undefined> {
    const out = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND sk < :date',
        ExpressionAttributeValues: { ':pk': keys.keySelectionPk, ':date': date },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item === undefined ? undefined : (JSON.parse(item.selection as string) as T);
  }

  /** An operator's key-account override (key status, score correction, manager), kept with its reason. */
  async putKeyOverride(override: { accountId: string; kind: string; setOn: string }): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          ...keys.keyOverride(override.accountId, override.kind, override.setOn),
          entity: 'KEYOVERRIDE',
          override,
        },
      }),
    );
  }

  async listKeyOverrides<T>(): Promise<T[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.keyOverridePk },
    });
    return items.map((i) => i.override as T);
  }
}
