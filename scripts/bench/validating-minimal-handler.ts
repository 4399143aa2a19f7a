import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { z } from 'zod';

/*
 * traced-minimal-handler.ts that also validates its event with one zod schema, as every keybill function
 * validates what it is given: the floor once zod is loaded, before any of the product's own schemas.
 */

const Event = z.object({ id: z.string().min(1).max(64) });

const logger = new Logger({ serviceName: 'minimal' });
const metrics = new Metrics({ namespace: 'minimal' });
const tracer = new Tracer();
const client = tracer.captureAWSv3Client(new DynamoDBClient({}));

export const handler = middy(async (event: unknown) => {
  const { id } = Event.parse(event);
  logger.info('reading one item', { id });
  return client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: id } } }));
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
