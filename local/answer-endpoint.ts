/**
 * The public answer endpoint on the local stack: an HTTP server on a free port of 127.0.0.1 that hands
 * each request to the answers function's handler as API Gateway's HTTP API would (payload format 2.0:
 * rawPath, method, headers, body base64-encoded when it is form data), and writes back its result. The
 * handler (from the sources, or the synthesized bundle) is loaded on the first request, after the
 * environment is set, as Lambda loads it; each request is one invocation of keybill-answers.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { invokeWithin } from './runner/lambda-invocation.ts';

export type AnswerHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface AnswerEndpoint {
  /** The base URL links point at (ANSWER_BASE_URL). */
  readonly url: string;
  /** Requests served so far. */
  requests(): number;
  stop(): Promise<void>;
}

/** The function behind the endpoint: its AWS calls are recorded as its own. */
const ANSWERS_FUNCTION = 'keybill-answers';

/** API Gateway's HTTP API refuses payloads over 10 MB; the stand-in stops reading at 1 MiB. */
const MAX_READ_BYTES = 1024 * 1024;

export async function startAnswerEndpoint(
  load: () => Promise<AnswerHandler>,
  /** The function's timeout: an invocation past it fails as the API's 500. */
  timeoutSeconds: number,
): Promise<AnswerEndpoint> {
  let handler: Promise<AnswerHandler> | undefined;
  let served = 0;
  const server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        handler ??= load();
        const answer = await handler;
        const result = await invokeWithin(ANSWERS_FUNCTION, timeoutSeconds, (context) =>
          answer(httpApiEvent(req, body), context),
        );
        served++;
        res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
        res.end(result.body ?? '');
      })
      .catch((error: unknown) => {
        // What API Gateway answers when the function fails.
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Internal Server Error', detail: String(error).slice(0, 200) }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => served,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function httpApiEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  const method = req.method ?? 'GET';
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `ANY ${url.pathname.startsWith('/s/') ? '/s/{code}' : '/a/{token}'}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    // HTTP APIs base64-encode bodies that are not text/JSON (form posts among them).
    ...(body.length === 0 ? {} : { body: body.toString('base64') }),
    isBase64Encoded: body.length > 0,
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_READ_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
