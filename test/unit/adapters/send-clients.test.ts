import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifySendFailure, withSendOutcomeErrors } from '#adapters/aws-errors.ts';
import { sendingClientOptions } from '#adapters/clients.ts';
import { AmbiguousSendError, type SendHooks, TransientError } from '#services/ports/index.ts';

/*
 * The clients that send make one attempt, and say whether a failed send may have reached the customer:
 * the real SES and SNS clients of shared/adapters/clients.ts against a local server that answers each
 * request as the test says (accepts and resets the connection, throttles, fails on its side).
 */

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    ...extra,
  });

describe('what a failed send tells about the message', () => {
  it.each([
    ['SES throttling (429)', sdkError('TooManyRequestsException', 429)],
    ['SES sending quota, modelled as throttling (400)', sdkError('TooManyRequestsException', 400)],
    ['SNS throttling', sdkError('Throttled', 429)],
    ['a modelled retryable 4xx', sdkError('SomethingException', 400, { $retryable: {} })],
    ['a 503 that says the service is unavailable', sdkError('ServiceUnavailable', 503)],
    [
      'a refused connection (nothing left this machine)',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['an unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })],
    [
      'a connection never established',
      sdkError('TimeoutError', undefined, {
        message: 'Socket timed out without establishing a connection within 1000 ms',
      }),
    ],
    [
      'the SDK’s connection timeout (the socket never connected)',
      sdkError('TimeoutError', undefined, {
        message:
          '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 1000 ms.',
      }),
    ],
  ])('%s is a clear refusal, worth another try', (_what, error) => {
    expect(classifySendFailure(error)).toBe('refused-transient');
  });

  it.each([
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a broken pipe', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })],
    ['a request timeout', sdkError('TimeoutError')],
    ['an aborted request', sdkError('AbortError')],
    ['a 500 internal failure', sdkError('InternalFailure', 500)],
    ['a 502 without a modelled body', sdkError('Unknown', 502)],
    ['a 504 from a gateway', sdkError('GatewayTimeout', 504)],
    [
      'a 2xx whose answer could not be read',
      sdkError('SyntaxError', undefined, { $response: { statusCode: 200 } }),
    ],
  ])('%s is ambiguous: the message may have been accepted', (_what, error) => {
    expect(classifySendFailure(error)).toBe('ambiguous');
  });

  it.each([
    ['a rejected message', sdkError('MessageRejected', 400)],
    ['an invalid phone number', sdkError('InvalidParameterException', 400)],
    ['access denied', sdkError('AccessDeniedException', 403)],
    ['a programming error', new TypeError('x is undefined')],
    ['a thrown string', 'boom'],
    ['nothing', undefined],
  ])('%s is a permanent refusal', (_what, error) => {
    expect(classifySendFailure(error)).toBe('refused');
  });
});

type Answer = 'accept-and-reset' | 'throttle' | 'internal-failure' | 'accept' | 'never';

describe('the sending clients against a provider that loses its answers', () => {
  let server: Server;
  const requests: string[] = [];
  let answer: Answer = 'accept';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const sns = (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
        const action = sns ? new URLSearchParams(Buffer.concat(chunks).toString()).get('Action') : req.url;
        requests.push(action ?? '');
        if (answer === 'never') return; // holds the request: no answer, no reset
        if (answer === 'accept-and-reset') {
          // The provider has the whole request (it may have accepted it); its answer never arrives.
          req.socket.destroy();
          return;
        }
        if (answer === 'throttle') {
          res.writeHead(
            429,
            sns
              ? { 'content-type': 'text/xml' }
              : {
                  'content-type': 'application/json',
                  'x-amzn-errortype': 'TooManyRequestsException',
                },
          );
          res.end(
            sns
              ? '<ErrorResponse><Error><Type>Sender</Type><Code>Throttled</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>'
              : JSON.stringify({ message: 'Maximum sending rate exceeded.' }),
          );
          return;
        }
        if (answer === 'internal-failure') {
          res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' });
          res.end(JSON.stringify({ message: 'An internal error occurred.' }));
          return;
        }
        if (sns) {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(
            '<PublishResponse><PublishResult><MessageId>sns-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>',
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ MessageId: 'ses-1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Read once, when the clients are first made (below, after these are set).
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SESV2: url,
      AWS_ENDPOINT_URL_SNS: url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      // Even an operator's AWS_MAX_ATTEMPTS does not bring the send retries back.
      AWS_MAX_ATTEMPTS: '5',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  const providers = async () => (await import('#adapters/providers.ts')).awsMessageProviders;
  const email = {
    from: 'billing@example.com',
    to: 'someone@example.com',
    subject: 's',
    html: '<p>h</p>',
    text: 't',
    tags: { keybillNotice: 'abc' },
  };
  const sms = { phoneNumber: '+8613812345678', text: 't' };

  it.each([
    ['SES', () => providers().then((p) => p.sendEmail(email))],
    ['SNS', () => providers().then((p) => p.sendSms(sms))],
  ])('%s: a reset after the request was sent is ambiguous, after exactly one attempt', async (_p, send) => {
    answer = 'accept-and-reset';
    const error = await send().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousSendError);
    expect((error as Error).message).toMatch(/ECONNRESET|socket hang up/i);
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['SES', () => providers().then((p) => p.sendEmail(email))],
    ['SNS', () => providers().then((p) => p.sendSms(sms))],
  ])('%s: throttling is a TransientError for the queue, after exactly one attempt', async (_p, send) => {
    answer = 'throttle';
    const error = await send().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).not.toBeInstanceOf(AmbiguousSendError);
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['SES', (hooks: SendHooks) => providers().then((p) => p.sendEmail(email, hooks))],
    ['SNS', (hooks: SendHooks) => providers().then((p) => p.sendSms(sms, hooks))],
  ])('%s: runs beforeTransmit once the request is signed, before it leaves', async (_p, send) => {
    answer = 'accept';
    const seen: string[] = [];
    await send({
      beforeTransmit: async () => {
        seen.push(`hook with ${requests.length} requests at the provider`);
      },
    });
    expect(seen).toEqual(['hook with 0 requests at the provider']);
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['SES', (hooks: SendHooks) => providers().then((p) => p.sendEmail(email, hooks))],
    ['SNS', (hooks: SendHooks) => providers().then((p) => p.sendSms(sms, hooks))],
  ])('%s: a beforeTransmit that throws keeps the request here, its error thrown as is', async (_p, send) => {
    answer = 'accept';
    class ClaimGone extends Error {}
    const error = await send({
      beforeTransmit: async () => {
        throw new ClaimGone('claim lost');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClaimGone);
    expect(requests).toHaveLength(0);
  });

  it('SES: an internal failure (5xx that does not say it refused) is ambiguous, after one attempt', async () => {
    answer = 'internal-failure';
    const error = await (await providers()).sendEmail(email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousSendError);
    expect(requests).toHaveLength(1);
  });

  it('SES: a provider that never answers is given up after the send timeout, as ambiguous', async () => {
    answer = 'never';
    const client = withSendOutcomeErrors(
      new SESv2Client({
        ...sendingClientOptions(300),
        region: 'us-east-1',
        endpoint: process.env.AWS_ENDPOINT_URL_SESV2!,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    );
    const error = await client
      .send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousSendError);
    expect((error as Error).message).toMatch(/^TimeoutError: .*requestTimeout/);
    expect(requests).toHaveLength(1);
    client.destroy();
  });

  it('sends and returns the message id when the provider answers', async () => {
    answer = 'accept';
    const p = await providers();
    expect(await p.sendEmail(email)).toEqual({ messageId: 'ses-1' });
    expect(await p.sendSms(sms)).toEqual({ messageId: 'sns-1' });
  });

  it('keeps the SDK’s retries for the opt-out check, a read that sends nothing', async () => {
    answer = 'internal-failure';
    const error = await (await providers()).isPhoneOptedOut(sms.phoneNumber).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(requests.length).toBeGreaterThan(1);
  });
});
