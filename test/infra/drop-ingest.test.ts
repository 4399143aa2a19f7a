import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { actionsOf, dropBucketOf, functionNamed, statementsOfFunction, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('drop ingest', () => {
  it('triggers ingest-drop on Object Created under drops/reads/ and drops/payments/ of this bucket only', () => {
    const [bucketId] = dropBucketOf(template);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: bucketId }] },
          object: { key: [{ prefix: 'drops/reads/' }, { prefix: 'drops/payments/' }] },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionNamed(template, 'ingest-drop').id, 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  it('ingest-drop has no SES or SNS permissions', () => {
    const actions = actionsOf(statementsOfFunction(template, 'ingest-drop'));
    expect(actions.filter((a) => a.startsWith('ses:') || a.startsWith('sns:'))).toEqual([]);
  });

  it('ingest-drop reads drops/ and writes rejects/ only', () => {
    const s3 = statementsOfFunction(template, 'ingest-drop').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('s3:')),
    );
    expect(s3.map((s) => [s.Action, JSON.stringify(s.Resource).match(/\/(\w+)\/\*/)?.[1]])).toEqual([
      ['s3:GetObject', 'drops'],
      ['s3:PutObject', 'rejects'],
    ]);
  });
});
