import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { followThrough } from '#services/answers/act-on-answer.ts';
import { planBillNotices } from '#services/plan-bill-notices.ts';
import { planNoticesDeps } from '#wiring/index.ts';

const deps = planNoticesDeps();

/**
 * One new item (stream INSERT, filtered in the event source mapping): a bill version → its notices; a
 * customer's answer or follow-up → what follows it (review mark, evidence, the manager's email).
 */
const planForRecord = async (record: DynamoDBRecord) => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || image === undefined) return;
  const entity = image.entity?.S;
  if (entity === 'ANSWER' || entity === 'FOLLOWUP') {
    const item = {
      entity,
      accountId: image?.accountId?.S ?? '',
      id: (entity === 'ANSWER' ? image?.answerId?.S : image?.followUpId?.S) ?? '',
    } as const;
    logger.info('answer followed through', { ...item, outcome: await followThrough(item, deps) });
    return;
  }
  if (entity !== 'BILL') return;
  const bill = {
    accountId: image.accountId?.S ?? '',
    period: image.period?.S ?? '',
    version: Number(image.version?.N),
  };
  const { planned, enqueued, held } = await planBillNotices(bill, deps);
  metrics.addMetric('NoticesPlanned', MetricUnit.Count, planned);
  // A held version planned its manager's notice only: its previews wait for release-bill.
  if (held === true) metrics.addMetric('BillsHeld', MetricUnit.Count, 1);
  logger.info(held === true ? 'bill held: manager notified' : 'notices planned', {
    ...bill,
    planned,
    enqueued,
  });
};

export const handler = middy(async (event: DynamoDBStreamEvent, context: Context) =>
  // A processor per invocation: it holds one batch's records and outcomes, and invocations running at once
  // in one loaded module (the local runner's concurrent lanes) would otherwise report each other's failures.
  processPartialResponse(event, planForRecord, new BatchProcessor(EventType.DynamoDBStreams), { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
