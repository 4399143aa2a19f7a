import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
// The schema's own module: the `schemas` barrel builds every event schema Powertools has when imported.
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { NOTICE_TAG, noticeRefOfTag } from '#domain/notices.ts';
import { recordDeliveryEvent } from '#services/record-delivery.ts';
import { deliveryEventDeps } from '#wiring/index.ts';

const deps = deliveryEventDeps();

/** Only what is needed of an SES event; addresses in it are never logged. */
const SesEvent = EventBridgeSchema.extend({
  detail: z.object({
    eventType: z.enum([
      'Send',
      'Delivery',
      'Bounce',
      'Complaint',
      'Reject',
      'DeliveryDelay',
      'RenderingFailure',
      'Open',
      'Click',
      'Subscription',
    ]),
    mail: z.object({
      messageId: z.string().min(1),
      // SES tags: name → values. Only the notice's own tag is read, and it is checked as input; malformed
      // tags are dropped, not a reason to lose the event (its message id may still find its notice).
      tags: z.record(z.string(), z.array(z.string())).optional().catch(undefined),
    }),
    bounce: z
      .object({
        bounceType: z.string(),
        bounceSubType: z.string().optional(),
        timestamp: z.iso.datetime({ offset: true }).optional().catch(undefined),
      })
      .optional(),
    delivery: z
      .object({ timestamp: z.iso.datetime({ offset: true }).optional().catch(undefined) })
      .optional(),
    reject: z.object({ reason: z.string() }).optional(),
  }),
});

/** SES configuration-set events via EventBridge → the notice's status and timeline. */
export const handler = middy(async (event: z.infer<typeof SesEvent>) => {
  const { detail } = event;
  if (detail.eventType === 'Open' || detail.eventType === 'Click' || detail.eventType === 'Subscription')
    return { outcome: 'ignored' };
  const result = await recordDeliveryEvent(
    {
      providerMessageId: detail.mail.messageId,
      noticeRef: noticeRefOfTag(detail.mail.tags?.[NOTICE_TAG]?.[0]),
      eventType: detail.eventType,
      bounceType: detail.bounce?.bounceType,
      at: detail.delivery?.timestamp ?? detail.bounce?.timestamp ?? event.time,
      publishedAt: event.time,
      detail:
        detail.bounce !== undefined
          ? `${detail.bounce.bounceType}/${detail.bounce.bounceSubType ?? ''}`
          : detail.reject?.reason,
    },
    deps,
  );
  metrics.addMetric(`Delivery${detail.eventType}`, MetricUnit.Count, 1);
  logger.info('delivery event recorded', {
    eventType: detail.eventType,
    messageId: detail.mail.messageId,
    ...result,
  });
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(parser({ schema: SesEvent }));
