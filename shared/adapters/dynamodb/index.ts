import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from './accounts.ts';
import { DynamoAnswerStore, DynamoBillReview, DynamoFollowUpStore, DynamoSmsLinkStore } from './answers.ts';
import { DynamoArrearsStore } from './arrears.ts';
import { DynamoBillHoldStore } from './bill-holds.ts';
import { DynamoBillStore } from './bills.ts';
import { DynamoKeyAccountStore } from './key-accounts.ts';
import { DynamoMeterReadStore, DynamoStagedReadStore } from './meter-reads.ts';
import { DynamoNoticeStore, DynamoSuppressionStore } from './notices.ts';
import { DynamoPaymentStore } from './payments.ts';
import { DynamoRunStore } from './runs.ts';
import { DynamoTable } from './table.ts';
import { DynamoTariffStore } from './tariffs.ts';

/** Every store of the single table (README "Data model"), sharing one client. */
export function dynamoStores(client: DynamoDBDocumentClient, tableName: string) {
  const table = new DynamoTable(client, tableName);
  return {
    accounts: new DynamoAccountStore(table),
    tariffs: new DynamoTariffStore(table),
    meterReads: new DynamoMeterReadStore(table),
    payments: new DynamoPaymentStore(table),
    bills: new DynamoBillStore(table),
    holds: new DynamoBillHoldStore(table),
    runs: new DynamoRunStore(table),
    staging: new DynamoStagedReadStore(table),
    notices: new DynamoNoticeStore(table),
    suppressions: new DynamoSuppressionStore(table),
    keyAccounts: new DynamoKeyAccountStore(table),
    arrearsStates: new DynamoArrearsStore(table),
    answers: new DynamoAnswerStore(table),
    followUps: new DynamoFollowUpStore(table),
    smsLinks: new DynamoSmsLinkStore(table),
    billReviews: new DynamoBillReview(table),
  };
}
