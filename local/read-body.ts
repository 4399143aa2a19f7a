import type { IncomingMessage } from 'node:http';

/**
 * A local endpoint's request body as text, refused with `tooLarge()` (and the connection dropped) once it
 * passes `maxBytes`: a stand-in for an AWS API must not buffer whatever a hostile client sends.
 */
export function readBoundedBody(
  req: IncomingMessage,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(tooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
