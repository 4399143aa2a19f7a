import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/*
 * Every AWS call a function makes while the runner invokes it: service, action and the resources AWS
 * authorises it against. Recorded where the request leaves the process (Node's `http.client.request.created`
 * diagnostics channel), so it sees the bundles' own SDK copies exactly as they send, and attributed to the
 * function whose invocation it happens in (an AsyncLocalStorage the runner sets around each invocation).
 * The service is the SigV4 signing name of the request, never guessed from the endpoint.
 */

export interface AwsCall {
  /** The function's physical name (`keybill-send-notice`). */
  functionName: string;
  /** IAM action, `dynamodb:Query`. */
  action: string;
  /** The ARNs AWS evaluates the action against, as the local stack names them (see `resourcesOf`). */
  resources: string[];
  /** The request body's size (capacity units and request pricing: `npm run cost`). */
  requestBytes: number;
  /** The response's Content-Length, when it has one (read capacity units). */
  responseBytes: number;
}

const invocations = new AsyncLocalStorage<string>();

/** Runs `work` as `functionName`: the AWS calls made inside it are that function's. */
export function asFunction<T>(functionName: string, work: () => T): T {
  return invocations.run(functionName, work);
}

/** One handler invocation and how long it took (the cost of a cycle: `npm run cost`). */
export interface Invocation {
  functionName: string;
  durationMs: number;
}

const invocationLog: Invocation[] = [];

/** Every invocation so far (the log is the process's; a test reads the part it made). */
export const invocationsSoFar = (): readonly Invocation[] => invocationLog;

/** Runs one invocation of a handler as `functionName`, timed. */
export async function invokeAs<T>(functionName: string, handler: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await asFunction(functionName, handler);
  } finally {
    invocationLog.push({ functionName, durationMs: performance.now() - started });
  }
}

/** Requests bodies larger than this are not kept (S3 object bodies); the calls are still recorded. */
const BODY_LIMIT = 256 * 1024;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  bodyBytes: number;
}

type Parse = (
  request: RecordedRequest,
  scope: { region: string; account: string },
) => Omit<AwsCall, 'functionName' | 'requestBytes' | 'responseBytes'>[];

/** Records the AWS calls made during invocations until `stop()`. */
export function recordAwsCalls(parse: Parse, scope = { region: 'cn-north-1', account: '000000000000' }) {
  const calls: AwsCall[] = [];
  const onCreated = (message: unknown) => {
    const functionName = invocations.getStore();
    if (functionName === undefined) return;
    const request = (message as { request: ClientRequest }).request;
    const chunks: Buffer[] = [];
    let bodyBytes = 0;
    const keep = (chunk: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      bodyBytes += buffer.length;
      if (bodyBytes <= BODY_LIMIT) chunks.push(buffer);
    };
    const write = request.write.bind(request);
    const end = request.end.bind(request);
    request.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof request.write;
    request.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk);
      const recorded: RecordedRequest = {
        method: request.method,
        path: request.path,
        headers: Object.fromEntries(
          Object.entries(request.getHeaders()).map(([k, v]) => [k.toLowerCase(), String(v)]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
        bodyBytes,
      };
      const made = parse(recorded, scope).map((call) => ({
        ...call,
        functionName,
        requestBytes: bodyBytes,
        responseBytes: 0,
      }));
      calls.push(...made);
      // The header only: reading the body here would take it from the SDK.
      request.once('response', (response) => {
        const length = Number(response.headers['content-length'] ?? 0);
        for (const call of made) call.responseBytes = length;
      });
      return (end as (...a: unknown[]) => ClientRequest)(chunk, ...rest);
    }) as typeof request.end;
  };
  diagnostics.subscribe('http.client.request.created', onCreated);
  return {
    calls,
    stop: () => diagnostics.unsubscribe('http.client.request.created', onCreated),
  };
}
