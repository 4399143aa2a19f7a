import type { Context } from 'aws-lambda';
import { timeoutSecondsOf } from '../../infra/wiring-values.ts';
import { invokeAs } from './aws-call-recorder.ts';
import { lambdaContext } from './aws-events.ts';

/** A function's physical name is `<stack name>-<handler name>` (infra/constructs/keybill-function.ts). */
const handlerNameOf = (functionName: string) => functionName.replace(/^keybill-/, '');

/** The function's timeout as the stack sets it, for the runner without a template. */
export const stackTimeoutSeconds = (functionName: string): number =>
  timeoutSecondsOf(handlerNameOf(functionName));

/** What Lambda reports when an invocation outruns its function's timeout. */
export class LambdaTimeout extends Error {
  constructor(functionName: string, timeoutSeconds: number) {
    super(`${functionName}: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
    this.name = 'LambdaTimeout';
  }
}

/**
 * One invocation as Lambda runs it: the AWS calls made inside are the function's (recorded and timed), the
 * context counts down from the function's timeout, and an invocation still running at the timeout fails
 * with Lambda's own message, its result (when it comes) ignored. Lambda would stop the instance there; a
 * process cannot stop one promise, so the handler's work is left to settle on its own.
 */
export function invokeWithin<T>(
  functionName: string,
  timeoutSeconds: number,
  run: (context: Context) => Promise<T>,
): Promise<T> {
  return invokeAs(functionName, () => {
    const timeoutMs = timeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeout(functionName, timeoutSeconds)), timeoutMs);
    });
    const running = Promise.resolve().then(() => run(lambdaContext(functionName, timeoutMs)));
    // Its late failure, after a timeout, is not an unhandled rejection.
    running.catch(() => {});
    return Promise.race([running, timedOut]).finally(() => clearTimeout(timer));
  });
}
