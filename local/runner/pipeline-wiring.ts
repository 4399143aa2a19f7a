import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import {
  BATCH_SIZES,
  MAX_RECEIVE_COUNT,
  PLANNER_STREAM_FILTER,
  VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT,
} from '../../infra/wiring-values.ts';
import { dynamoDbStreamEvent } from './aws-events.ts';
import { matchesPattern } from './event-pattern.ts';
import { stackTimeoutSeconds } from './lambda-invocation.ts';
import type { Json } from './synthesized-stack.ts';
import type { FunctionWiring } from './template-wiring.ts';

/*
 * What the runner plays between the services: with a template (the bundle tests), the template's values
 * (local/runner/template-wiring.ts); without one (the demo, the source-level tests), the values the stack
 * is built from (infra/wiring-values.ts). Either way the runner holds no copy of its own.
 */

/** The template's wiring as the runner plays it. */
export interface TemplateWiring {
  byFunction: (functionName: string) => FunctionWiring;
  /** Every function's variables from the template, resolved; the local stack's own values win. */
  environment: Record<string, string>;
}

/**
 * Local seconds per second of the stack, for what the runner waits out: a queue's visibility timeout,
 * before a failed message is received again, and an event source's batching window. The stack's visibility
 * timeouts are 180 s (notices) and 1,800 s (work chunks), six times their consumers' timeouts; a test would
 * wait minutes for each redelivery. Every local queue's visibility timeout is its stack value times this one
 * factor (2 s and 20 s), so their order and proportions stay the stack's. Lambda timeouts are enforced
 * unscaled: the local handlers do the real work at the real speed, and a sender scaled to a third of a
 * second would fail batches that take a second.
 */
export const LOCAL_TIME_FACTOR = 1 / 90;

/** A local queue's visibility timeout, whole seconds as SQS takes them. */
export const localVisibilitySeconds = (stackSeconds: number): number =>
  Math.max(1, Math.round(stackSeconds * LOCAL_TIME_FACTOR));

/** How a queue feeds its function. */
export interface QueueSource {
  functionName: string;
  batchSize: number;
  /** The stack's, in seconds (LOCAL_TIME_FACTOR scales it for the local pump). */
  maximumBatchingWindowSeconds: number;
  /** Invocations at once (the mapping's ScalingConfig.MaximumConcurrency). */
  maximumConcurrency: number;
  /** Undefined: the pump's default (partial batch responses honoured). */
  reportBatchItemFailures?: boolean;
  timeoutSeconds: number;
  /** The stack's, in seconds (LOCAL_TIME_FACTOR scales it for the local queue). */
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

/** What the stack gives a queue's event source, for the runner without a template (infra/wiring-values.ts). */
export interface StackQueueConsumption {
  batchSize: number;
  maximumConcurrency: number;
}

export function queueSource(
  template: TemplateWiring | undefined,
  functionName: string,
  stack: StackQueueConsumption,
): QueueSource {
  if (template === undefined) {
    const timeoutSeconds = stackTimeoutSeconds(functionName);
    return {
      functionName,
      batchSize: stack.batchSize,
      // The stack sets no batching window: Lambda's default, none.
      maximumBatchingWindowSeconds: 0,
      maximumConcurrency: stack.maximumConcurrency,
      timeoutSeconds,
      visibilityTimeoutSeconds: timeoutSeconds * VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT,
      maxReceiveCount: MAX_RECEIVE_COUNT,
    };
  }
  const wiring = template.byFunction(functionName);
  const source = wiring.eventSources.find((s) => s.visibilityTimeoutSeconds !== undefined);
  if (source?.visibilityTimeoutSeconds === undefined)
    throw new Error(`the template gives ${functionName} no queue event source`);
  if (source.maxReceiveCount === undefined)
    throw new Error(`the template's queue feeding ${functionName} has no redrive policy`);
  // Without one a mapping scales with the queue up to the account's concurrency: nothing the runner plays.
  if (source.maximumConcurrency === undefined)
    throw new Error(`the template's queue mapping feeding ${functionName} states no maximum concurrency`);
  return {
    functionName,
    batchSize: source.batchSize,
    maximumBatchingWindowSeconds: source.maximumBatchingWindowSeconds,
    maximumConcurrency: source.maximumConcurrency,
    reportBatchItemFailures: source.reportBatchItemFailures,
    timeoutSeconds: wiring.timeoutSeconds,
    visibilityTimeoutSeconds: source.visibilityTimeoutSeconds,
    maxReceiveCount: source.maxReceiveCount,
  };
}

/** The event source's settings as the queue pump plays them, its batching window in local time. */
export function pumpOptionsOf(source: QueueSource) {
  return {
    functionName: source.functionName,
    batchSize: source.batchSize,
    maximumConcurrency: source.maximumConcurrency,
    maximumBatchingWindowMs: source.maximumBatchingWindowSeconds * 1000 * LOCAL_TIME_FACTOR,
    timeoutSeconds: source.timeoutSeconds,
    ...(source.reportBatchItemFailures === undefined
      ? {}
      : { reportBatchItemFailures: source.reportBatchItemFailures }),
  };
}

/** How the table stream feeds the planner. */
export interface StreamSource {
  /** Lambda filter criteria: a record is delivered when it matches any (none: every record). */
  filters: Json[];
  batchSize: number;
  timeoutSeconds: number;
}

export function streamSource(template: TemplateWiring | undefined, functionName: string): StreamSource {
  if (template === undefined) {
    return {
      filters: [PLANNER_STREAM_FILTER],
      batchSize: BATCH_SIZES['plan-notices'],
      timeoutSeconds: stackTimeoutSeconds(functionName),
    };
  }
  const wiring = template.byFunction(functionName);
  const source = wiring.eventSources.find((s) => s.visibilityTimeoutSeconds === undefined);
  if (source === undefined) throw new Error(`the template gives ${functionName} no stream event source`);
  return { filters: source.filters, batchSize: source.batchSize, timeoutSeconds: wiring.timeoutSeconds };
}

/** The mapping's filter criteria as Lambda applies them: to the record as it would be delivered. */
export const passesFilters =
  (filters: readonly Json[], streamArn: string) =>
  (record: StreamRecord): boolean => {
    if (filters.length === 0) return true;
    const delivered = dynamoDbStreamEvent([record], streamArn).Records[0];
    return filters.some((f) => matchesPattern(f, delivered));
  };

/**
 * EventBridge's part in a drop: the template's rules (with a template) decide whether the Object Created
 * event reaches ingest-drop; an event no rule routes is an error, not a silent no-op.
 */
export function assertRouted(rulePatterns: readonly Json[] | undefined, event: unknown, key: string): void {
  if (rulePatterns === undefined) return;
  if (!rulePatterns.some((pattern) => matchesPattern(pattern, event))) {
    throw new Error(
      `no EventBridge rule of the template routes the Object Created event of ${key} to ingest-drop`,
    );
  }
}
