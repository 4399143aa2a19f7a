import type { AwsCall, Invocation } from '../../local/runner/aws-call-recorder.ts';

/**
 * The parts of the bundles run, priced apart: `cycle` is what every account's month takes (drop, bills,
 * previews, customers' answers, delivery events, ranking) and scales with the accounts; `arrears-step`
 * is one daily step of the arrears ladder over the demo's history, in which every account owes a
 * year of unpaid bills and gets a warning for each (a worst case, not a month); `operator` is a fixed
 * handful of operator commands, the same for any number of accounts.
 */
export const RUN_PHASES = ['cycle', 'arrears-step', 'operator'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

/**
 * What the bundles test (test/bundles/deployed-path.test.ts) measured in its run of the whole path, for
 * `npm run cost`: every invocation with its duration and every AWS call with its sizes, in the deployed
 * stack's names, each tagged with its phase, for a cycle of `accounts` accounts; and the SMS message parts
 * each phase sent (AWS bills an SMS per part).
 */
export interface DeployedRun {
  accounts: number;
  recordedAt: string;
  invocations: readonly (Invocation & { phase: RunPhase })[];
  calls: readonly (AwsCall & { phase: RunPhase })[];
  smsParts: Record<RunPhase, number>;
}

export const DEPLOYED_RUN_FILE = 'out/deployed-run.json';
