import { describe, expect, it } from 'vitest';
import { EVENTS_KEY_ACTIONS, LOGS_KEY_ACTIONS } from '../../infra/constructs/data-key.ts';
import {
  actionsOf,
  contactDataKeyId,
  dropBucketOf,
  HANDLERS,
  statementsOfFunction,
  synthKeybill,
} from './synth.ts';

const { template } = synthKeybill();
const keyId = contactDataKeyId(template);
const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };
type Resources = Record<string, { Properties: Record<string, unknown>; DeletionPolicy?: string }>;
const resources = (type: string) => template.findResources(type) as Resources;

/** `arn:<partition>:<service>:<region>:<account>:<rest>` as the template writes it. */
const stackArn = (service: string, rest: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      rest,
    ],
  ],
});

describe('contact-data key', () => {
  it('is one customer-managed key, rotated by KMS, kept when the stack goes (the data needs it)', () => {
    const key = resources('AWS::KMS::Key')[keyId]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('encrypts the table, the drop bucket, every queue (dead-letter queues too) and every log group', () => {
    const [table] = Object.values(resources('AWS::DynamoDB::Table'));
    expect(table!.Properties.SSESpecification).toMatchObject({ SSEType: 'KMS', KMSMasterKeyId: keyArn });
    const [, bucket] = dropBucketOf(template) as [string, { Properties: Record<string, unknown> }];
    expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain(JSON.stringify(keyArn));
    const queues = Object.values(resources('AWS::SQS::Queue'));
    expect(queues.length).toBeGreaterThanOrEqual(10);
    for (const queue of queues) expect(queue.Properties.KmsMasterKeyId).toEqual(keyArn);
    // One per function, and the answers API's access log.
    const logGroups = Object.values(resources('AWS::Logs::LogGroup'));
    expect(logGroups).toHaveLength(HANDLERS.length + 1);
    for (const logGroup of logGroups) expect(logGroup.Properties.KmsKeyId).toEqual(keyArn);
  });

  it('has exactly three policy statements: the account, CloudWatch Logs of this stack, EventBridge rules of this stack', () => {
    const policy = resources('AWS::KMS::Key')[keyId]!.Properties.KeyPolicy as { Statement: unknown[] };
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: {
          AWS: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
            ],
          },
        },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudWatchLogsOfThisStack',
        Effect: 'Allow',
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Action: [...LOGS_KEY_ACTIONS].sort(),
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stackArn('logs', ':log-group:keybill-*') },
        },
      },
      {
        Sid: 'EventBridgeRulesOfThisStack',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: [...EVENTS_KEY_ACTIONS].sort(),
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': stackArn('events', ':rule/keybill-*') },
        },
      },
    ]);
  });

  it('lets CloudFormation name the log groups and rules, so their ARNs match the policy (<stack name>-…)', () => {
    for (const logGroup of Object.values(resources('AWS::Logs::LogGroup')))
      expect(logGroup.Properties.LogGroupName).toBeUndefined();
    const rulesWithDeadLetters = Object.values(resources('AWS::Events::Rule')).filter((rule) =>
      JSON.stringify(rule.Properties.Targets).includes('DeadLetterConfig'),
    );
    expect(rulesWithDeadLetters.length).toBeGreaterThan(0);
    for (const rule of rulesWithDeadLetters) expect(rule.Properties.Name).toBeUndefined();
  });

  it.each(HANDLERS)('gives %s named key actions on this key only, never a wildcard', (handlerName) => {
    const keyStatements = statementsOfFunction(template, handlerName).filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('kms:')),
    );
    expect(keyStatements.length).toBeGreaterThan(0);
    for (const statement of keyStatements) {
      expect(statement.Resource).toEqual(keyArn);
      for (const action of actionsOf([statement])) {
        expect(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']).toContain(action);
      }
    }
  });
});
