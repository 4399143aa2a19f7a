import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/* A fault-injecting HTTP proxy in front of a local provider emulator (the SES emulator, the SMS recorder). */

export interface CannedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Hold the answer this long, as a provider that is slow to fail. */
  delayMs?: number;
}

/**
 * What the proxy does with one request: answer it itself (an injected fault), or pass it to the provider
 * and lose the provider's answer (the provider accepted it; the connection is reset before the answer
 * reaches the client; `onAnswered` runs first — e.g. to kill the client's process, a crash between the
 * provider's acceptance and the client's record of it), or (undefined) pass it through unchanged.
 */
export type Intercept = CannedResponse | { loseAnswer: true; onAnswered?: () => void } | undefined;

export interface FaultProxy {
  url: string;
  stop(): Promise<void>;
}

/**
 * A local HTTP proxy: each request is either answered by `intercept` (an injected fault) or passed to
 * `target`. The local emulators do not check signatures, so the Host header may stay as signed.
 */
export async function startFaultProxy(
  target: string,
  intercept: (req: { method: string; path: string; body: string }) => Intercept,
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const canned = intercept({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: body.toString('utf8'),
      });
      if (canned !== undefined && !('loseAnswer' in canned)) {
        setTimeout(() => {
          res.writeHead(canned.status, {
            ...canned.headers,
            'content-length': Buffer.byteLength(canned.body),
          });
          res.end(canned.body);
        }, canned.delayMs ?? 0);
        return;
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers as IncomingHttpHeaders,
        },
        (answer) => {
          if (canned !== undefined) {
            // The provider has answered (it accepted the message): read its answer to the end, then
            // reset the client's connection instead of passing it on.
            answer.resume();
            answer.on('end', () => {
              canned.onAnswered?.();
              req.socket.destroy();
            });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
