import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchPutAll } from './batch-write.ts';

type QueryInput = Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>;
type PutInput = Omit<ConstructorParameters<typeof PutCommand>[0], 'TableName'>;

/** The single table, as every store reaches it: the client, the name and the few patterns they share. */
export class DynamoTable {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** Every page of a query. */
  async queryAll(input: QueryInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey }),
      );
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return items;
  }

  /** Items of one partition whose sort key begins with `prefix`. */
  queryPrefix(pk: string, prefix: string, options: { consistent?: boolean } = {}) {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ...(options.consistent === true ? { ConsistentRead: true } : {}),
    });
  }

  /** Items of one index partition (gsi1 or gsi2). */
  queryIndex(index: 'gsi1' | 'gsi2', pk: string, options: { newestFirst?: boolean } = {}) {
    return this.queryAll({
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': pk },
      ...(options.newestFirst === true ? { ScanIndexForward: false } : {}),
    });
  }

  /**
   * A conditional put; false when its condition failed (the natural key exists already, the version
   * moved on): that is how every store makes a write idempotent.
   */
  async putIf(input: PutInput): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ ...input, TableName: this.name }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  putAll(items: readonly Record<string, unknown>[], options: { concurrency?: number } = {}): Promise<void> {
    return batchPutAll(this.client, this.name, items, options);
  }
}

export const isConditionFailure = (error: unknown): boolean =>
  (error as Error).name === 'ConditionalCheckFailedException';

/** An item without its table keys and bookkeeping attributes. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi2pk: _g2,
    gsi2sk: _g2s,
    entity: _e,
    ...rest
  } = item;
  return rest as T;
}
