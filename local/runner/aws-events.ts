import { randomUUID } from 'node:crypto';
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { arnIn } from './aws-partition.ts';

/*
 * Events shaped exactly as AWS delivers them to Lambda, so the handlers run unchanged. These shapes are
 * what EventBridge, the DynamoDB stream mapping and the SQS event source would send.
 */

const REGION = () => process.env.AWS_REGION ?? 'cn-north-1';
const ACCOUNT = '000000000000';

export function s3ObjectCreatedEvent(input: { bucket: string; key: string; size: number; etag: string }) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION(),
    resources: [arnIn({ region: REGION(), account: ACCOUNT }, 's3', input.bucket)],
    detail: {
      version: '0',
      bucket: { name: input.bucket },
      object: {
        key: input.key,
        size: input.size,
        etag: input.etag,
        sequencer: Date.now().toString(16).toUpperCase(),
      },
      'request-id': randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase(),
      requester: ACCOUNT,
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  };
}

export function dynamoDbStreamEvent(
  records: readonly StreamRecord[],
  streamArn: string,
): DynamoDBStreamEvent {
  return {
    Records: records.map(
      (r) =>
        ({
          eventID: r.eventID,
          eventName: r.eventName,
          eventVersion: r.eventVersion ?? '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: REGION(),
          dynamodb: {
            ...r.dynamodb,
            ApproximateCreationDateTime:
              r.dynamodb?.ApproximateCreationDateTime instanceof Date
                ? Math.floor(r.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
                : r.dynamodb?.ApproximateCreationDateTime,
          },
          eventSourceARN: streamArn,
        }) as DynamoDBRecord,
    ),
  };
}

export function sqsEvent(messages: readonly Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId ?? randomUUID(),
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: m.Attributes?.SenderId ?? ACCOUNT,
        ApproximateFirstReceiveTimestamp:
          m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: REGION(),
    })),
  };
}

export function lambdaContext(functionName: string, timeoutMs = 900_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: arnIn({ region: REGION(), account: ACCOUNT }, 'lambda', `function:${functionName}`),
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
