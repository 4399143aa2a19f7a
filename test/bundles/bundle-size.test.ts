import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSynthesizedStack } from '../../local/runner/synthesized-stack.ts';

/*
 * Issue 14's size target, held where it is cheap to hold: every function's bundle as synthesized within
 * 1 MB, read strictly (10^6 bytes, not 1 MiB). A change that pushes one past it fails here, naming the
 * function and its size, so the choice (trim a dependency, lean out what the function never runs, or
 * split the function) is made on purpose. Cold-import time is benchmarked (`npm run bench -- lambda`),
 * never asserted: this machine is shared.
 */

const BUNDLE_LIMIT_BYTES = 1_000_000;
const synthesized = readSynthesizedStack();

describe('the synthesized bundles', () => {
  it('are each within 1 MB (1,000,000 bytes)', () => {
    const sizes = synthesized.functions.map((fn) => [fn.functionName, statSync(fn.bundlePath).size] as const);
    expect(sizes.length).toBeGreaterThanOrEqual(10);
    expect(
      sizes
        .filter(([, bytes]) => bytes > BUNDLE_LIMIT_BYTES)
        .map(([name, bytes]) => `${name}: ${bytes} bytes`),
    ).toEqual([]);
  });
});
