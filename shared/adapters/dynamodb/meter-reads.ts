import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { MeterReadRow } from '#domain/meter-read.ts';
import type { StagedRead } from '#domain/run.ts';
import type { MeterReadStore, StagedReadStore } from '#services/ports/stores.ts';
import { keys } from './keys.ts';
import type { DynamoTable } from './table.ts';

/** The reads a bill was computed from, per account, period and meter. */
export class DynamoMeterReadStore implements MeterReadStore {
  constructor(private readonly table: DynamoTable) {}

  async putMeterReads(rows: readonly MeterReadRow[], runId: string): Promise<void> {
    await this.table.putAll(
      rows.map((row) => ({
        ...keys.meterRead(row.accountId, row.period, row.meterId, row.readType),
        entity: 'READ',
        runId,
        row,
      })),
    );
  }

  async getMeterReads(accountId: string, period: string): Promise<MeterReadRow[]> {
    const items = await this.table.queryPrefix(keys.account(accountId).pk, keys.meterReadPrefix(period));
    return items.map((i) => i.row as MeterReadRow);
  }

  async deleteMeterReads(rows: readonly MeterReadRow[]): Promise<void> {
    // One or two reads a correction superseded, rarely any: single deletes, idempotent as they are.
    for (const row of rows) {
      await this.table.client.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: keys.meterRead(row.accountId, row.period, row.meterId, row.readType),
        }),
      );
    }
  }
}

/** Phase one of a meter-read drop: valid rows wait here, per account and period, for their bill. */
export class DynamoStagedReadStore implements StagedReadStore {
  constructor(private readonly table: DynamoTable) {}

  async stageMeterReads(runId: string, entries: readonly StagedRead[], expiresAt: number): Promise<void> {
    await this.table.putAll(
      entries.map(({ rowNumber, row }) => ({
        ...keys.stagedRead(runId, row.accountId, row.period, rowNumber),
        entity: 'STAGED_READ',
        rowNumber,
        row,
        expiresAt,
      })),
      { concurrency: 8 },
    );
  }

  async getStagedMeterReads(runId: string, accountId: string, period: string): Promise<StagedRead[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.stagedRead(runId, accountId, period, 0).pk },
    });
    return items.map((i) => ({ rowNumber: i.rowNumber as number, row: i.row as MeterReadRow }));
  }
}
