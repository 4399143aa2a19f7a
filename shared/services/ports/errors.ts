/**
 * An outside service (the table, a queue, a message provider) failed in a way worth another try:
 * throttling, a failure on its side, a network error — after the SDK's own retries. Every adapter throws
 * this for such failures (shared/adapters/aws-errors.ts classifies them); anything else an adapter
 * throws fails the same way again. The message keeps the original error's name and message.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(cause: unknown) {
    const original = cause as { name?: string; message?: string };
    super(`${original.name ?? 'Error'}: ${original.message ?? String(cause)}`, { cause });
  }
}
