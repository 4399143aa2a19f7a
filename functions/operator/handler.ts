import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { arrearsDepsFromEnv } from '../../shared/adapters/arrears-deps.ts';
import { sqsBillChunkQueue } from '../../shared/adapters/bill-chunk-queue.ts';
import { documentClient, requiredEnv } from '../../shared/adapters/clients.ts';
import { s3DropObjectStore } from '../../shared/adapters/drop-objects.ts';
import { sqsNoticeQueue } from '../../shared/adapters/notice-queue.ts';
import { logFields, logger, tracer } from '../../shared/adapters/observability.ts';
import { KeybillRepository } from '../../shared/adapters/repository.ts';
import { runOperatorCommand } from '../../shared/services/operator-commands.ts';

const repository = new KeybillRepository(documentClient(), requiredEnv('TABLE_NAME'));
const arrears = process.env.REMINDER_SCHEDULE_GROUP === undefined ? undefined : arrearsDepsFromEnv(logFields);
const queue =
  process.env.NOTICE_QUEUE_URL === undefined ? undefined : sqsNoticeQueue(process.env.NOTICE_QUEUE_URL);
const chunks =
  process.env.BILL_CHUNK_QUEUE_URL === undefined
    ? undefined
    : sqsBillChunkQueue(process.env.BILL_CHUNK_QUEUE_URL);

/**
 * Operators invoke this from the Lambda console with a test event such as
 * {"command":"run-drop","bucket":"…","key":"drops/reads/2026-10.csv"}. A malformed command gets an
 * answer that says what is wrong, not a stack trace.
 */
export const handler = middy(async (event: unknown) => {
  const response = await runOperatorCommand(event, {
    repository,
    objects: s3DropObjectStore,
    queue,
    chunks,
    ...(arrears === undefined ? {} : { arrears }),
    log: logFields,
  });
  if (!response.ok) logger.warn('operator command rejected', { error: response.error });
  return response;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
