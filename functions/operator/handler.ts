import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { runOperatorCommand } from '#services/operator-commands.ts';
import { operatorDeps } from '#wiring/index.ts';

const deps = operatorDeps();

/**
 * Operators invoke this from the Lambda console with a test event such as
 * {"command":"run-drop","bucket":"…","key":"drops/reads/2026-10.csv"}. Every event gets an answer: a
 * malformed or refused command says what is wrong, and a command that fails says which one failed; the
 * failure's stack goes to the log, never into the answer.
 */
export const handler = middy(async (event: unknown) => {
  const response = await runOperatorCommand(event, deps, {
    onUnexpectedError: (command, error) => logger.error('operator command failed', { command, error }),
  });
  if (!response.ok && response.kind !== 'failed') {
    logger.warn(`operator command ${response.kind}`, { command: response.command, error: response.error });
  }
  return response;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics));
