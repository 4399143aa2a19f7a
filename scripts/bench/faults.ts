/**
 * The fault suite's figures from one run on the local stack (no threshold, no timing): notices planned and
 * sent through the deployed send-notice handler while proxies in front of the SES emulator and the SMS
 * recorder inject faults, then counted from what the providers received (scripts/bench/fault-figures.ts):
 *   faults.<scenario>.{previews,warnings}Expected   notices planned
 *   faults.<scenario>.{…}Sent                      messages received, every copy
 *   faults.<scenario>.{…}Lost                      notices received by no one, with no final state saying why
 *   faults.<scenario>.{…}Failed                    notices received by no one and recorded FAILED
 *   faults.<scenario>.{…}Duplicated                copies beyond one per notice
 *   faults.<scenario>.{…}AllowedDuplicates         duplicates the policy allows (a warning resent once)
 *   faults.lost, faults.unexplainedDuplicates, faults.unplanned   totals, each 0 when all is well
 *   faults.injected{LostAnswers,Throttles,Rejects}, faults.duplicatedDeliveries   the faults it injected
 * Scenarios, one recipient set each, all on one queue (its pump hands 20 % of messages over twice):
 *   replyLost  the provider accepts and the answer is lost (connection reset): 3 of 6 accounts' previews
 *              (email and SMS) lose their first answer; arrears warnings lose the first answer, every
 *              answer, or none
 *   throttled  SES answers 429 TooManyRequests and SNS Throttled to 30 % of sends (seeded; at most 2 per
 *              recipient, within the queue's 5 receives)
 *   rejected   SES answers 400 MessageRejected and SNS InvalidParameter to every send: FAILED, not lost
 *   deadLettered  every send is throttled until the queue dead-letters the messages (5 receives); the
 *              operator then moves them back to the queue (redrive), the throttling has stopped, each is
 *              sent once (faults.deadLettered.messagesDeadLettered / messagesRedriven)
 * It runs in a child process (this file with `run`): handlers and their clients are configured once per
 * process (see notify.ts).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import type { GeneratedAccount } from '../../local/runner/fixtures.ts';
import type { LocalPipeline } from '../../local/runner/local-pipeline.ts';
import type { LocalStack } from '../../local/stack.ts';
import { redrive } from './dead-letter-redrive.ts';
import { plannedNotice, type ReceivedMessage, scenarioFigures } from './fault-figures.ts';
import {
  accountsByScenario,
  FaultPlan,
  PERIOD,
  planFaults,
  SCENARIOS,
  startFaultProxies,
} from './fault-plan.ts';

const SEED = 20261211;

/** The totals summed over both suites: the provider faults (`run`) and the crashes (`run-crashes`). */
const TOTALS = [
  'expected',
  'sent',
  'lost',
  'failed',
  'duplicated',
  'allowedDuplicates',
  'unexplainedDuplicates',
  'unplanned',
] as const;

export async function benchFaults(): Promise<Record<string, number>> {
  console.log('  provider faults (lost answers, throttles, rejects, dead letters):');
  const figures = await runSuite('run');
  console.log('  crashes (bill-chunk and senders killed, the table failing after a send):');
  const crashes = await runSuite('run-crashes');
  for (const total of TOTALS) {
    const key = `faults.${total}`;
    crashes[key] = (figures[key] ?? 0) + (crashes[`faults.crashes.${total}`] ?? 0);
  }
  Object.assign(figures, crashes);
  // A figure, not a threshold: said in words so a reader of the output cannot miss it.
  const wrong = [
    'faults.lost',
    'faults.unexplainedDuplicates',
    'faults.unplanned',
    'faults.billChunkCrash.billVersionsBeyondOne',
  ].filter((key) => figures[key] !== 0);
  if (figures['faults.billChunkCrash.accountsBilled'] !== figures['faults.billChunkCrash.accounts'])
    wrong.push('faults.billChunkCrash.accountsBilled');
  console.log(
    wrong.length === 0
      ? '  verdict: nothing lost, every duplicate allowed by policy, nothing sent to anyone unplanned, every account billed once'
      : `  VERDICT: not as expected: ${wrong.map((key) => `${key} = ${figures[key]}`).join(', ')}`,
  );
  return figures;
}

/** One suite in a process of its own (handlers and their clients are configured once per process). */
async function runSuite(mode: 'run' | 'run-crashes'): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = out.trimEnd().split('\n');
  for (const line of lines.slice(0, -1)) console.log(line);
  if (code !== 0) throw new Error(`the fault suite's ${mode} exited with ${code}`);
  return JSON.parse(lines.at(-1)!) as Record<string, number>;
}

