/**
 * `npm run cost -- --accounts 100000 [--prices scripts/cost/aws-prices-2026-11.json]`: what one monthly
 * billing cycle costs on AWS, from the synthesized template (each function's memory and architecture)
 * and from what the bundles test measured running the whole path on the local stack
 * (out/deployed-run.json: every invocation with its duration, every AWS call with its sizes), scaled
 * linearly from that run's accounts to `--accounts`. When the file is missing the bundles test is run
 * first. Prices are a dated input (`--prices`); the output is a table, and the ratio
 * compute+storage ÷ messaging is merged into out/bench.json as `cost.computeStorageVsMessagingRatio`.
 *
 * Linear scaling is conservative: the run bills a handful of accounts, so what a run does once (a
 * ranking, a chunk's fixed work) is counted again for every such group of accounts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readSynthesizedStack } from '../local/runner/synthesized-stack.ts';
import { DEPLOYED_RUN_FILE, type DeployedRun } from './cost/deployed-run.ts';

type Prices = {
  asOf: string;
  lambda: { gbSecondArm64: number; gbSecondX86: number; perMillionRequests: number };
  dynamodb: {
    perMillionWriteRequestUnits: number;
    perMillionReadRequestUnits: number;
    storageGbMonth: number;
  };
  sqs: { perMillionRequests: number };
  s3: { perThousandPutRequests: number; perThousandGetRequests: number; storageGbMonth: number };
  scheduler: { perMillionInvocations: number };
  logs: { ingestionPerGb: number; storageGbMonth: number; bytesPerInvocationEstimate: number };
  xray: { perMillionTracesRecorded: number };
  ses: { perThousandEmails: number };
  sms: { perMessage: number };
};

const GB = 1024 ** 3;
const DYNAMODB_WRITES = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/;
const DYNAMODB_READS = /^dynamodb:(GetItem|BatchGetItem|Query|Scan|TransactGetItems|GetRecords)$/;

/** Capacity units of one call: 1 KB per write unit, 4 KB per read unit (transactions count twice). */
function capacityUnits(action: string, bytes: number): number {
  const transactional = action.includes('Transact') ? 2 : 1;
  if (DYNAMODB_WRITES.test(action)) return transactional * Math.max(1, Math.ceil(bytes / 1024));
  return transactional * Math.max(1, Math.ceil(bytes / 4096));
}

