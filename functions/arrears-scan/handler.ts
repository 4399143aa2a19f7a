import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { shanghaiDate } from '#domain/calendar/index.ts';
import { checkDisconnectionNoticeDelivery, sendFinalReminder } from '#services/arrears.ts';
import { fanOutDailyArrearsScan } from '#services/arrears-scan.ts';
import { arrearsScanDeps } from '#wiring/index.ts';

const deps = arrearsScanDeps();

/** A plan revision's one-time schedule: its final reminder, or the check that its notice was delivered. */
const PlanTask = z.object({
  accountId: z.string().min(1),
  planId: z.string().min(1),
  revision: z.number().int().positive(),
  /** Set by replays and tests; a real schedule fires now. */
  firedAt: z.iso.datetime({ offset: true }).optional(),
});

const ArrearsTask = z.discriminatedUnion('task', [
  z.object({
    task: z.literal('daily-arrears-scan'),
    scheduledTime: z.string().optional(),
    today: z.iso.date().optional(),
  }),
  PlanTask.extend({ task: z.literal('final-reminder') }),
  PlanTask.extend({ task: z.literal('delivery-check') }),
]);

/**
 * Daily schedule (09:00 Asia/Shanghai) → every account, in chunks, to arrears-chunk (which takes each
 * account's step on the escalation ladder); a plan's one-time schedules → its final reminder (30 minutes
 * before a disconnection) and its notice's delivery check (at the end of the delivery window).
 */
export const handler = middy(async (event: unknown) => {
  const task = ArrearsTask.parse(event);
  if (task.task === 'final-reminder') {
    const result = await sendFinalReminder(task, task.firedAt ?? new Date().toISOString(), deps);
    logger.info('final reminder', { accountId: task.accountId, planId: task.planId, ...result });
    return result ?? { skipped: 'account not found' };
  }
  if (task.task === 'delivery-check') {
    const firedAt = task.firedAt ?? new Date().toISOString();
    const result = await checkDisconnectionNoticeDelivery(task, firedAt, deps);
    logger.info('delivery check', { accountId: task.accountId, planId: task.planId, ...result });
    return result ?? { skipped: 'account not found' };
  }
  const today = task.today ?? shanghaiDate(task.scheduledTime ?? new Date().toISOString());
  const result = await fanOutDailyArrearsScan(today, deps);
  metrics.addMetric('ArrearsChunksQueued', MetricUnit.Count, result.chunks);
  // The official calendar's coverage: an alarm fires 60 days (policy) before it ends.
  if (result.calendarCoverageDaysLeft !== undefined) {
    metrics.addMetric('CalendarCoverageDaysLeft', MetricUnit.Count, result.calendarCoverageDaysLeft);
  }
  if (result.coverageEndsSoon === true) {
    logger.warn(
      'the official working-day calendar ends soon: add the next year (npm run calendar-snapshot)',
      {
        coveredUntil: result.calendarCoveredUntil,
        daysLeft: result.calendarCoverageDaysLeft,
      },
    );
  }
  logger.info('arrears scan fanned out', result);
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
