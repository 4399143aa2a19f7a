import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { contactDataKeyId, dropBucketOf, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('drop bucket', () => {
  const dropBucket = () => dropBucketOf(template);

  it('blocks all public access on both buckets', () => {
    const blocked = template.findResources('AWS::S3::Bucket', {
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    });
    expect(Object.keys(blocked)).toHaveLength(2);
  });

  it('refuses requests without TLS', () => {
    const [bucketId] = dropBucket();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('sends object events to EventBridge, keeps versions, encrypts with the contact-data key and logs access to the log bucket', () => {
    const [, bucket] = dropBucket();
    expect(bucket).toMatchObject({
      Properties: {
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [contactDataKeyId(template), 'Arn'] },
              },
              BucketKeyEnabled: true,
            },
          ],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/AccessLogs/) } },
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('expires reject reports after 400 days and keeps drops', () => {
    const [, bucket] = dropBucket();
    const rules = (
      bucket as { Properties: { LifecycleConfiguration: { Rules: Array<Record<string, unknown>> } } }
    ).Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'rejects/', ExpirationInDays: 400 }));
    expect(rules.filter((r) => r.Prefix === 'drops/' && r.ExpirationInDays !== undefined)).toEqual([]);
  });
});
