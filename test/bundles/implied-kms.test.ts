import { describe, expect, it } from 'vitest';
import type { AwsCall } from '../../local/runner/aws-call-recorder.ts';
import type { TemplateJson } from '../../local/runner/synthesized-stack.ts';
import { TemplateValues } from '../../local/runner/template-values.ts';
import { impliedKmsCalls } from './implied-kms.ts';
import { decide } from './role-policies.ts';

const template: TemplateJson = {
  Resources: {
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    Plain: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs' } },
    Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: { Ref: 'Key' } } },
    ManagedSecret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'Key' } } },
          ],
        },
      },
    },
  },
};
const values = new TemplateValues(template, { region: 'cn-north-1', account: '000000000000' });
const keyArn = 'arn:aws-cn:kms:cn-north-1:000000000000:key/Key';
const call = (action: string, resource: string): AwsCall => ({
  functionName: 'keybill-x',
  action,
  resources: [resource],
  requestBytes: 0,
  responseBytes: 0,
});

describe('KMS calls implied by customer managed keys', () => {
  it('adds GenerateDataKey and Decrypt for a send to a queue under a customer key, Decrypt for a receive', () => {
    const implied = impliedKmsCalls(
      [call('sqs:SendMessage', values.arn('Queue')), call('sqs:ReceiveMessage', values.arn('Queue'))],
      template,
      values,
    );
    expect(implied.map((c) => `${c.action} ${c.resources[0]}`)).toEqual([
      `kms:GenerateDataKey ${keyArn}`,
      `kms:Decrypt ${keyArn}`,
      `kms:Decrypt ${keyArn}`,
    ]);
  });

  it('adds GenerateDataKey for an object written to an SSE-KMS bucket, nothing under an AWS managed key', () => {
    const implied = impliedKmsCalls(
      [
        call('s3:PutObject', `${values.arn('Bucket')}/rejects/a.csv`),
        call('sqs:SendMessage', values.arn('Plain')),
      ],
      template,
      values,
    );
    expect(implied.map((c) => c.action)).toEqual(['kms:GenerateDataKey']);
  });

  it('adds Decrypt for a secret read under a customer key, nothing for one under the AWS managed key', () => {
    const implied = impliedKmsCalls(
      [
        call('secretsmanager:GetSecretValue', values.arn('Secret')),
        call('secretsmanager:GetSecretValue', values.arn('ManagedSecret')),
      ],
      template,
      values,
    );
    expect(implied.map((c) => `${c.action} ${c.resources[0]}`)).toEqual([`kms:Decrypt ${keyArn}`]);
  });

  it('is refused by a role that can send to the queue but not use its key', () => {
    const statements = [
      { Effect: 'Allow' as const, Action: 'sqs:SendMessage', Resource: values.arn('Queue') },
    ];
    const [generate] = impliedKmsCalls([call('sqs:SendMessage', values.arn('Queue'))], template, values);
    expect(decide(statements, generate!.action, generate!.resources[0]!)).toBe('not allowed');
    expect(
      decide([...statements, { Effect: 'Allow', Action: 'kms:*', Resource: keyArn }], 'kms:Decrypt', keyArn),
    ).toBe('allowed');
    expect(
      decide(
        [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' },
        ],
        'kms:Decrypt',
        keyArn,
      ),
    ).toBe('explicitly denied');
  });
});
