/**
 * `npm run cost -- --accounts 100000 [--prices scripts/cost/aws-prices-2026-11.json]`: what one monthly
 * billing cycle costs on AWS, from the synthesized template (each function's memory and architecture)
 * and from what the bundles test measured running the whole path on the local stack
 * (out/deployed-run.json: every invocation with its duration, every AWS call with its sizes, the SMS
 * parts sent, each tagged with its phase). When the file is missing the bundles test is run first.
 * Prices are a dated input (`--prices`) whose every figure names its source (scripts/cost/prices.ts);
 * the figures no source verified are printed with the result.
 *
 * The phases are priced apart (scripts/cost/deployed-run.ts): the cycle, scaled linearly from the run's
 * accounts to `--accounts`, gives `cost.computeStorageVsMessagingRatio`; the run's arrears step, a worst
 * case in which every account gets a year of warnings, is scaled the same way and shown beside it, not
 * in the ratio (its messages would make compute look smaller); the operator's commands are shown as run.
 * Linear scaling is conservative for compute: what a run does once (a ranking, a chunk's fixed work) is
 * counted again for every group of the run's size.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readSynthesizedStack } from '../local/runner/synthesized-stack.ts';
import { DEPLOYED_RUN_FILE, type DeployedRun } from './cost/deployed-run.ts';
import { type PhaseCost, phaseCost } from './cost/phase-cost.ts';
import { readPrices, unverifiedFigures } from './cost/prices.ts';

/** Issue #14's goal for compute+storage ÷ messaging. */
const RATIO_GOAL = 0.02;

const usd = (n: number) => `${n.toFixed(2)} USD`;
const per = (n: number, accounts: number) => (n / accounts).toFixed(2);

function printPhase(title: string, cost: PhaseCost, accounts?: number) {
  console.log(`\n${title}`);
  for (const [line, amount] of Object.entries(cost.lines).sort(([, a], [, b]) => b - a)) {
    if (amount > 0)
      console.log(`  ${line.padEnd(32)} ${amount.toFixed(amount < 0.01 ? 5 : 2).padStart(12)} USD`);
  }
  const basis =
    accounts === undefined
      ? ''
      : ` (per account: ${per(cost.invocations, accounts)} invocations, ${per(cost.emails, accounts)} emails, ${per(cost.smsParts, accounts)} SMS parts)`;
  console.log(
    `  invocations ${Math.round(cost.invocations)}, emails ${Math.round(cost.emails)}, SMS parts ${Math.round(cost.smsParts)}${basis}`,
  );
  console.log(`  compute + storage ${usd(cost.computeStorageUsd)}, messaging ${usd(cost.messagingUsd)}`);
}

function main() {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '100000' },
      prices: { type: 'string', default: 'scripts/cost/aws-prices-2026-11.json' },
    },
  });
  const accounts = Number(values.accounts);
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > 10_000_000)
    throw new Error(`--accounts must be an integer from 1 to 10,000,000, got ${values.accounts}`);
  const prices = readPrices(values.prices);
  if (!existsSync(DEPLOYED_RUN_FILE)) {
    console.log(`${DEPLOYED_RUN_FILE} is missing: running the bundles test to measure a cycle…`);
    execFileSync('npx', ['vitest', 'run', '--project', 'bundles'], { stdio: 'inherit' });
  }
  const run = JSON.parse(readFileSync(DEPLOYED_RUN_FILE, 'utf8')) as DeployedRun;
  if (run.smsParts === undefined) {
    throw new Error(`${DEPLOYED_RUN_FILE} predates the run's phases: rerun the bundles test`);
  }
  const stack = readSynthesizedStack();
  const scale = accounts / run.accounts;
  const cycle = phaseCost(run, 'cycle', scale, prices, stack);
  const arrears = phaseCost(run, 'arrears-step', scale, prices, stack);
  const operator = phaseCost(run, 'operator', 1, prices, stack);
  const ratio = cycle.computeStorageUsd / cycle.messagingUsd;

  console.log(
    `One monthly cycle for ${accounts.toLocaleString('en')} accounts: prices as of ${prices.asOf} (${prices.region}), ` +
      `measured ${run.recordedAt} on ${run.accounts} accounts, scaled linearly`,
  );
  printPhase('The cycle (drop, bills, previews, answers, delivery events, ranking)', cycle, accounts);
  console.log(`  compute+storage ÷ messaging = ${(ratio * 100).toFixed(2)} %`);
  // The SMS price is the least certain input and carries the ratio: the price at which it reaches the goal.
  const emailUsd = cycle.lines['ses email (messaging)'] ?? 0;
  const breakEven = (cycle.computeStorageUsd / RATIO_GOAL - emailUsd) / cycle.smsParts;
  console.log(
    `  the ratio stays within ${RATIO_GOAL * 100} % while an SMS part costs at least ${breakEven.toFixed(4)} USD ` +
      `(emails alone: ${((cycle.computeStorageUsd / emailUsd) * 100).toFixed(1)} %)`,
  );
  printPhase(
    'Beside it: one arrears step as the demo runs it (every account a year in arrears: a worst case, not in the ratio)',
    arrears,
    accounts,
  );
  printPhase('Beside it: the run’s operator commands, once (independent of the accounts)', operator);
  const unverified = unverifiedFigures(prices);
  if (unverified.length > 0) {
    console.log(`\nUnverified prices (no source found; see the table's sources): ${unverified.join(', ')}`);
  }

  mkdirSync('out', { recursive: true });
  let figures: Record<string, number> = {};
  if (existsSync('out/bench.json')) figures = JSON.parse(readFileSync('out/bench.json', 'utf8'));
  figures[`cost.accounts${accounts}.computeStorageUsd`] = round(cycle.computeStorageUsd);
  figures[`cost.accounts${accounts}.messagingUsd`] = round(cycle.messagingUsd);
  if (accounts === 100_000) figures['cost.computeStorageVsMessagingRatio'] = round(ratio, 4);
  writeFileSync('out/bench.json', `${JSON.stringify(figures, null, 2)}\n`);
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

main();
