import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { scanAccountsForArrears } from '#services/arrears-scan.ts';
import { ArrearsChunkMessageSchema } from '#services/ports/index.ts';
import { arrearsDeps } from '#wiring/index.ts';

const deps = arrearsDeps();

const scanChunk = async (record: SQSRecord) => {
  const { today, chunk, accountIds } = ArrearsChunkMessageSchema.parse(JSON.parse(record.body));
  const result = await scanAccountsForArrears(today, accountIds, deps);
  metrics.addMetric('ArrearsWarnings', MetricUnit.Count, result.warnings);
  logger.info('arrears chunk scanned', { today, chunk, ...result });
};

/** Arrears-chunk queue → each account's step on the ladder today; a failed chunk returns to the queue alone. */
export const handler = middy(async (event: SQSEvent, context: Context) =>
  // A processor per invocation: it holds one batch's records and outcomes, and invocations running at once
  // in one loaded module (the local runner's concurrent lanes) would otherwise report each other's failures.
  processPartialResponse(event, scanChunk, new BatchProcessor(EventType.SQS), { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
