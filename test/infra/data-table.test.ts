import { describe, expect, it } from 'vitest';
import { contactDataKeyId, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('data table', () => {
  it('is keyed by pk/sk with gsi1 and gsi2 projecting all attributes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('streams new and old images, expires items by expiresAt and bills on demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has point-in-time recovery, the contact-data key, deletion protection and outlives the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [contactDataKeyId(template), 'Arn'] },
        },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe("the functions' grants on the table", () => {
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) ?? [],
  );
  const actions = (s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  const onIndexes = statements.filter((s) => JSON.stringify(s.Resource).includes('/index/'));

  it('allow only queries on an index, each named (no index/* wildcard)', () => {
    expect(onIndexes.length).toBeGreaterThan(0);
    for (const s of onIndexes) {
      expect(actions(s)).toEqual(['dynamodb:Query']);
      expect(JSON.stringify(s.Resource)).not.toContain('/index/*');
    }
  });

  it('grant no Scan, no ConditionCheckItem and no table administration to any role', () => {
    const dynamodb = statements.flatMap(actions).filter((a) => a.startsWith('dynamodb:'));
    const item = [
      'GetItem',
      'BatchGetItem',
      'Query',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'BatchWriteItem',
    ];
    const stream = ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'];
    expect(dynamodb.filter((a) => ![...item, ...stream].includes(a.slice('dynamodb:'.length)))).toEqual([]);
  });

  it('let a function read a secret value and nothing else of it (no DescribeSecret)', () => {
    const secrets = statements.flatMap(actions).filter((a) => a.startsWith('secretsmanager:'));
    expect(secrets.length).toBeGreaterThan(0);
    expect(new Set(secrets)).toEqual(new Set(['secretsmanager:GetSecretValue']));
  });
});
