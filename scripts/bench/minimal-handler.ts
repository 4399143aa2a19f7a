import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/*
 * The yardstick of `npm run bench -- lambda`: the smallest handler that is still a Powertools + AWS SDK
 * function (a logger, one client, one call), bundled exactly as the product's functions are. A cold
 * import near this one's is a cold start dominated by Node and the SDK, not by the product's code.
 */

const logger = new Logger({ serviceName: 'minimal' });
const client = new DynamoDBClient({});

export const handler = async (event: { id: string }) => {
  logger.info('reading one item', { id: event.id });
  return client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.id } } }));
};
