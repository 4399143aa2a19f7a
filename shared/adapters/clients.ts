import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * Clients are created once per process (Lambda execution environment), lazily so that a process that
 * never talks to a service never configures it. Endpoints come from the standard AWS_ENDPOINT_URL_*
 * variables, so the same code talks to AWS or to local emulators.
 */

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

export const documentClient = once(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 8 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

export const s3Client = once(
  () =>
    // Path-style addressing is a configuration knob for S3-compatible endpoints, not a local switch.
    new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' }),
);

// AWS_MAX_ATTEMPTS overrides the provider retries (a constructor value would otherwise win over it).
const providerAttempts = () => Number(process.env.AWS_MAX_ATTEMPTS ?? 5);
export const sesClient = once(() => new SESv2Client({ maxAttempts: providerAttempts() }));
export const snsClient = once(() => new SNSClient({ maxAttempts: providerAttempts() }));
export const sqsClient = once(() => new SQSClient({}));

export const requiredEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
};
