import {
  isClockSkewError,
  isRetryableByTrait,
  isServerError,
  isThrottlingError,
  isTransientError,
} from '@smithy/service-error-classification';
import { AmbiguousSendError, TransientError } from '#services/ports/errors.ts';

/**
 * Whether an AWS call failed in a way worth another try, by the SDK's own classification: throttling,
 * a transient or server-side failure, a network error, or an error the service models as retryable.
 * Anything else (a rejected address, a malformed request, a failed condition) fails the same way again.
 *
 * The SDK also flags any error `clockSkewCorrected` when this machine's clock is 4 minutes or more off the
 * service's and it moved its offset, which it does at every response, so with a skewed clock every
 * error carries the flag. Only an error of the signature's time (RequestTimeTooSkewed, InvalidSignature…)
 * is cured by the correction: a failed condition is the service's answer, whatever the clock says.
 */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Parameters<typeof isThrottlingError>[0];
  return (
    isRetryableByTrait(e) ||
    isThrottlingError(e) ||
    isTransientError(withoutSkewFlag(e)) ||
    isServerError(e) ||
    isClockSkewError(e)
  );
}

/** The error as it would be without the SDK's clock-skew flag (its name, code and cause unchanged). */
function withoutSkewFlag<E extends { $metadata?: { clockSkewCorrected?: boolean } }>(error: E): E {
  if (error.$metadata?.clockSkewCorrected !== true) return error;
  return Object.assign(Object.create(error) as E, {
    $metadata: { ...error.$metadata, clockSkewCorrected: false },
  });
}

type Middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;
type AddMiddleware = (middleware: Middleware, options: { step: 'initialize'; name: string }) => void;

/** Any SDK v3 client (their stacks' typed overloads differ by service). */
interface HasMiddlewareStack {
  middlewareStack: { add(...args: never[]): void };
}

/**
 * Makes a client throw the ports' TransientError for transient failures, once its own retries are spent
 * (the outermost step sees the final outcome), so the services decide on a type, never on a name.
 */
export const withTypedTransientErrors = <C extends HasMiddlewareStack>(client: C): C =>
  withErrorsMapped(client, 'keybillTypedTransientErrors', (error) =>
    isTransientAwsError(error) ? new TransientError(error) : error,
  );

/** Puts `map` on whatever a client's call finally throws (the outermost step: after the SDK's retries). */
function withErrorsMapped<C extends HasMiddlewareStack>(
  client: C,
  name: string,
  map: (error: unknown) => unknown,
): C {
  (client.middlewareStack.add as AddMiddleware).call(
    client.middlewareStack,
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw map(error);
      }
    },
    { step: 'initialize', name },
  );
  return client;
}

/** Network failures that happen before a request leaves this machine: the provider never saw it. */
const NOT_SENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** Network failures that may happen after the request was written: the provider may have accepted it. */
const AFTER_SEND_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
/** Timeouts and aborts of a request in flight (the SDK's request timeout names its error TimeoutError). */
const IN_FLIGHT_ERROR_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);
/** 5xx answers whose body says the request was turned away before it was processed. */
const REFUSED_SERVER_ERROR_NAMES = new Set(['ServiceUnavailable', 'ServiceUnavailableException']);

/**
 * What a failed provider send (SES SendEmail, SNS Publish) tells about the message:
 * - `refused-transient`: a clear non-acceptance worth another try later (throttling, a 4xx the service
 *   models as retryable, a refusal before the request left this machine, a 503 that says it is unavailable);
 * - `ambiguous`: the provider may have accepted it (a reset or a timeout after the request was sent, a 5xx
 *   that does not say it refused the request, a 2xx whose answer could not be read);
 * - `refused`: a permanent refusal (a rejected address, a malformed request, a programming error).
 */
export type SendFailure = 'refused-transient' | 'ambiguous' | 'refused';

export function classifySendFailure(error: unknown): SendFailure {
  if (typeof error !== 'object' || error === null) return 'refused';
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { statusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  if (status === undefined) {
    // No answer at all: it depends on whether the request had left.
    if (NOT_SENT_NETWORK_CODES.has(e.code ?? '')) return 'refused-transient';
    // The SDK's connection timeout: the socket never connected, so nothing was sent.
    if (/did not establish a connection|without establishing a connection/i.test(e.message ?? ''))
      return 'refused-transient';
    if (AFTER_SEND_NETWORK_CODES.has(e.code ?? '') || IN_FLIGHT_ERROR_NAMES.has(e.name ?? ''))
      return 'ambiguous';
    if (/socket hang up|other side closed|premature close/i.test(e.message ?? '')) return 'ambiguous';
    return 'refused';
  }
  if (status < 300) return 'ambiguous';
  if (status >= 500) {
    const refused = isThrottlingError(e as never) || REFUSED_SERVER_ERROR_NAMES.has(e.name ?? '');
    return refused ? 'refused-transient' : 'ambiguous';
  }
  return isTransientAwsError(error) ? 'refused-transient' : 'refused';
}

/**
 * Makes a sending client (one attempt: clients.ts) throw AmbiguousSendError when the provider may have
 * accepted the message and TransientError for a clear refusal worth another try; a permanent refusal
 * passes through unchanged. The sender decides on these types (shared/services/deliver-notice.ts).
 */
export function withSendOutcomeErrors<C extends HasMiddlewareStack>(client: C): C {
  return withErrorsMapped(client, 'keybillSendOutcomeErrors', (error) => {
    const failure = classifySendFailure(error);
    if (failure === 'ambiguous') return new AmbiguousSendError(error);
    if (failure === 'refused-transient') return new TransientError(error);
    return error;
  });
}
