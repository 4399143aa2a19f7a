import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_BATCH = 25;
const MAX_ROUNDS = 10;

type WriteRequest = NonNullable<
  NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
>[number];

/**
 * Writes items in batches of 25 and re-sends what DynamoDB leaves unprocessed, with exponential backoff
 * and full jitter (throttling returns unprocessed items rather than an error). Throws only when a batch
 * is still unprocessed after MAX_ROUNDS, naming how many items were left.
 */
export async function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: { concurrency?: number } = {},
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += MAX_BATCH) {
    batches.push(items.slice(i, i + MAX_BATCH).map((Item) => ({ PutRequest: { Item } })));
  }
  const concurrency = Math.max(1, options.concurrency ?? 4);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      await writeBatch(client, tableName, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}

async function writeBatch(client: DynamoDBDocumentClient, tableName: string, batch: WriteRequest[]) {
  let pending = batch;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS) {
      throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${MAX_ROUNDS} rounds`);
    }
    if (round > 0) await sleep(Math.random() * Math.min(5_000, 50 * 2 ** round));
    const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = out.UnprocessedItems?.[tableName] ?? [];
  }
}
