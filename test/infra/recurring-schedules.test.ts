import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { actionsOf, functionNamed, statementsOfRole, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('recurring schedules', () => {
  it.each([
    ['arrears-scan', 'cron(0 9 * * ? *)'],
    ['rank-accounts', 'cron(0 6 3 * ? *)'],
    ['operator', 'cron(0 8 * * ? *)'],
    ['operator', 'cron(20 * * * ? *)'],
  ])('runs %s on %s in Asia/Shanghai, with a dead-letter queue', (name, expression) => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [functionNamed(template, name).id, 'Arn'] },
        RoleArn: Match.anyValue(),
        DeadLetterConfig: { Arn: Match.anyValue() },
      },
    });
  });

  it('runs every recurring schedule as one role, which may invoke the scheduled functions and nothing else', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Array<{
      Properties: { Target: { RoleArn: { 'Fn::GetAtt': [string, string] } } };
    }>;
    expect(schedules).toHaveLength(6);
    const roleIds = new Set(schedules.map((s) => s.Properties.Target.RoleArn['Fn::GetAtt'][0]));
    expect(roleIds.size).toBe(1);
    const statements = statementsOfRole(template, [...roleIds][0]!);
    const invoke = statements.filter((s) => actionsOf([s]).includes('lambda:InvokeFunction'));
    const invoked = new Set(
      [...JSON.stringify(invoke.map((s) => s.Resource)).matchAll(/\{"Fn::GetAtt":\["(\w+)","Arn"\]\}/g)].map(
        (m) => m[1],
      ),
    );
    expect([...invoked].sort()).toEqual(
      ['arrears-scan', 'operator', 'rank-accounts'].map((name) => functionNamed(template, name).id).sort(),
    );
    // Besides invoking: leaving an event it could not deliver in the function's encrypted dead-letter queue.
    expect(
      actionsOf(statements)
        .filter((a) => a !== 'lambda:InvokeFunction' && a !== 'sqs:SendMessage')
        .sort(),
    ).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});
