import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type Grant, type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';

/**
 * CDK's grants on an encrypted queue or table ask for `kms:GenerateDataKey*` and `kms:ReEncrypt*`: more
 * than SQS, S3 and DynamoDB use for a function's calls (re-encryption under another key never happens
 * here), and wildcards cdk-nag rightly flags. This key names what is used instead.
 */
const NAMED_KEY_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'kms:GenerateDataKey*': ['kms:GenerateDataKey'],
  'kms:ReEncrypt*': [],
};

/** A key whose grants to principals name their actions (see NAMED_KEY_ACTIONS). */
class NamedActionsKey extends Key {
  override grant(grantee: IGrantable, ...actions: string[]): Grant {
    return super.grant(
      grantee,
      ...new Set(actions.flatMap((action) => NAMED_KEY_ACTIONS[action] ?? [action])),
    );
  }
}

/** What CloudWatch Logs does with a log group's key (the documented `Encrypt*`, `Decrypt*`, … by name). */
export const LOGS_KEY_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];

/** What EventBridge needs to leave an event it could not deliver in an encrypted dead-letter queue. */
export const EVENTS_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

const ID = 'ContactDataKey';

/**
 * The customer-managed key of everything that holds contact data (names, phone numbers, email addresses,
 * bills): the table, the drop bucket, every queue and dead-letter queue, and the functions' log groups.
 * One per stack, created by the first construct that asks for it (`ContactDataKey.of(this)`), so the
 * building blocks set it as their default without every concern passing it along.
 *
 * Its policy holds three statements: the account (IAM decides who in it may use the key: each function
 * gets named actions on it through the grants of the table, bucket and queues it uses); CloudWatch Logs,
 * for this stack's log groups only; EventBridge, for this stack's rules only, which put events they could
 * not deliver in encrypted dead-letter queues. Rotated yearly by KMS; retained with the table and bucket,
 * whose data cannot be read without it.
 */
export class ContactDataKey extends Construct {
  /** The stack's key, created on first use. */
  static of(scope: IConstruct): ContactDataKey {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof ContactDataKey ? existing : new ContactDataKey(stack, ID);
  }

  readonly key: Key;

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    const { partition, region, account, stackName } = scope;
    this.key = new NamedActionsKey(this, 'Key', {
      description: `${stackName}: contact data at rest (table, drop bucket, queues, log groups)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Log groups are named by CloudFormation `<stack name>-<logical id>-<suffix>`: a condition on their
    // exact ARNs would make the key depend on the log groups that depend on it.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsOfThisStack',
        principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: LOGS_KEY_ACTIONS,
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:${stackName}-*`,
          },
        },
      }),
    );
    // Rule targets' dead-letter queues receive from EventBridge itself (Scheduler and Lambda send as roles,
    // which get grants). Rules are named like log groups, for the same reason.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EventBridgeRulesOfThisStack',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: EVENTS_KEY_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:events:${region}:${account}:rule/${stackName}-*` },
        },
      }),
    );
  }
}
