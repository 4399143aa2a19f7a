import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { BATCH_SIZES, MAX_CONCURRENCY } from '../../infra/wiring-values.ts';
import { dynamoDbStreamEvent, s3ObjectCreatedEvent } from '../../local/runner/aws-events.ts';
import { matchesPattern } from '../../local/runner/event-pattern.ts';
import { stackTimeoutSeconds } from '../../local/runner/lambda-invocation.ts';
import {
  LOCAL_TIME_FACTOR,
  pumpOptionsOf,
  queueSource,
  streamSource,
} from '../../local/runner/pipeline-wiring.ts';
import { type Json, readSynthesizedStack } from '../../local/runner/synthesized-stack.ts';
import { TemplateValues } from '../../local/runner/template-values.ts';
import { functionWiring } from '../../local/runner/template-wiring.ts';

/*
 * The runner plays what the template wires (deployed-path.test.ts runs it with the template's wiring);
 * these read that wiring from cdk.out directly: the patterns and filters admit what they must and refuse
 * what they must, and what the runner plays without a template (the values the stack is built from,
 * infra/wiring-values.ts) is what the template says.
 */

const { template, functions } = readSynthesizedStack();
const values = new TemplateValues(template, { region: 'cn-north-1', account: '000000000000' });
const wiringOf = (handlerName: string) =>
  functionWiring(template, functions.find((f) => f.handlerName === handlerName)!.functionName);

/** The runner's wiring read from the template, as the bundle tests play it. */
const played = { byFunction: (name: string) => functionWiring(template, name), environment: {} };

/** The functions a queue feeds, with what the stack gives each event source (infra/wiring-values.ts). */
const QUEUE_CONSUMERS = [
  [
    'keybill-send-notice',
    { batchSize: BATCH_SIZES['send-notice'], maximumConcurrency: MAX_CONCURRENCY['send-notice'] },
  ],
  ['keybill-bill-chunk', { batchSize: BATCH_SIZES.chunk, maximumConcurrency: MAX_CONCURRENCY['bill-chunk'] }],
  [
    'keybill-arrears-chunk',
    { batchSize: BATCH_SIZES.chunk, maximumConcurrency: MAX_CONCURRENCY['arrears-chunk'] },
  ],
] as const;

