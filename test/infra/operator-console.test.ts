import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { OperatorCommand } from '#services/operator-command-schema.ts';
import { operatorTestEvents } from '../../infra/concerns/operator-test-events.ts';
import { deadLetterQueuesByLogicalId } from './dead-letter-queues-env.ts';
import { dropBucketOf, environmentOf, functionNamed, synthKeybill } from './synth.ts';

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

  describe('dead-letter queues the operator lists and redrives', () => {
    const entries = deadLetterQueuesByLogicalId(environmentOf(template, 'operator').DEAD_LETTER_QUEUES);
    const queues = template.findResources('AWS::SQS::Queue');

    it("gives each redrivable queue its source queue's URL: the queue whose redrive policy dead-letters into it", () => {
      const redrivable = entries.filter((e) => e.redrivable);
      expect(redrivable.map((e) => e.name)).toEqual([
        'Notifications/NoticeDeadLetters',
        'Chunks/DeadLetters',
        'ArrearsChunks/DeadLetters',
      ]);
      for (const entry of redrivable) {
        const source = queues[entry.sourceUrl!]!;
        expect(source.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({
          'Fn::GetAtt': [entry.url, 'Arn'],
        });
      }
    });

    it('gives a queue of failed invocations or stream records no source (nothing to move its messages to)', () => {
      for (const entry of entries.filter((e) => !e.redrivable)) expect(entry.sourceUrl).toBeUndefined();
    });
  });

  describe('schedules that invoke the operator function', () => {
    const operatorId = functionNamed(template, 'operator').id;
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter(
      (s) =>
        JSON.stringify(s.Properties.Target.Arn) === JSON.stringify({ 'Fn::GetAtt': [operatorId, 'Arn'] }),
    ) as { Properties: { Name: string; Target: { Input: string } } }[];
    /** The input as Scheduler hands it over: its context attributes filled in. */
    const handed = (input: string) =>
      JSON.parse(input.replaceAll('<aws.scheduler.scheduled-time>', '2026-11-03T05:15:00Z'));

    it('hand it commands it accepts, once Scheduler fills in their context', () => {
      expect(schedules.map((s) => s.Properties.Name).sort()).toEqual([
        'keybill-check-drops',
        'keybill-escalate-follow-ups',
        'keybill-reconcile-uncertain',
        'keybill-release-deferred-sms',
      ]);
      for (const { Properties } of schedules) {
        expect(OperatorCommand.safeParse(handed(Properties.Target.Input)).error?.issues ?? []).toEqual([]);
      }
    });

    it('check the feeds as of the hour they were scheduled for, so a late or retried check checks that hour', () => {
      const check = schedules.find((s) => s.Properties.Name === 'keybill-check-drops')!;
      expect(handed(check.Properties.Target.Input)).toEqual({
        command: 'check-drops',
        scheduledTime: '2026-11-03T05:15:00Z',
      });
    });
  });

  it.each([['25:00-08:00'], ['21:00'], ['nine-eight']])('refuses quietHours %s', (value) => {
    expect(() => synthKeybill({ quietHours: value })).toThrow(/quietHours must be HH:MM-HH:MM/);
  });

  describe('shareable console test events', () => {
    const schemas = template.findResources('AWS::EventSchemas::Schema');
    const [bucketId] = dropBucketOf(template);
    /** A name for the drop bucket, put where the template refers to it. */
    const DROP_BUCKET = 'keybill-dropsbucket-0a1b2c3d4e5f';

    /** The schema's content with the bucket's Ref resolved: what the console shows once deployed. */
    function contentOf(properties: { Content: unknown }): {
      components: { examples: Record<string, { value: unknown }> };
    } {
      const content = properties.Content;
      if (typeof content === 'string') return JSON.parse(content);
      const [separator, parts] = (content as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      const text = parts
        .map((part) => {
          if (typeof part === 'string') return part;
          expect(part).toEqual({ Ref: bucketId });
          return DROP_BUCKET;
        })
        .join(separator);
      return JSON.parse(text);
    }

    it('saves one schema, in the registry the console reads, named after the operator function', () => {
      expect(Object.keys(schemas)).toHaveLength(1);
      template.hasResourceProperties('AWS::EventSchemas::Schema', {
        RegistryName: 'lambda-testevent-schemas',
        SchemaName: '_keybill-operator-schema',
        Type: 'OpenApi3',
      });
      expect(functionNamed(template, 'operator').properties.FunctionName).toBe('keybill-operator');
    });

    it('does not create the registry: the account owns it, shared by every function', () => {
      template.resourceCountIs('AWS::EventSchemas::Registry', 0);
    });

    it('holds every event, each parsing with the operator schema, run-drop naming the stack bucket', () => {
      const [schema] = Object.values(schemas) as { Properties: { Content: unknown } }[];
      const examples = contentOf(schema!.Properties).components.examples;
      const expected = operatorTestEvents(DROP_BUCKET);
      expect(Object.keys(examples)).toEqual(expected.map((e) => e.name));
      for (const { name, event } of expected) {
        expect(examples[name]).toEqual({ value: event });
        expect(OperatorCommand.safeParse(examples[name]!.value).error?.issues ?? []).toEqual([]);
      }
      expect(examples['run-drop']!.value).toMatchObject({ bucket: DROP_BUCKET });
    });
  });
});
