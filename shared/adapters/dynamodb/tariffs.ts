import type { Tariff } from '#domain/tariff.ts';
import type { TariffStore } from '#services/ports/stores.ts';
import { keys } from './keys.ts';
import type { DynamoTable } from './table.ts';

export class DynamoTariffStore implements TariffStore {
  constructor(private readonly table: DynamoTable) {}

  async putTariffs(tariffs: readonly Tariff[]): Promise<void> {
    await this.table.putAll(
      tariffs.map((tariff) => ({
        ...keys.tariff(tariff.tariffId, tariff.effectiveFrom),
        entity: 'TARIFF',
        tariff,
      })),
    );
  }

  /** Every version of the given tariffs. */
  async getTariffs(tariffIds: readonly string[]): Promise<Tariff[]> {
    const tariffs: Tariff[] = [];
    for (const tariffId of new Set(tariffIds)) {
      for (const item of await this.table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.tariff(tariffId, '').pk },
      })) {
        tariffs.push(item.tariff as Tariff);
      }
    }
    return tariffs;
  }
}
