import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ContactDataKey } from './data-key.ts';
import type { KeybillFunction } from './keybill-function.ts';
import { TABLE_ACCESS, TABLE_INDEXES } from './table-access.ts';

export const TTL_ATTRIBUTE = 'expiresAt';

/** What DynamoDB does with the table's key for a caller reading and writing items. */
const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/**
 * The single table: system of record (accounts, tariffs, reads, bill versions, runs, payments) and the
 * outbox of notices. Its stream feeds the notice planner.
 */
export class DataTable extends Construct {
  readonly table: Table;
  /** The functions granted their item access already. */
  private readonly granted = new Set<KeybillFunction>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      // Load is a monthly spike (a drop of ~300,000 rows) over a quiet month: on-demand fits, nothing to tune.
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The contact-data key: the table holds customers' billing data and contact details; its key
      // policy, not the AWS-managed one, decides who may read them, and every use is in CloudTrail.
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: ContactDataKey.of(this).key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const indexName of TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: `${indexName}pk`, type: AttributeType.STRING },
        sortKey: { name: `${indexName}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * The key actions DynamoDB takes on a caller's behalf for the table's items: for a grantee whose item
   * actions are granted otherwise (narrower than grantReadWrite).
   */
  grantKeyUse(grantee: IGrantable): void {
    this.table.encryptionKey?.grant(grantee, ...TABLE_KEY_ACTIONS);
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /**
   * The function's item actions on the table and queries of the indexes it reads, as TABLE_ACCESS
   * declares them for its handler (each index by name, so the policy carries no `index/*` wildcard), with
   * the key actions DynamoDB takes on the caller's behalf. Granted once per function, however many
   * concerns ask.
   */
  grantItemAccess(fn: KeybillFunction): void {
    if (this.granted.has(fn)) return;
    const access = TABLE_ACCESS[fn.serviceName];
    if (access === undefined) {
      throw new Error(`${fn.serviceName} has no entry in TABLE_ACCESS (infra/constructs/table-access.ts)`);
    }
    this.granted.add(fn);
    this.grantKeyUse(fn.function);
    Grant.addToPrincipal({
      grantee: fn.function,
      actions: access.actions.map((action) => `dynamodb:${action}`),
      resourceArns: [this.table.tableArn],
    });
    if (access.queriedIndexes.length > 0) {
      Grant.addToPrincipal({
        grantee: fn.function,
        actions: ['dynamodb:Query'],
        resourceArns: access.queriedIndexes.map((name) => `${this.table.tableArn}/index/${name}`),
      });
    }
  }
}
