/*
 * What each function does with the table, by the store methods its handler reaches (shared/adapters/
 * dynamodb/): the item actions on the table and the indexes it queries. A function's role is granted
 * exactly this (DataTable.grantItemAccess), and test/bundles/table-access.test.ts reads every bundle in
 * cdk.out for the store methods it calls and fails when this list grants less (a call AWS would refuse)
 * or more (a grant nothing calls). No function scans, runs a ConditionCheck or touches an index except to
 * query it, so none of those is granted.
 */

export const TABLE_INDEXES = ['gsi1', 'gsi2'] as const;
export type TableIndex = (typeof TABLE_INDEXES)[number];

/** The item-level DynamoDB actions the stores use (a transaction's parts are authorised as these). */
export const ITEM_ACTIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];

export interface TableAccess {
  /** Actions on the table itself (`dynamodb:<action>`). */
  readonly actions: readonly ItemAction[];
  /** Indexes the function queries (`dynamodb:Query` on the index's ARN). */
  readonly queriedIndexes: readonly TableIndex[];
}

const READ_BILL_INPUTS: ItemAction[] = ['GetItem', 'BatchGetItem', 'Query'];

/** By handler name (functions/<name>/). The answers function's narrower grant is its own (customer-answers.ts). */
export const TABLE_ACCESS: Readonly<Record<string, TableAccess>> = {
  // Reads and stages a drop, stores payments; payments that clear arrears take the ladder's steps.
  'ingest-drop': {
    actions: [...READ_BILL_INPUTS, 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    queriedIndexes: [],
  },
  // Bills a chunk: staged reads in, bills (and holds, in a transaction) out; deletes superseded reads.
  'bill-chunk': {
    actions: [...READ_BILL_INPUTS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    queriedIndexes: [],
  },
  // Plans a bill's notices (outbox items), follows answers; a confirmed receipt moves an arrears plan.
  'plan-notices': {
    actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    queriedIndexes: [],
  },
  // Claims and transitions a notice, reads suppressions and SMS links, writes an SMS link.
  'send-notice': { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], queriedIndexes: [] },
  // Finds a notice by the provider's message id (gsi1), records the event, suppresses a bounced address.
  'record-delivery': {
    actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    queriedIndexes: ['gsi1'],
  },
  // Lists every account (gsi1) and takes the final reminder of a plan.
  'arrears-scan': {
    actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    queriedIndexes: ['gsi1'],
  },
  // Takes the daily step of each account of a chunk.
  'arrears-chunk': {
    actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    queriedIndexes: [],
  },
  // Reads the period's bills (gsi1) and the holds of held periods (gsi2), writes the key selection.
  'rank-accounts': { actions: ['GetItem', 'Query', 'PutItem'], queriedIndexes: ['gsi1', 'gsi2'] },
  // Every command: lists by period (gsi1) and by status (gsi2), run-drop as ingest-drop, redacts reads.
  operator: {
    actions: [...READ_BILL_INPUTS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    queriedIndexes: ['gsi1', 'gsi2'],
  },
};
