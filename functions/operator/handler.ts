import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, tracer } from '#adapters/observability.ts';
import { runOperatorCommand } from '#services/operator-commands.ts';
import { operatorDeps } from '#wiring/index.ts';

const deps = operatorDeps();

/**
 * Operators invoke this from the Lambda console with a test event such as
 * {"command":"run-drop","bucket":"…","key":"drops/reads/2026-10.csv"}. A malformed command gets an
 * answer that says what is wrong, not a stack trace.
 */
export const handler = middy(async (event: unknown) => {
  const response = await runOperatorCommand(event, deps);
  if (!response.ok) logger.warn('operator command rejected', { error: response.error });
  return response;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
