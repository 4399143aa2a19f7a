import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { documentClient, requiredEnv } from '../../shared/adapters/clients.ts';
import { logFields, logger, metrics, tracer } from '../../shared/adapters/observability.ts';
import { Lookahead, paceFromEnv } from '../../shared/adapters/pacing.ts';
import { awsMessageProviders } from '../../shared/adapters/providers.ts';
import { KeybillRepository } from '../../shared/adapters/repository.ts';
import { parseQuietHours } from '../../shared/domain/quiet-hours.ts';
import { deliverNotice } from '../../shared/services/deliver-notice.ts';

const repository = new KeybillRepository(documentClient(), requiredEnv('TABLE_NAME'));
const config = {
  fromAddress: requiredEnv('SES_FROM_ADDRESS'),
  configurationSet: process.env.SES_CONFIGURATION_SET,
  smsSenderId: process.env.SMS_SENDER_ID,
  smsQuietHours: parseQuietHours(process.env.QUIET_HOURS, process.env.TIME_ZONE ?? 'Asia/Shanghai'),
};
// Per-instance pace: the account's SES / SNS quota divided by the queue's maximum concurrency.
const pace = {
  email: paceFromEnv(process.env.EMAIL_RATE_PER_SECOND),
  sms: paceFromEnv(process.env.SMS_RATE_PER_SECOND),
};
// A paced instance claims, reads and renders only a couple of notices per paced channel ahead of its pace
// (one waiting for its token, the next being prepared), in batch order: the first send of a batch does not
// wait for the whole batch's claims, and few claimed notices wait unsent should the invocation die.
// Unpaced, the whole batch goes at once.
const pacedChannels = Object.values(pace).filter((bucket) => bucket !== undefined).length;
const lookahead = pacedChannels === 0 ? undefined : new Lookahead(2 * pacedChannels);
const processor = new BatchProcessor(EventType.SQS);
const NoticeMessage = z.object({ accountId: z.string().min(1), noticeId: z.string().min(1) });

const sendRecord = async (record: SQSRecord) => {
  const message = NoticeMessage.parse(JSON.parse(record.body));
  const result = await deliverNotice(message, {
    repository,
    providers: awsMessageProviders,
    config,
    pace,
    lookahead,
    log: logFields,
  });
  if (result.outcome === 'sent') metrics.addMetric('NoticesSent', MetricUnit.Count, 1);
  if (result.outcome === 'failed') metrics.addMetric('NoticesFailed', MetricUnit.Count, 1);
  if (result.outcome === 'deferred') metrics.addMetric('NoticesDeferred', MetricUnit.Count, 1);
  if (result.outcome === 'suppressed') metrics.addMetric('NoticesSuppressed', MetricUnit.Count, 1);
};

/** Notices queue → one provider call per claimed notice; failed records return to the queue alone. */
export const handler = middy(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, sendRecord, processor, { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
