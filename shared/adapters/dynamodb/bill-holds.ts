import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BillHold, BillHoldStatus, NewBillHold } from '#domain/bill-hold.ts';
import type { BillHoldStore } from '#services/ports/stores.ts';
import { keys, keysOfIndexes } from './keys.ts';
import { type DynamoTable, isConditionFailure } from './table.ts';

type HoldRef = Pick<BillHold, 'accountId' | 'period' | 'version'>;

/** The item of a new version's hold: written with the version (DynamoBillStore.saveBill), in one transaction. */
export function billHoldItem(
  ref: HoldRef,
  hold: NewBillHold,
  runId: string,
  heldAt: string,
): Record<string, unknown> {
  const stored: BillHold = {
    accountId: ref.accountId,
    period: ref.period,
    version: ref.version,
    reasons: hold.reasons,
    policyVersion: hold.policyVersion,
    status: 'HELD',
    heldAt,
    runId,
  };
  return {
    ...keys.billHold(ref.accountId, ref.period, ref.version),
    ...keys.billHoldIndex('HELD', ref.accountId, ref.period, ref.version),
    entity: 'BILL_HOLD',
    status: 'HELD',
    hold: stored,
  };
}

/** Holds of bill versions: HELD until an operator releases one or a newer version supersedes it. */
export class DynamoBillHoldStore implements BillHoldStore {
  constructor(private readonly table: DynamoTable) {}

  async getHold(accountId: string, period: string, version: number): Promise<BillHold | undefined> {
    const out = await this.table.client.send(
      new GetCommand({
        TableName: this.table.name,
        Key: keys.billHold(accountId, period, version),
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : toBillHold(out.Item);
  }

  async listHolds(accountId: string, period?: string): Promise<BillHold[]> {
    const prefix = period === undefined ? keys.billHoldsPrefix : keys.billHoldPrefix(period);
    const items = await this.table.queryPrefix(keys.account(accountId).pk, prefix, {
      consistent: true,
    });
    return items.map(toBillHold);
  }

  async listHoldsByStatus(status: BillHoldStatus, period?: string): Promise<BillHold[]> {
    if (period === undefined) {
      return (await this.table.queryIndex('gsi2', keysOfIndexes.billHoldsWithStatus(status))).map(toBillHold);
    }
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.name,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :period)',
          ExpressionAttributeValues: {
            ':pk': keysOfIndexes.billHoldsWithStatus(status),
            ':period': `${period}#`,
          },
          ExclusiveStartKey,
        }),
      );
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return items.map(toBillHold);
  }

  releaseHold(ref: HoldRef, release: NonNullable<BillHold['release']>): Promise<boolean> {
    return this.leaveHeld(ref, 'RELEASED', 'release', release);
  }

  supersedeHold(ref: HoldRef, by: number): Promise<boolean> {
    return this.leaveHeld(ref, 'SUPERSEDED', 'supersededBy', by);
  }

  /** HELD → `to`, recording why in one field of the hold; false when it was not HELD (or is not there). */
  private async leaveHeld(
    ref: HoldRef,
    to: BillHoldStatus,
    field: 'release' | 'supersededBy',
    value: unknown,
  ): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.billHold(ref.accountId, ref.period, ref.version),
          UpdateExpression: 'SET #status = :to, #hold.#status = :to, #hold.#field = :value, gsi2pk = :gsi2pk',
          ConditionExpression: '#status = :held',
          ExpressionAttributeNames: { '#status': 'status', '#hold': 'hold', '#field': field },
          ExpressionAttributeValues: {
            ':to': to,
            ':held': 'HELD',
            ':value': value,
            ':gsi2pk': keysOfIndexes.billHoldsWithStatus(to),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function toBillHold(item: Record<string, unknown>): BillHold {
  return item.hold as BillHold;
}
