import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger, metrics, tracer } from '#adapters/observability.ts';
import { answerHttp } from '#services/answers/http.ts';
import { answerDeps } from '#wiring/index.ts';

const deps = answerDeps();

/**
 * The customers' one-click answers (API Gateway HTTP API): GET shows the page, POST records. The path
 * carries a token or a code, never anything personal; the log names the account, notice and action only.
 */
export const handler = middy(
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const { recorded, ...result } = await answerHttp(event, deps);
    metrics.addMetric('AnswerPagesServed', MetricUnit.Count, 1);
    if (recorded !== undefined) {
      metrics.addMetric('AnswersRecorded', MetricUnit.Count, 1);
      logger.info('answer recorded', {
        accountId: recorded.accountId,
        noticeId: recorded.noticeId,
        action: recorded.action,
      });
    } else if (result.statusCode >= 400) {
      logger.warn('answer refused', {
        status: result.statusCode,
        method: event.requestContext?.http?.method,
      });
    }
    return result;
  },
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics));
