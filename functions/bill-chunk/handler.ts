import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { billAccountChunk } from '#services/bill-account-chunk.ts';
import { BillChunkMessageSchema } from '#services/ports/index.ts';
import { billChunkDeps } from '#wiring/index.ts';

const deps = billChunkDeps();

const billRecord = async (record: SQSRecord) => {
  const message = BillChunkMessageSchema.parse(JSON.parse(record.body));
  const result = await billAccountChunk(message, deps);
  if (result.outcome === 'billed' && result.tally !== undefined) {
    metrics.addMetric('BillsComputed', MetricUnit.Count, result.tally.billsCreated);
    metrics.addMetric('AccountsBilled', MetricUnit.Count, result.tally.accountsBilled);
    metrics.addMetric('RowsRejected', MetricUnit.Count, result.tally.rowsRejected);
  }
  if (result.finishedRun !== undefined) {
    logger.info('drop billed', { runId: result.finishedRun.runId, ...result.finishedRun.counts });
  }
};

/** Bill-chunk queue → the accounts of each chunk billed; a failed chunk returns to the queue alone. */
export const handler = middy(async (event: SQSEvent, context: Context) =>
  // A processor per invocation: it holds one batch's records and outcomes, and invocations running at once
  // in one loaded module (the local runner's concurrent lanes) would otherwise report each other's failures.
  processPartialResponse(event, billRecord, new BatchProcessor(EventType.SQS), { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
