import { synthesizeStack } from '../../local/runner/synthesized-stack.ts';

/**
 * Vitest global setup of the bundles project: the stack synthesized once per test run into cdk.out, with
 * its bundles, offline (esbuild locally; no credentials, no Docker), exactly as `cdk synth` makes it.
 */
export default function synthesizeOnce(): void {
  // For a quick look while editing tests only: KEYBILL_REUSE_CDK_OUT=1 keeps the cdk.out of a previous run.
  if (process.env.KEYBILL_REUSE_CDK_OUT === '1') return;
  synthesizeStack();
}
