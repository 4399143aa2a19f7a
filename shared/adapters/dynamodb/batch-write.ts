import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachInParallel } from '#domain/in-parallel.ts';
import { resendUntilDone } from '../resend.ts';

const MAX_BATCH = 25;
const MAX_ROUNDS = 10;

type WriteRequest = NonNullable<
  NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
>[number];

/**
 * Writes items in batches of 25 and re-sends what DynamoDB leaves unprocessed (throttling returns
 * unprocessed items rather than an error). Throws only when a batch is still unprocessed after
 * MAX_ROUNDS, naming how many items were left.
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
  await forEachInParallel(batches, options.concurrency ?? 4, async (batch) => {
    await resendUntilDone(
      batch,
      async (pending) => {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: [...pending] } }));
        return out.UnprocessedItems?.[tableName] ?? [];
      },
      { maxRounds: MAX_ROUNDS, baseDelayMs: 50, maxDelayMs: 5_000 },
      (left) => new Error(`BatchWriteItem left ${left} items unprocessed after ${MAX_ROUNDS} rounds`),
    );
  });
}
