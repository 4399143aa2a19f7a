import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { shanghaiDate } from '#domain/calendar/index.ts';
import { runKeyAccountRanking } from '#services/rank-key-accounts.ts';
import { rankingDeps } from '#wiring/index.ts';

// Managers' monthly digests go out through the notification path, where NOTICE_QUEUE_URL is set.
const deps = rankingDeps();

/** The schedule's input, or an operator's: `asOf` (YYYY-MM-DD) defaults to the scheduled day. */
const RankEvent = z.object({
  task: z.literal('monthly-ranking').optional(),
  scheduledTime: z.string().optional(),
  asOf: z.iso.date().optional(),
  period: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
});

/** Monthly schedule (3rd, 06:00 Asia/Shanghai) → rank, select and segment key accounts; store and report. */
export const handler = middy(async (event: unknown) => {
  const input = RankEvent.parse(event ?? {});
  const asOf =
    input.asOf ?? `${shanghaiDate(input.scheduledTime ?? new Date().toISOString()).slice(0, 7)}-01`;
  const result = await runKeyAccountRanking(
    {
      asOf,
      ...(input.period === undefined ? {} : { period: input.period }),
      reportBucket: deps.reportBucket,
      reportPrefix: deps.reportPrefix,
    },
    deps,
  );
  metrics.addMetric('KeyAccounts', MetricUnit.Count, result.keyAccounts);
  logger.info('key accounts ranked', { ...result });
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
