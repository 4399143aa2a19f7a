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

/**
 * A send whose outcome is unknown: the request may have reached the provider and been accepted, but its
 * answer was lost (a connection reset or a timeout after the request was sent, a 5xx that does not say the
 * request was refused, an acceptance whose message id could not be read). Sending again may deliver the
 * message twice, so the sender decides by the notice's kind (shared/domain/notices.ts
 * `resendWhenUncertain`), never by retrying blindly. The message keeps the original error's name and
 * message.
 */
export class AmbiguousSendError extends Error {
  override readonly name = 'AmbiguousSendError';
  constructor(cause: unknown) {
    const original = cause as { name?: string; message?: string };
    super(`${original.name ?? 'Error'}: ${original.message ?? String(cause)}`, { cause });
  }
}
