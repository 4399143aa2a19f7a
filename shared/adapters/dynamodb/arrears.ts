import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ArrearsStore } from '#services/ports/stores.ts';
import { keys, keysOfIndexes } from './keys.ts';
import type { DynamoTable } from './table.ts';

/** An account's arrears state (versioned, written back conditionally) and its audit trail. */
export class DynamoArrearsStore implements ArrearsStore {
  constructor(private readonly table: DynamoTable) {}

  /** An account's arrears state and its version, for a conditional write-back. */
  async getArrearsState<T>(accountId: string): Promise<{ state: T; version: number } | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: keys.arrearsState(accountId), ConsistentRead: true }),
    );
    return out.Item === undefined
      ? undefined
      : { state: JSON.parse(out.Item.state as string) as T, version: out.Item.version as number };
  }

  /**
   * Writes the state only if nobody else did since it was read (version); false when someone did. A
   * state with a plan awaiting approval (`awaitingApprovalSince`) is listed in gsi2.
   */
  putArrearsState(
    accountId: string,
    state: unknown,
    readVersion: number | undefined,
    index: { awaitingApprovalSince?: string } = {},
  ): Promise<boolean> {
    return this.table.putIf({
      Item: {
        ...keys.arrearsState(accountId),
        entity: 'ARREARS',
        version: (readVersion ?? 0) + 1,
        state: JSON.stringify(state),
        ...(index.awaitingApprovalSince === undefined
          ? {}
          : keys.arrearsAwaitingApprovalIndex(index.awaitingApprovalSince, accountId)),
      },
      ConditionExpression: readVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(readVersion === undefined ? {} : { ExpressionAttributeValues: { ':v': readVersion } }),
    });
  }

  /** Every state with a plan awaiting approval, longest waiting first. */
  async listAwaitingApproval<T>(): Promise<T[]> {
    const items = await this.table.queryIndex('gsi2', keysOfIndexes.arrearsAwaitingApproval);
    return items.map((item) => JSON.parse(item.state as string) as T);
  }

  /** Appends audit events (the dispute trail): idempotent by their natural ids. */
  async putArrearsEvents(
    accountId: string,
    events: readonly { at: string; type: string; [k: string]: unknown }[],
  ): Promise<void> {
    await this.table.putAll(
      events.map((event, i) => ({
        ...keys.arrearsEvent(accountId, event.at, `${event.type}#${i}`),
        entity: 'ARREARSEVENT',
        event: JSON.stringify(event),
      })),
    );
  }
}