export function cycleCost(run: DeployedRun, accounts: number, prices: Prices) {
  const scale = accounts / run.accounts;
  const stack = readSynthesizedStack();
  const lines: Record<string, number> = {};
  const add = (line: string, usd: number) => {
    lines[line] = (lines[line] ?? 0) + usd * scale;
  };

  for (const fn of stack.functions) {
    const own = run.invocations.filter((i) => i.functionName === fn.functionName);
    const seconds = own.reduce((sum, i) => sum + Math.ceil(i.durationMs) / 1000, 0);
    const gbSecond = fn.architecture === 'arm64' ? prices.lambda.gbSecondArm64 : prices.lambda.gbSecondX86;
    add(`lambda ${fn.handlerName}`, seconds * (fn.memoryMb / 1024) * gbSecond);
    add('lambda requests', (own.length / 1e6) * prices.lambda.perMillionRequests);
    add('x-ray traces', (own.length / 1e6) * prices.xray.perMillionTracesRecorded);
    const logBytes = own.length * prices.logs.bytesPerInvocationEstimate;
    add('cloudwatch logs', (logBytes / GB) * (prices.logs.ingestionPerGb + prices.logs.storageGbMonth));
  }
  let emails = 0;
  let sms = 0;
  for (const call of run.calls) {
    if (DYNAMODB_WRITES.test(call.action)) {
      add(
        'dynamodb writes',
        (capacityUnits(call.action, call.requestBytes) / 1e6) * prices.dynamodb.perMillionWriteRequestUnits,
      );
      // What a cycle writes, kept for a month (staged reads expire sooner: an upper bound).
      add('dynamodb storage', (call.requestBytes / GB) * prices.dynamodb.storageGbMonth);
    } else if (DYNAMODB_READS.test(call.action)) {
      add(
        'dynamodb reads',
        (capacityUnits(call.action, call.responseBytes) / 1e6) * prices.dynamodb.perMillionReadRequestUnits,
      );
    } else if (call.action.startsWith('sqs:')) {
      add(
        'sqs requests',
        (Math.max(1, Math.ceil(call.requestBytes / 65536)) / 1e6) * prices.sqs.perMillionRequests,
      );
    } else if (call.action === 's3:PutObject') {
      add('s3 requests', prices.s3.perThousandPutRequests / 1000);
      add('s3 storage', (call.requestBytes / GB) * prices.s3.storageGbMonth);
    } else if (call.action.startsWith('s3:')) {
      add('s3 requests', prices.s3.perThousandGetRequests / 1000);
    } else if (call.action === 'scheduler:CreateSchedule') {
      add('scheduler', prices.scheduler.perMillionInvocations / 1e6);
    } else if (call.action === 'ses:SendEmail') {
      emails++;
      add('ses email (messaging)', prices.ses.perThousandEmails / 1000);
    } else if (call.action === 'sns:Publish') {
      sms++;
      add('sms (messaging)', prices.sms.perMessage);
    }
  }
  const messaging = Object.entries(lines)
    .filter(([k]) => k.endsWith('(messaging)'))
    .reduce((s, [, v]) => s + v, 0);
  const total = Object.values(lines).reduce((s, v) => s + v, 0);
  return {
    lines,
    emails: emails * scale,
    sms: sms * scale,
    computeStorageUsd: total - messaging,
    messagingUsd: messaging,
    ratio: (total - messaging) / messaging,
  };
}

function main() {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '100000' },
      prices: { type: 'string', default: 'scripts/cost/aws-prices-2026-11.json' },
    },
  });
  const accounts = Number(values.accounts);
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new Error(`--accounts must be a positive integer, got ${values.accounts}`);
  const prices = JSON.parse(readFileSync(values.prices, 'utf8')) as Prices;
  if (!existsSync(DEPLOYED_RUN_FILE)) {
    console.log(`${DEPLOYED_RUN_FILE} is missing: running the bundles test to measure a cycle…`);
    execFileSync('npx', ['vitest', 'run', '--project', 'bundles'], { stdio: 'inherit' });
  }
  const run = JSON.parse(readFileSync(DEPLOYED_RUN_FILE, 'utf8')) as DeployedRun;
  const cost = cycleCost(run, accounts, prices);
  console.log(
    `One monthly cycle for ${accounts.toLocaleString('en')} accounts (prices as of ${prices.asOf}, measured ${run.recordedAt} on ${run.accounts} accounts, scaled linearly)\n`,
  );
  for (const [line, usd] of Object.entries(cost.lines).sort(([, a], [, b]) => b - a)) {
    console.log(`  ${line.padEnd(32)} ${usd.toFixed(2).padStart(12)} USD`);
  }
  console.log(`\n  emails ${Math.round(cost.emails)}, SMS ${Math.round(cost.sms)}`);
  console.log(
    `  compute + storage ${cost.computeStorageUsd.toFixed(2)} USD, messaging ${cost.messagingUsd.toFixed(2)} USD`,
  );
  console.log(`  compute+storage ÷ messaging = ${(cost.ratio * 100).toFixed(2)} %`);
  mkdirSync('out', { recursive: true });
  let figures: Record<string, number> = {};
  if (existsSync('out/bench.json')) figures = JSON.parse(readFileSync('out/bench.json', 'utf8'));
  figures[`cost.accounts${accounts}.computeStorageUsd`] = round(cost.computeStorageUsd);
  figures[`cost.accounts${accounts}.messagingUsd`] = round(cost.messagingUsd);
  if (accounts === 100_000) figures['cost.computeStorageVsMessagingRatio'] = round(cost.ratio, 4);
  writeFileSync('out/bench.json', `${JSON.stringify(figures, null, 2)}\n`);
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

main();
