import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dropBucketOf, functionNamed, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('operator console', () => {
  it('tells the operator function the drop bucket, the only bucket run-drop reads', () => {
    const [bucketId] = dropBucketOf(template);
    expect(functionNamed(template, 'operator').properties.Environment).toMatchObject({
      Variables: { DROP_BUCKET: { Ref: bucketId } },
    });
  });

  it('re-queues SMS deferred for quiet hours when they end, through the operator function', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Input: JSON.stringify({ command: 'release-deferred' }) }),
    });
  });

  it('re-queues them at the end of the quiet hours given in the context', () => {
    synthKeybill({ quietHours: '22:30-07:15' }).template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 7 * * ? *)',
      Description: Match.stringLikeRegexp('at 07:15 China Standard Time'),
      Target: Match.objectLike({ Input: JSON.stringify({ command: 'release-deferred' }) }),
    });
  });

  it('re-queues them at 08:00 when there are no quiet hours (nothing is deferred then)', () => {
    synthKeybill({ quietHours: '' }).template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      Target: Match.objectLike({ Input: JSON.stringify({ command: 'release-deferred' }) }),
    });
  });

  it.each([['25:00-08:00'], ['21:00'], ['nine-eight']])('refuses quietHours %s', (value) => {
    expect(() => synthKeybill({ quietHours: value })).toThrow(/quietHours must be HH:MM-HH:MM/);
  });
});
