import {
  isRetryableByTrait,
  isServerError,
  isThrottlingError,
  isTransientError,
} from '@smithy/service-error-classification';
import { TransientError } from '#services/ports/errors.ts';

/**
 * Whether an AWS call failed in a way worth another try, by the SDK's own classification: throttling,
 * a transient or server-side failure, a network error, or an error the service models as retryable.
 * Anything else (a rejected address, a malformed request, a failed condition) fails the same way again.
 */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Parameters<typeof isThrottlingError>[0];
  return isRetryableByTrait(e) || isThrottlingError(e) || isTransientError(e) || isServerError(e);
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
export function withTypedTransientErrors<C extends HasMiddlewareStack>(client: C): C {
  (client.middlewareStack.add as AddMiddleware).call(
    client.middlewareStack,
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw isTransientAwsError(error) ? new TransientError(error) : error;
      }
    },
    { step: 'initialize', name: 'keybillTypedTransientErrors' },
  );
  return client;
}
