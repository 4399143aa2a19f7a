import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { z } from 'zod';
import { arrearsDepsFromEnv } from '../../shared/adapters/arrears-deps.ts';
import { accountsPerChunkFromEnv, sqsBillChunkQueue } from '../../shared/adapters/bill-chunk-queue.ts';
import { documentClient, requiredEnv } from '../../shared/adapters/clients.ts';
import { s3DropObjectStore } from '../../shared/adapters/drop-objects.ts';
import { logFields, logger, metrics, tracer } from '../../shared/adapters/observability.ts';
import { KeybillRepository } from '../../shared/adapters/repository.ts';
import { settlePayments } from '../../shared/services/arrears.ts';
import { runMeterReadDrop } from '../../shared/services/run-meter-read-drop.ts';
import { runPaymentDrop } from '../../shared/services/run-payment-drop.ts';

const repository = new KeybillRepository(documentClient(), requiredEnv('TABLE_NAME'));
const billChunks = sqsBillChunkQueue(requiredEnv('BILL_CHUNK_QUEUE_URL'));
const accountsPerChunk = accountsPerChunkFromEnv(process.env.BILL_CHUNK_ACCOUNTS);
// Payments that clear arrears cancel pending warnings and disconnection plans as soon as they arrive.
const arrears = process.env.REMINDER_SCHEDULE_GROUP === undefined ? undefined : arrearsDepsFromEnv(logFields);

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
    const result = await runPaymentDrop(ref, {
      repository,
      objects: s3DropObjectStore,
      ...(arrears === undefined
        ? {}
        : { onPaymentsStored: (accounts, at) => settlePayments(accounts, at, arrears) }),
    });
    metrics.addMetric('PaymentsStored', MetricUnit.Count, result.paymentsCreated);
    metrics.addMetric('RowsRejected', MetricUnit.Count, result.rejected);
    logger.info('payment drop processed', { ...result });
    return result;
  }
  const result = await runMeterReadDrop(ref, {
    repository,
    objects: s3DropObjectStore,
    chunks: billChunks,
    accountsPerChunk,
    log: logFields,
  });
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
