import { connect } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmsRecorder } from '../../local/sms-recorder.ts';
import { applyEnv, LOCAL_SECRETS, type LocalStack, startLocalStack } from '../../local/stack.ts';

/** True when nothing accepts a TCP connection on the port any more. */
const portRefuses = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

const portOf = (url: string | undefined): number => Number(new URL(url ?? 'http://invalid').port);

describe('local stack', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack();
    // Only the environment points the SDK at the emulators: every client below is built with `{}`.
    applyEnv(stack.env);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('exposes the endpoints of every service through AWS_ENDPOINT_URL_* variables', () => {
    expect(Object.keys(stack.env).sort()).toEqual(
      [
        'AWS_ACCESS_KEY_ID',
        'AWS_ENDPOINT_URL_DYNAMODB',
        'AWS_ENDPOINT_URL_DYNAMODB_STREAMS',
        'AWS_ENDPOINT_URL_S3',
        'AWS_ENDPOINT_URL_SCHEDULER',
        'AWS_ENDPOINT_URL_SECRETS_MANAGER',
        'AWS_ENDPOINT_URL_SES',
        'AWS_ENDPOINT_URL_SESV2',
        'AWS_ENDPOINT_URL_SNS',
        'AWS_ENDPOINT_URL_SQS',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        ...Object.keys(LOCAL_SECRETS),
      ].sort(),
    );
    for (const url of Object.values(stack.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('DynamoDB Local serves a table with a GSI and a NEW_AND_OLD_IMAGES stream', async () => {
    const dynamodb = new DynamoDBClient({});
    const TableName = 'local-stack-test';
    await dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const key = { pk: { S: 'ACCOUNT#K001' }, sk: { S: 'BILL#2026-10#v1' } };
    await dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: { ...key, gsi1pk: { S: 'PERIOD#2026-10' }, amount: { S: '1234.50' } },
      }),
    );
    await dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key: key,
        UpdateExpression: 'SET amount = :a',
        ExpressionAttributeValues: { ':a': { S: '1300.00' } },
      }),
    );

    const got = await dynamodb.send(new GetItemCommand({ TableName, Key: key, ConsistentRead: true }));
    expect(got.Item?.amount).toEqual({ S: '1300.00' });
    const byPeriod = await dynamodb.send(
      new QueryCommand({
        TableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'PERIOD#2026-10' } },
      }),
    );
    expect(byPeriod.Items?.map((i) => i.sk?.S)).toEqual(['BILL#2026-10#v1']);

    const table = await dynamodb.send(new DescribeTableCommand({ TableName }));
    const streams = new DynamoDBStreamsClient({});
    const stream = await streams.send(new DescribeStreamCommand({ StreamArn: table.Table?.LatestStreamArn }));
    const shardId = stream.StreamDescription?.Shards?.[0]?.ShardId;
    const iterator = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: table.Table?.LatestStreamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const records = await streams.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
    expect(records.Records?.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    const modify = records.Records?.[1]?.dynamodb;
    expect(modify?.OldImage?.amount).toEqual({ S: '1234.50' });
    expect(modify?.NewImage?.amount).toEqual({ S: '1300.00' });
  });

  it('fauxqs stores S3 objects with user metadata and streams them back (path-style from the IP endpoint)', async () => {
    const s3 = new S3Client({});
    await s3.send(new CreateBucketCommand({ Bucket: 'keybill-drops' }));
    const csv = 'account_id,period,kwh\nK001,2026-10,1234.5\n';
    await s3.send(
      new PutObjectCommand({
        Bucket: 'keybill-drops',
        Key: 'drops/reads/2026-10/part-1.csv',
        Body: csv,
        ContentType: 'text/csv',
        Metadata: { 'source-system': 'metering', 'content-sha256': 'abc123' },
      }),
    );

    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'keybill-drops', Key: 'drops/reads/2026-10/part-1.csv' }),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of got.Body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString('utf8')).toBe(csv);
    expect(got.Metadata).toEqual({ 'source-system': 'metering', 'content-sha256': 'abc123' });
  });

  it('fauxqs redelivers an SQS message that was received but not deleted once its visibility times out', async () => {
    const sqs = new SQSClient({});
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'notices-test', Attributes: { VisibilityTimeout: '1' } }),
    );
    // A queue URL on the endpoint itself: the SQS client routes by it, and handlers may parse it.
    expect(QueueUrl).toBe(`${stack.endpoints.sqs}/000000000000/notices-test`);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"noticeId":"N1"}' }));

    const first = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(first.Messages?.map((m) => m.Body)).toEqual(['{"noticeId":"N1"}']);

    let again = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds: 5,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    // Long polling may return before the timeout lapses; one more poll covers it.
    if ((again.Messages ?? []).length === 0) {
      again = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          WaitTimeSeconds: 5,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
    }
    const redelivered = again.Messages?.[0];
    expect(redelivered?.Body).toBe('{"noticeId":"N1"}');
    expect(redelivered?.Attributes?.ApproximateReceiveCount).toBe('2');
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: redelivered?.ReceiptHandle }));
  });

  it('the SES emulator keeps a SES v2 email with its HTML and text bodies', async () => {
    const ses = new SESv2Client({});
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'billing@keybill.example',
        Destination: { ToAddresses: ['finance@customer.example'], CcAddresses: ['ops@customer.example'] },
        Content: {
          Simple: {
            Subject: { Data: '2026年10月电费账单预览', Charset: 'UTF-8' },
            Body: {
              Html: { Data: '<p>应缴电费 <b>¥1,300.00</b></p>', Charset: 'UTF-8' },
              Text: { Data: '应缴电费 ¥1,300.00', Charset: 'UTF-8' },
            },
          },
        },
      }),
    );

    const stored = (await stack.ses?.listEmails())?.find((e) => e.messageId === sent.MessageId);
    expect(stored).toMatchObject({
      from: 'billing@keybill.example',
      destination: { to: ['finance@customer.example'], cc: ['ops@customer.example'] },
      subject: '2026年10月电费账单预览',
      body: { html: '<p>应缴电费 <b>¥1,300.00</b></p>', text: '应缴电费 ¥1,300.00' },
    });
    const inbox = await fetch(stack.sesInboxUrl ?? '');
    expect(inbox.headers.get('content-type')).toMatch(/text\/html/);
    await inbox.body?.cancel();
  });

  it('the SES emulator answers GetAccount with a sending-enabled account', async () => {
    const account = await new SESv2Client({}).send(new GetAccountCommand({}));
    expect(account.SendingEnabled).toBe(true);
    expect(account.SendQuota?.MaxSendRate).toBe(14);
  });

  it('the SMS recorder keeps an SNS Publish to a phone number with its message attributes', async () => {
    const sms = stack.sms!;
    sms.clear();
    const out = await new SNSClient({}).send(
      new PublishCommand({
        PhoneNumber: '+8613800138000',
        Message: '【国网】尊敬的客户，您10月电费1300.00元。',
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'KEYBILL' },
        },
      }),
    );

    expect(sms.messages()).toEqual([
      {
        messageId: out.MessageId,
        phoneNumber: '+8613800138000',
        message: '【国网】尊敬的客户，您10月电费1300.00元。',
        attributes: {
          'AWS.SNS.SMS.SMSType': { dataType: 'String', stringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { dataType: 'String', stringValue: 'KEYBILL' },
        },
        at: expect.any(String),
      },
    ]);
  });

  it('an injected throttle is retried by the SDK, which then succeeds', async () => {
    const sms = stack.sms!;
    sms.clear();
    sms.failNext(1, 'throttle');
    const out = await new SNSClient({ maxAttempts: 3 }).send(
      new PublishCommand({ PhoneNumber: '+8613800138001', Message: 'retry me' }),
    );
    expect(out.$metadata.attempts).toBe(2);
    expect(sms.messages().map((m) => m.message)).toEqual(['retry me']);
    expect(sms.rejected().map((r) => r.code)).toEqual(['Throttled']);
  });

  it('a throttle the SDK may not retry surfaces as ThrottledException with HTTP 429', async () => {
    const sms = stack.sms!;
    sms.clear();
    sms.failNext(1, 'throttle');
    const error = await new SNSClient({ maxAttempts: 1 })
      .send(new PublishCommand({ PhoneNumber: '+8613800138002', Message: 'x' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ThrottledException', $metadata: { httpStatusCode: 429 } });
    expect(sms.messages()).toEqual([]);
  });

  it.each([
    ['an injected invalid fault', { PhoneNumber: '+8613800138003', Message: 'x' }, true],
    [
      'a Publish without a phone number',
      { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Message: 'x' },
      false,
    ],
    ['a number not in E.164 form', { PhoneNumber: '13800138000', Message: 'x' }, false],
  ])('%s is refused with InvalidParameterException and not retried', async (_, input, inject) => {
    const sms = stack.sms!;
    sms.clear();
    if (inject) sms.failNext(1, 'invalid');
    const error = await new SNSClient({ maxAttempts: 3 })
      .send(new PublishCommand(input))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InvalidParameterException', $metadata: { attempts: 1 } });
    expect(sms.messages()).toEqual([]);
  });

  it('the SMS recorder answers CheckIfPhoneNumberIsOptedOut', async () => {
    stack.sms!.setOptedOut('+8613800138009', true);
    const sns = new SNSClient({});
    const optedOut = await sns.send(
      new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+8613800138009' }),
    );
    const notOptedOut = await sns.send(
      new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+8613800138000' }),
    );
    expect([optedOut.isOptedOut, notOptedOut.isOptedOut]).toEqual([true, false]);
  });

  it('stop() ends every service, Java included, and may be called again', async () => {
    const ports = Object.values(stack.endpoints).map(portOf);
    await stack.stop();
    await stack.stop();
    expect(await Promise.all(ports.map(portRefuses))).toEqual(ports.map(() => true));
  });
});

describe('SMS recorder throttle rate', () => {
  const publishMany = async (seed: number): Promise<boolean[]> => {
    const recorder = await startSmsRecorder();
    try {
      recorder.setThrottleRate(0.5, seed);
      const sns = new SNSClient({
        endpoint: recorder.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 20; i++) {
        const ok = await sns
          .send(new PublishCommand({ PhoneNumber: '+8613800138000', Message: `m${i}` }))
          .then(() => true)
          .catch(() => false);
        outcomes.push(ok);
      }
      expect(recorder.messages()).toHaveLength(outcomes.filter(Boolean).length);
      return outcomes;
    } finally {
      await recorder.stop();
    }
  };

  it('throttles some calls and passes others, the same way for the same seed', async () => {
    const first = await publishMany(42);
    const second = await publishMany(42);
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(second).toEqual(first);
  });
});
