import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';

/*
 * The minimal handler (minimal-handler.ts) framed as every keybill function is: traced by the Powertools
 * Tracer (its client too), its metrics flushed and its logger given the context by middy middlewares.
 * Its import ratio is the floor the guide's Tracer, Metrics and middy set before any of the product's code.
 */

const logger = new Logger({ serviceName: 'minimal' });
const metrics = new Metrics({ namespace: 'minimal' });
const tracer = new Tracer();
const client = tracer.captureAWSv3Client(new DynamoDBClient({}));

export const handler = middy(async (event: { id: string }) => {
  logger.info('reading one item', { id: event.id });
  return client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.id } } }));
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
