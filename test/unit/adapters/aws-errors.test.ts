import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isTransientAwsError, withTypedTransientErrors } from '#adapters/aws-errors.ts';
import { TransientError } from '#services/ports/index.ts';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    ...extra,
  });

describe('AWS errors worth another try (the SDK’s own classification)', () => {
  it.each([
    ['SES throttling', sdkError('TooManyRequestsException', 400)],
    ['SNS throttling', sdkError('ThrottledException', 429)],
    ['DynamoDB throughput', sdkError('ProvisionedThroughputExceededException', 400)],
    ['a modelled retryable error', sdkError('SomethingException', 400, { $retryable: {} })],
    ['a provider-side failure', sdkError('InternalFailure', 500)],
    ['service unavailable', sdkError('ServiceUnavailable', 503)],
    ['a request timeout', sdkError('TimeoutError')],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a signature refused for its time', sdkError('InvalidSignatureException', 400)],
    [
      'a signature refused for its time, the clock corrected since',
      sdkError('RequestTimeTooSkewed', 403, { $metadata: { httpStatusCode: 403, clockSkewCorrected: true } }),
    ],
    [
      'a throttle answered while the clock was corrected',
      sdkError('ThrottlingException', 400, { $metadata: { httpStatusCode: 400, clockSkewCorrected: true } }),
    ],
  ])('counts %s as transient', (_what, error) => {
    expect(isTransientAwsError(error)).toBe(true);
  });

  it.each([
    ['a rejected address', sdkError('MessageRejected', 400)],
    ['an invalid phone number', sdkError('InvalidParameterException', 400)],
    ['a failed condition', sdkError('ConditionalCheckFailedException', 400)],
    ['a cancelled transaction', sdkError('TransactionCanceledException', 400)],
    ['access denied', sdkError('AccessDeniedException', 403)],
    [
      'a failed condition answered to a machine whose clock is off (the SDK flags it clockSkewCorrected)',
      sdkError('ConditionalCheckFailedException', 400, {
        $metadata: { httpStatusCode: 400, clockSkewCorrected: true },
      }),
    ],
    [
      'a malformed request answered to a machine whose clock is off',
      sdkError('ValidationException', 400, { $metadata: { httpStatusCode: 400, clockSkewCorrected: true } }),
    ],
    ['a plain programming error', new TypeError('x is undefined')],
    ['a thrown string', 'boom'],
    ['nothing', undefined],
  ])('counts %s as permanent', (_what, error) => {
    expect(isTransientAwsError(error)).toBe(false);
  });
});

/** A DynamoDB client whose every request is answered with this HTTP status and JSON error. */
function clientAnswering(statusCode: number, type: string) {
  return withTypedTransientErrors(
    new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 2,
      requestHandler: {
        handle: async () => ({
          response: {
            statusCode,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type },
            body: Readable.from([Buffer.from(JSON.stringify({ __type: type, message: `${type} answered` }))]),
          },
        }),
      } as never,
    }),
  );
}

const get = new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } });

describe('a client with typed transient errors', () => {
  it('throws TransientError naming the original error once its retries are spent', async () => {
    const error = await clientAnswering(400, 'ProvisionedThroughputExceededException')
      .send(get)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(
      'ProvisionedThroughputExceededException: ProvisionedThroughputExceededException answered',
    );
    expect(((error as Error).cause as Error).name).toBe('ProvisionedThroughputExceededException');
  });

  it('passes a permanent error through unchanged, so stores still see a failed condition', async () => {
    const error = await clientAnswering(400, 'ConditionalCheckFailedException')
      .send(get)
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TransientError);
    expect((error as Error).name).toBe('ConditionalCheckFailedException');
  });
});
