import type { TemplateSchedule } from './schedule-firing.ts';
import type { Json, TemplateJson } from './synthesized-stack.ts';

/*
 * What AWS does between the services, read from the synthesized template: which EventBridge rules and
 * schedules invoke a function (their patterns and expressions), and how its event-source mappings
 * deliver (batch size, batching window, maximum concurrency, partial batch responses, filter criteria),
 * with the source queue's visibility timeout and redrive count. The runner plays these; it keeps no
 * copy of them.
 */

export interface EventSourceWiring {
  /** The logical id of the queue or table the mapping reads. */
  sourceLogicalId: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  maximumConcurrency?: number;
  reportBatchItemFailures: boolean;
  /** Lambda filter criteria: a record is delivered when it matches any (none: every record). */
  filters: Json[];
  /** The source queue's, when it is a queue. */
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}

export interface FunctionWiring {
  functionName: string;
  timeoutSeconds: number;
  eventSources: EventSourceWiring[];
  /** Event patterns of the EventBridge rules with this function as a target. */
  rulePatterns: Json[];
  /** Scheduler schedules invoking the function. */
  schedules: TemplateSchedule[];
}

const refOf = (value: unknown): string | undefined =>
  (value as { Ref?: string } | undefined)?.Ref ??
  (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];

/** Does a template value (a Ref, a GetAtt, or an ARN built by Fn::Join) point at this function? */
function pointsAt(value: unknown, logicalId: string, functionName: string): boolean {
  if (refOf(value) === logicalId) return true;
  const text = JSON.stringify(value);
  return text.includes(`function:${functionName}"`) || text.endsWith(`:${functionName}"`);
}

export function functionWiring(template: TemplateJson, functionName: string): FunctionWiring {
  const entries = Object.entries(template.Resources);
  const found = entries.find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === functionName,
  );
  if (found === undefined) throw new Error(`the template has no function ${functionName}`);
  const [logicalId, fn] = found;
  const eventSources = entries
    .filter(
      ([, r]) =>
        r.Type === 'AWS::Lambda::EventSourceMapping' && refOf(r.Properties?.FunctionName) === logicalId,
    )
    .map(([, r]) => eventSourceWiring(template, r.Properties ?? {}));
  const rulePatterns = entries
    .filter(([, r]) => r.Type === 'AWS::Events::Rule' && r.Properties?.EventPattern !== undefined)
    .filter(([, r]) =>
      ((r.Properties?.Targets as Json[]) ?? []).some((t) => pointsAt(t.Arn, logicalId, functionName)),
    )
    .map(([, r]) => r.Properties?.EventPattern as Json);
  const schedules = entries
    .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
    .filter(([, r]) => pointsAt((r.Properties?.Target as Json | undefined)?.Arn, logicalId, functionName))
    .map(([, r]) => {
      const target = (r.Properties?.Target ?? {}) as Json;
      return {
        name: String(r.Properties?.Name),
        expression: String(r.Properties?.ScheduleExpression),
        timeZone: String(r.Properties?.ScheduleExpressionTimezone ?? 'UTC'),
        ...(target.Input === undefined ? {} : { input: String(target.Input) }),
      };
    });
  return {
    functionName,
    timeoutSeconds: Number(fn.Properties?.Timeout ?? 3),
    eventSources,
    rulePatterns,
    schedules,
  };
}

function eventSourceWiring(template: TemplateJson, p: Json): EventSourceWiring {
  const sourceLogicalId = refOf(p.EventSourceArn) ?? '';
  const source = template.Resources[sourceLogicalId];
  const redrive = source?.Properties?.RedrivePolicy as { maxReceiveCount?: number } | undefined;
  const filters = ((p.FilterCriteria as { Filters?: { Pattern: string }[] } | undefined)?.Filters ?? []).map(
    (f) => JSON.parse(f.Pattern) as Json,
  );
  const isQueue = source?.Type === 'AWS::SQS::Queue';
  return {
    sourceLogicalId,
    // Lambda's defaults when the mapping does not say: 10 for a queue, 100 for a stream.
    batchSize: Number(p.BatchSize ?? (isQueue ? 10 : 100)),
    maximumBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
    ...((p.ScalingConfig as Json | undefined)?.MaximumConcurrency === undefined
      ? {}
      : { maximumConcurrency: Number((p.ScalingConfig as Json).MaximumConcurrency) }),
    reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
      'ReportBatchItemFailures',
    ),
    filters,
    ...(isQueue
      ? {
          visibilityTimeoutSeconds: Number(source?.Properties?.VisibilityTimeout ?? 30),
          ...(redrive?.maxReceiveCount === undefined
            ? {}
            : { maxReceiveCount: Number(redrive.maxReceiveCount) }),
        }
      : {}),
  };
}
