import { describe, expect, it } from 'vitest';
import { invokeWithin, stackTimeoutSeconds } from '../../../local/runner/lambda-invocation.ts';

describe('an invocation as Lambda runs it, within its timeout', () => {
  it("answers the handler's result, its context counting down from the function's timeout", async () => {
    const result = await invokeWithin('keybill-test', 30, async (context) => ({
      remaining: context.getRemainingTimeInMillis(),
      name: context.functionName,
    }));
    expect(result.name).toBe('keybill-test');
    expect(result.remaining).toBeGreaterThan(0);
    expect(result.remaining).toBeLessThanOrEqual(30_000);
  });

  it("fails with Lambda's message an invocation still running at the timeout", async () => {
    const never = new Promise<never>(() => {});
    await expect(invokeWithin('keybill-test', 0.01, () => never)).rejects.toThrow(
      'keybill-test: Task timed out after 0.01 seconds',
    );
  });

  it("fails with the handler's own error, thrown at once or later", async () => {
    await expect(
      invokeWithin('keybill-test', 30, () => {
        throw new Error('broken at once');
      }),
    ).rejects.toThrow('broken at once');
    await expect(
      invokeWithin('keybill-test', 30, async () => Promise.reject(new Error('later'))),
    ).rejects.toThrow('later');
  });

  it("takes the stack's timeout of a function run without a template", () => {
    expect(stackTimeoutSeconds('keybill-send-notice')).toBe(30);
    expect(stackTimeoutSeconds('keybill-ingest-drop')).toBe(900);
    expect(stackTimeoutSeconds('keybill-record-delivery')).toBe(30);
  });
});
