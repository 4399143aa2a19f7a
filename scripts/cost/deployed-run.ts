import type { AwsCall, Invocation } from '../../local/runner/aws-call-recorder.ts';

/**
 * What the bundles test (test/bundles/deployed-path.test.ts) measured in its run of the whole path, for
 * `npm run cost`: every invocation with its duration and every AWS call with its sizes, in the deployed
 * stack's names, for a cycle of `accounts` accounts.
 */
export interface DeployedRun {
  accounts: number;
  recordedAt: string;
  invocations: readonly Invocation[];
  calls: readonly AwsCall[];
}

export const DEPLOYED_RUN_FILE = 'out/deployed-run.json';
