import { describe, expect, it } from 'vitest';
import { awsCallsOf } from '../../../local/runner/aws-call-parser.ts';
import type { RecordedRequest } from '../../../local/runner/aws-call-recorder.ts';
import { partitionOf } from '../../../local/runner/aws-partition.ts';
import { TemplateValues } from '../../../local/runner/template-values.ts';
import { decide } from '../../bundles/role-policies.ts';

const scope = { region: 'cn-north-1', account: '000000000000' };
const authorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=local/20261202/cn-north-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/** A Secrets Manager request as the SDK sends it (awsJson1_1). */
const secretsManagerRequest = (operation: string, body: unknown): RecordedRequest => {
  const text = JSON.stringify(body);
  return {
    method: 'POST',
    path: '/',
    headers: {
      authorization: authorization('secretsmanager'),
      'x-amz-target': `secretsmanager.${operation}`,
    },
    body: text,
    bodyBytes: text.length,
  };
};

const secretArn = 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:keybill-link-signing-key-AbC123';

describe('the resource a Secrets Manager call is authorised on', () => {
  it('is the secret ARN the SecretId gives', () => {
    expect(awsCallsOf(secretsManagerRequest('GetSecretValue', { SecretId: secretArn }), scope)).toEqual([
      { action: 'secretsmanager:GetSecretValue', resources: [secretArn] },
    ]);
  });

  it('is, for a bare name, the name with the unknown six-character suffix AWS adds', () => {
    const [call] = awsCallsOf(
      secretsManagerRequest('GetSecretValue', { SecretId: 'keybill-link-signing-key' }),
      scope,
    );
    expect(call).toEqual({
      action: 'secretsmanager:GetSecretValue',
      resources: ['arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:keybill-link-signing-key-??????'],
    });
    const byName = 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:keybill-link-signing-key-??????';
    // A grant by name (the pattern AWS documents) allows it; a grant of another secret's name does not.
    expect(
      decide(
        [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: byName }],
        call!.action,
        call!.resources[0]!,
      ),
    ).toBe('allowed');
    expect(
      decide(
        [
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: byName.replace('link', 'other'),
          },
        ],
        call!.action,
        call!.resources[0]!,
      ),
    ).toBe('not allowed');
  });

  it('is every secret of a batch read, and "*" for a call that names none', () => {
    expect(
      awsCallsOf(secretsManagerRequest('BatchGetSecretValue', { SecretIdList: [secretArn, 'other'] }), scope),
    ).toEqual([
      {
        action: 'secretsmanager:BatchGetSecretValue',
        resources: [secretArn, 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:other-??????'],
      },
    ]);
    expect(awsCallsOf(secretsManagerRequest('ListSecrets', {}), scope)).toEqual([
      { action: 'secretsmanager:ListSecrets', resources: ['*'] },
    ]);
  });

  it("is, in the template, what the secret's Ref answers: the ARN its role is granted", () => {
    const values = new TemplateValues(
      { Resources: { Key: { Type: 'AWS::SecretsManager::Secret', Properties: {} } } },
      scope,
    );
    const arn = String(values.resolve({ Ref: 'Key' }));
    expect(arn).toMatch(/^arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:Key-[A-Za-z0-9]{6}$/);
    const [call] = awsCallsOf(secretsManagerRequest('GetSecretValue', { SecretId: arn }), scope);
    expect(
      decide(
        [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: arn }],
        call!.action,
        call!.resources[0]!,
      ),
    ).toBe('allowed');
  });
});

describe('the partition of the ARNs a call and a policy are compared in', () => {
  it.each([
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
  ])('is, in %s, %s (URL suffix %s)', (region, partition, urlSuffix) => {
    expect(partitionOf(region)).toEqual({ name: partition, urlSuffix });
    const values = new TemplateValues(
      { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } } } },
      { region, account: '000000000000' },
    );
    expect(values.resolve({ Ref: 'AWS::Partition' })).toBe(partition);
    expect(values.resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe(
      `arn:${partition}:sqs:${region}:000000000000:q`,
    );
    expect(values.resolve({ Ref: 'Queue' })).toBe(`https://sqs.${region}.${urlSuffix}/000000000000/q`);
  });

  it('records a China call on arn:aws-cn:, so a policy written with a literal arn:aws: is refused there', () => {
    const request: RecordedRequest = {
      method: 'POST',
      path: '/',
      headers: { authorization: authorization('sqs'), 'x-amz-target': 'AmazonSQS.SendMessage' },
      body: JSON.stringify({ QueueUrl: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/notices' }),
      bodyBytes: 0,
    };
    const [call] = awsCallsOf(request, scope);
    expect(call).toEqual({
      action: 'sqs:SendMessage',
      resources: ['arn:aws-cn:sqs:cn-north-1:000000000000:notices'],
    });
    const allowedOn = (resource: string) =>
      decide(
        [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: resource }],
        call!.action,
        call!.resources[0]!,
      );
    expect(allowedOn('arn:aws:sqs:cn-north-1:000000000000:notices')).not.toBe('allowed');
    expect(allowedOn('arn:aws-cn:sqs:cn-north-1:000000000000:notices')).toBe('allowed');
  });
});
