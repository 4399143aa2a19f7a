import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_PREFIXES } from '../wiring-values.ts';
import { acknowledge } from './acknowledge.ts';
import { ContactDataKey } from './data-key.ts';

export { BUCKET_PREFIXES };

interface ObjectAccess {
  readonly actions: string[];
  /** What S3 asks KMS for on the caller's behalf (one PutObject, no multipart upload, needs no Decrypt). */
  readonly keyActions: string[];
}
const READ: ObjectAccess = { actions: ['s3:GetObject'], keyActions: ['kms:Decrypt'] };
const WRITE: ObjectAccess = { actions: ['s3:PutObject'], keyActions: ['kms:GenerateDataKey'] };

/**
 * The bucket the metering and collection systems drop their CSV files into; the product writes reject
 * reports and the monthly ranking next to them. Every object creation goes to EventBridge, where rules
 * pick the prefixes they care about.
 */
export class DropBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Server access logging can only deliver to a bucket encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      // Object ownership is left to CDK: with cdk.json's serverAccessLogsUseBucketPolicy flag, log delivery
      // is granted by bucket policy and ACLs stay disabled.
      // A year of who-read-which-drop covers a billing dispute raised about last year's bill.
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.accessLogBucket,
      'AwsSolutions-S1',
      'This is the access-log bucket of the drop bucket; logging its own access would log the logger.',
    );

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Drops, reject reports and rankings name customers: the contact-data key. A bucket key keeps the
      // KMS calls to one per object batch instead of one per object.
      encryption: BucketEncryption.KMS,
      encryptionKey: ContactDataKey.of(this).key,
      bucketKeyEnabled: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A drop re-sent under the same key must not erase the file an issued bill was computed from.
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'drop-bucket/',
      lifecycleRules: [
        // Drops are the evidence behind issued bills: kept, but moved to cheaper storage once the cycle
        // is closed (they are read again only in a dispute or a re-run).
        {
          id: 'archive-drops',
          prefix: BUCKET_PREFIXES.drops,
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(180) },
          ],
        },
        // A reject report matters until the upstream system has re-sent the rows, and in a dispute about
        // that bill: a year and a billing cycle.
        { id: 'expire-rejects', prefix: BUCKET_PREFIXES.rejects, expiration: Duration.days(400) },
        // Rankings are compared year over year: keep two years.
        { id: 'expire-reports', prefix: BUCKET_PREFIXES.reports, expiration: Duration.days(731) },
        // Overwritten or deleted objects stay recoverable for a quarter, then stop costing money.
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Set on the resource itself: the L2 `eventBridgeEnabled` flag goes through a notifications custom
    // resource (an extra Lambda function with a managed policy) to set the same property.
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
  }

  get bucketName(): string {
    return this.bucket.bucketName;
  }

  /**
   * An EventBridge rule for "Object Created" in this bucket under any of the prefixes. The events come
   * from S3 on the default bus.
   */
  onObjectCreated(id: string, prefixes: readonly string[], target: IRuleTarget, description: string): Rule {
    return new Rule(this, id, {
      description,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [this.bucket.bucketName] },
          object: { key: prefixes.map((prefix) => ({ prefix })) },
        },
      },
      targets: [target],
    });
  }

  /** Read the drops (both feeds); HeadObject and GetObject are both `s3:GetObject`. */
  grantReadDrops(grantee: IGrantable): Grant {
    return this.grantObjects(grantee, READ, BUCKET_PREFIXES.drops);
  }

  grantReadRejects(grantee: IGrantable): Grant {
    return this.grantObjects(grantee, READ, BUCKET_PREFIXES.rejects);
  }

  grantWriteRejects(grantee: IGrantable): Grant {
    return this.grantObjects(grantee, WRITE, BUCKET_PREFIXES.rejects);
  }

  grantWriteReports(grantee: IGrantable): Grant {
    return this.grantObjects(grantee, WRITE, BUCKET_PREFIXES.reports);
  }

  /** Named object actions under one prefix, and the key actions they need; no wildcards, no other prefix. */
  private grantObjects(grantee: IGrantable, access: ObjectAccess, prefix: string): Grant {
    const { actions, keyActions } = access;
    this.bucket.encryptionKey?.grant(grantee, ...keyActions);
    const grant = Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.bucket.arnForObjects(`${prefix}*`)],
    });
    // The finding lands on the grantee's role policy; acknowledged on the role, for this prefix only.
    const principal = grantee.grantPrincipal;
    if (!Construct.isConstruct(principal)) return grant;
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    acknowledge(
      principal,
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
      `Object keys are not known in advance; the wildcard is confined to the ${prefix} prefix and ` +
        `the statement names its actions (${actions.join(', ')}).`,
    );
    return grant;
  }
}