export async function runFaultSuite(): Promise<Record<string, number>> {
  const { startLocalStack } = await import('../../local/stack.ts');
  const { prepareLocalPipeline } = await import('../../local/runner/local-pipeline.ts');
  const { generateAccounts, seededRandom } = await import('../../local/runner/fixtures.ts');
  const { SAMPLE_TARIFF_IDS } = await import('../../test/integration/helpers.ts');
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

  const total = Object.values(SCENARIOS).reduce((a, b) => a + b, 0);
  const accounts = generateAccounts(total, { seed: SEED, tariffIds: SAMPLE_TARIFF_IDS });
  const plan = new FaultPlan(seededRandom(SEED + 1));
  const warnings = planFaults(plan, accountsByScenario(accounts));

  const stack = await startLocalStack();
  try {
    const proxies = await startFaultProxies(stack, plan);
    try {
      const pipeline = await prepareLocalPipeline(stack, {
        AWS_ENDPOINT_URL_SESV2: proxies.ses.url,
        AWS_ENDPOINT_URL_SNS: proxies.sms.url,
      });
      try {
        return await playScenarios(stack, pipeline, plan, accounts, warnings);
      } finally {
        pipeline.close();
      }
    } finally {
      await Promise.all([proxies.ses.stop(), proxies.sms.stop()]);
    }
  } finally {
    await stack.stop();
  }
}

/** Bills the accounts, queues the warnings, sends everything through the faults, redrives, counts. */
async function playScenarios(
  stack: LocalStack,
  pipeline: LocalPipeline,
  plan: FaultPlan,
  accounts: readonly GeneratedAccount[],
  warnings: readonly NoticePlan[],
): Promise<Record<string, number>> {
  const { generateMeterReadRows, seededRandom, toCsv } = await import('../../local/runner/fixtures.ts');
  const { dropBillAndPlan, loadAccounts } = await import('../../test/integration/helpers.ts');
  const { sqsNoticeQueue } = await import('#adapters/sqs-queues.ts');
  await loadAccounts(
    pipeline,
    accounts.map((g) => g.account),
  );
  await dropBillAndPlan(
    pipeline,
    `drops/reads/${PERIOD}/bench-faults.csv`,
    toCsv(generateMeterReadRows(accounts, PERIOD)),
  );
  for (const warning of warnings) await pipeline.stores.notices.createNotice(warning);
  await sqsNoticeQueue(pipeline.queues.queueUrl).enqueue(
    warnings.map((w) => ({ accountId: w.accountId, noticeId: w.noticeId })),
  );
  const duplicateRandom = seededRandom(SEED + 2);
  let duplicatedDeliveries = 0;
  await pipeline.sendNotices({
    duplicate: () => {
      const twice = duplicateRandom() < 0.2;
      if (twice) duplicatedDeliveries++;
      return twice;
    },
  });
  // The operator's redrive, once the provider has recovered: the dead-lettered messages back to the queue.
  const deadLettered = await redrive(pipeline.queues.dlqUrl, pipeline.queues.queueUrl, () => {
    plan.redriven = true;
  });
  await pipeline.sendNotices();

  const notices: StoredNotice[] = [];
  for (const g of accounts) notices.push(...(await pipeline.stores.notices.listNotices(g.account.accountId)));
  const received: ReceivedMessage[] = [
    ...(await stack.ses!.listEmails()).flatMap((e) =>
      e.destination.to.map((to) => ({ channel: 'email' as const, recipient: to })),
    ),
    ...stack.sms!.messages().map((m) => ({ channel: 'sms' as const, recipient: m.phoneNumber })),
  ];
  console.log(
    `  injected: ${plan.injected.lostAnswers} lost answers, ${plan.injected.throttles} throttles, ` +
      `${plan.injected.rejects} permanent rejects, ${duplicatedDeliveries} duplicated queue deliveries, ` +
      `${deadLettered.moved} messages dead-lettered and redriven`,
  );
  return {
    ...figuresOf(notices, received, plan),
    // The faults really happened: a suite that injected nothing would report 0 lost for nothing.
    'faults.injectedLostAnswers': plan.injected.lostAnswers,
    'faults.injectedThrottles': plan.injected.throttles,
    'faults.injectedRejects': plan.injected.rejects,
    'faults.duplicatedDeliveries': duplicatedDeliveries,
    'faults.deadLettered.messagesDeadLettered': deadLettered.moved,
    'faults.deadLettered.messagesLeftOnDeadLetterQueue': deadLettered.left,
  };
}

/** Per scenario and kind, then the totals, printed one line each with why each duplicate was allowed. */
function figuresOf(
  notices: readonly StoredNotice[],
  received: readonly ReceivedMessage[],
  plan: FaultPlan,
): Record<string, number> {
  const { figures, lines } = scenarioFigures(
    notices.map(plannedNotice),
    received,
    (key) => plan.scenarioOf.get(key),
    Object.keys(SCENARIOS),
  );
  for (const line of lines) console.log(line);
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === 'run') {
    console.log(JSON.stringify(await runFaultSuite()));
  } else if (process.argv[2] === 'run-crashes') {
    const { runCrashSuite } = await import('./crash-faults.ts');
    console.log(JSON.stringify(await runCrashSuite()));
  } else {
    for (const [key, value] of Object.entries(await benchFaults()))
      console.log(`  ${key.padEnd(44)} ${value}`);
  }
  // The SDK's keep-alive sockets to stopped emulators would otherwise hold the process open a while.
  process.exit(0);
}
