import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { deliverNotice } from '#services/deliver-notice.ts';
import { NoticeMessageSchema } from '#services/ports/index.ts';
import { senderDeps } from '#wiring/index.ts';

const deps = senderDeps();

const sendRecord = async (record: SQSRecord) => {
  const message = NoticeMessageSchema.parse(JSON.parse(record.body));
  const result = await deliverNotice(message, deps);
  if (result.outcome === 'sent') metrics.addMetric('NoticesSent', MetricUnit.Count, 1);
  if (result.outcome === 'failed') metrics.addMetric('NoticesFailed', MetricUnit.Count, 1);
  if (result.outcome === 'deferred') metrics.addMetric('NoticesDeferred', MetricUnit.Count, 1);
  if (result.outcome === 'suppressed') metrics.addMetric('NoticesSuppressed', MetricUnit.Count, 1);
};

/** Notices queue → one provider call per claimed notice; failed records return to the queue alone. */
export const handler = middy(async (event: SQSEvent, context: Context) =>
  // A processor per invocation: it holds one batch's records and outcomes, and invocations running at once
  // in one loaded module (the local runner's concurrent lanes) would otherwise report each other's failures.
  processPartialResponse(event, sendRecord, new BatchProcessor(EventType.SQS), { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
