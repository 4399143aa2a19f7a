import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
// The schema's own module: the `schemas` barrel builds every event schema Powertools has when imported.
import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { z } from 'zod';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { runMeterReadDrop } from '#services/run-meter-read-drop.ts';
import { runPaymentDrop } from '#services/run-payment-drop.ts';
import { dropIngestDeps } from '#wiring/index.ts';

const deps = dropIngestDeps();

/** Payments arrive under drops/payments/ (the EventBridge rule also matches drops/reads/). */
const PAYMENT_DROP_PREFIX = 'drops/payments/';

/**
 * S3 "Object Created" via EventBridge → one payment drop processed, or one meter-read drop read, staged
 * and handed to bill-chunk.
 */
export const handler = middy(async (event: z.infer<typeof S3EventNotificationEventBridgeSchema>) => {
  const ref = { bucket: event.detail.bucket.name, key: event.detail.object.key };
  logger.appendKeys({ drop: ref.key });
  if (ref.key.startsWith(PAYMENT_DROP_PREFIX)) {
    const result = await runPaymentDrop(ref, deps.payments);
    metrics.addMetric('PaymentsStored', MetricUnit.Count, result.paymentsCreated);
    metrics.addMetric('RowsRejected', MetricUnit.Count, result.rejected);
    logger.info('payment drop processed', { ...result });
    return result;
  }
  const result = await runMeterReadDrop(ref, deps.meterReads);
  metrics.addMetric('RowsAccepted', MetricUnit.Count, result.accepted);
  metrics.addMetric('RowsRejected', MetricUnit.Count, result.rejected);
  metrics.addMetric('BillChunksQueued', MetricUnit.Count, result.chunks ?? 0);
  logger.info('drop read', { ...result });
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(parser({ schema: S3EventNotificationEventBridgeSchema }));
