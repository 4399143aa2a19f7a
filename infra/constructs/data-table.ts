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

export const GSI1 = 'gsi1';
export const GSI2 = 'gsi2';
export const TTL_ATTRIBUTE = 'expiresAt';

/** Item-level actions only: no Scan (no access pattern needs one), no table administration. */
const READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** What DynamoDB does with the table's key for a caller reading and writing items. */
const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/**
 * The single table: system of record (accounts, tariffs, reads, bill versions, runs, payments) and the
 * outbox of notices. Its stream feeds the notice planner.
 */
export class DataTable extends Construct {
  readonly table: Table;

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
    for (const indexName of [GSI1, GSI2]) {
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
   * Read and write items in the table and query both indexes, named one by one so the policy carries no
   * `index/*` wildcard; with the key actions DynamoDB takes on the caller's behalf.
   */
  grantReadWrite(grantee: IGrantable): Grant {
    this.grantKeyUse(grantee);
    return Grant.addToPrincipal({
      grantee,
      actions: READ_WRITE_ACTIONS,
      resourceArns: [
        this.table.tableArn,
        ...[GSI1, GSI2].map((name) => `${this.table.tableArn}/index/${name}`),
      ],
    });
  }
}
