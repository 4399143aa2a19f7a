import type { PaymentRow } from '#domain/payment.ts';
import type { PaymentStore } from '#services/ports/stores.ts';
import { keys } from './keys.ts';
import type { DynamoTable } from './table.ts';

export class DynamoPaymentStore implements PaymentStore {
  constructor(private readonly table: DynamoTable) {}

  /** Stores a payment once: the collection system's payment id is its natural key. */
  async putPayment(payment: PaymentRow, runId: string): Promise<'created' | 'duplicate'> {
    const created = await this.table.putIf({
      Item: { ...keys.payment(payment.accountId, payment.paymentId), entity: 'PAYMENT', runId, payment },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return created ? 'created' : 'duplicate';
  }

  async listPayments(accountId: string): Promise<PaymentRow[]> {
    const items = await this.table.queryPrefix(keys.account(accountId).pk, keys.paymentPrefix);
    return items.map((i) => i.payment as PaymentRow);
  }
}