/** The logical id a Ref or a Fn::GetAtt names. */
const logicalIdOf = (value: unknown): string =>
  (value as { Ref?: string }).Ref ?? (value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

/** Every SQS event source mapping of the template, read from its resources, by the function it feeds. */
const sqsMappings = (): Record<string, Json> =>
  Object.fromEntries(
    Object.values(template.Resources)
      .filter(
        (r) =>
          r.Type === 'AWS::Lambda::EventSourceMapping' &&
          template.Resources[logicalIdOf(r.Properties?.EventSourceArn)]?.Type === 'AWS::SQS::Queue',
      )
      .map((r) => [
        String(template.Resources[logicalIdOf(r.Properties?.FunctionName)]?.Properties?.FunctionName),
        r.Properties ?? {},
      ]),
  );

const streamRecord = (eventName: string, entity: string): StreamRecord => ({
  eventID: '1',
  eventName: eventName as StreamRecord['eventName'],
  dynamodb: { NewImage: { entity: { S: entity }, pk: { S: 'ACCOUNT#1' } }, SequenceNumber: '1' },
});

describe('wiring read from the synthesized template', () => {
  it('delivers new bill versions, and nothing else, from the table stream to plan-notices', () => {
    const [stream] = wiringOf('plan-notices').eventSources;
    const delivered = (r: StreamRecord) =>
      stream!.filters.some((f) => matchesPattern(f, dynamoDbStreamEvent([r], 'arn').Records[0]));
    expect(delivered(streamRecord('INSERT', 'BILL'))).toBe(true);
    expect(delivered(streamRecord('MODIFY', 'BILL'))).toBe(false);
    expect(delivered(streamRecord('INSERT', 'NOTICE'))).toBe(false);
  });

  it('routes an Object Created under drops/ of the drop bucket to ingest-drop, and no other object', () => {
    const patterns = wiringOf('ingest-drop').rulePatterns.map(
      (p) => values.resolve(p) as Record<string, unknown>,
    );
    const bucket = JSON.stringify(patterns).match(/"name":\["([^"]+)"\]/)?.[1] ?? '';
    const event = (b: string, key: string) => s3ObjectCreatedEvent({ bucket: b, key, size: 1, etag: 'e' });
    const routed = (e: unknown) => patterns.some((p) => matchesPattern(p, e));
    expect(routed(event(bucket, 'drops/reads/2026-10/a.csv'))).toBe(true);
    expect(routed(event(bucket, 'drops/payments/2026-10/a.csv'))).toBe(true);
    expect(routed(event(bucket, 'rejects/2026-10/a.csv'))).toBe(false);
    expect(routed(event('another-bucket', 'drops/reads/2026-10/a.csv'))).toBe(false);
  });

  it('plays without a template the stream and queue wiring the template has', () => {
    expect(streamSource(undefined, 'keybill-plan-notices')).toEqual(
      streamSource(played, 'keybill-plan-notices'),
    );
    for (const [functionName, stack] of QUEUE_CONSUMERS) {
      const { reportBatchItemFailures, ...fromTemplate } = queueSource(played, functionName, stack);
      // Without a template the pump honours partial batch responses, as every queue mapping here asks.
      expect({ functionName, reportBatchItemFailures }).toEqual({
        functionName,
        reportBatchItemFailures: true,
      });
      expect(queueSource(undefined, functionName, stack)).toEqual(fromTemplate);
    }
  });

  it("runs as many invocations at once as each SQS mapping's maximum concurrency, with or without the template", () => {
    const mappings = sqsMappings();
    const ofTemplate = Object.fromEntries(
      Object.entries(mappings).map(([fn, m]) => [fn, (m.ScalingConfig as Json).MaximumConcurrency]),
    );
    // Every queue mapping is played, each with a concurrency SQS accepts (2 to 1000).
    expect(Object.keys(ofTemplate).sort()).toEqual(QUEUE_CONSUMERS.map(([fn]) => fn).sort());
    for (const n of Object.values(ofTemplate)) expect(n).toBeGreaterThanOrEqual(2);
    const pumped = (wiring: typeof played | undefined) =>
      Object.fromEntries(
        QUEUE_CONSUMERS.map(([fn, stack]) => [
          fn,
          pumpOptionsOf(queueSource(wiring, fn, stack)).maximumConcurrency,
        ]),
      );
    expect(pumped(played)).toEqual(ofTemplate);
    expect(pumped(undefined)).toEqual(ofTemplate);
  });

  it("waits out each SQS mapping's batching window, in local time", () => {
    for (const [fn, mapping] of Object.entries(sqsMappings())) {
      const stack = QUEUE_CONSUMERS.find(([name]) => name === fn)![1];
      const windowSeconds = Number(mapping.MaximumBatchingWindowInSeconds ?? 0);
      expect({ fn, ms: pumpOptionsOf(queueSource(played, fn, stack)).maximumBatchingWindowMs }).toEqual({
        fn,
        ms: windowSeconds * 1000 * LOCAL_TIME_FACTOR,
      });
    }
  });

  it('enforces without a template the timeout the template gives each function', () => {
    const timeouts = (timeoutOf: (name: string) => number) =>
      Object.fromEntries(functions.map((f) => [f.functionName, timeoutOf(f.functionName)]));
    expect(timeouts(stackTimeoutSeconds)).toEqual(
      timeouts((name) => functionWiring(template, name).timeoutSeconds),
    );
  });

  it('states every queue mapping with a visibility timeout longer than the function timeout and a redrive count', () => {
    for (const fn of functions) {
      const wiring = functionWiring(template, fn.functionName);
      for (const source of wiring.eventSources.filter((s) => s.visibilityTimeoutSeconds !== undefined)) {
        expect(source.visibilityTimeoutSeconds).toBeGreaterThan(wiring.timeoutSeconds);
        expect(source.maxReceiveCount).toBeGreaterThan(0);
      }
    }
  });

  it('finds the schedules of the template with their time zones', () => {
    const schedules = functions.flatMap((f) => functionWiring(template, f.functionName).schedules);
    expect(schedules.length).toBeGreaterThan(0);
    for (const s of schedules) expect(Intl.supportedValuesOf('timeZone').concat('UTC')).toContain(s.timeZone);
  });
});
