/**
 * The fault suite's crash scenarios (scripts/bench/faults.ts runs this in a process of its own): handlers
 * that stop half-way, as a Lambda crash, timeout or table outage leaves them, under the real visibility
 * timeouts and claim lease of the local queues (a lapsed claim is taken over by the message's
 * re-delivery, as in AWS where the lease is shorter than the queue's visibility timeout).
 *   billChunkCrash   a bill-chunk instance is killed after its 4th stored bill; the chunk's re-delivery
 *                    bills the whole chunk again: every account one bill version, one preview per channel
 *   senderCrash      a send-notice instance is killed the moment the provider has accepted a target's
 *                    message, before its answer is recorded: once while the previews go out (targets: an
 *                    email and an SMS preview), once while two warnings do — one fault at a time; the other
 *                    notices the killed instance had in hand are the `bystanders`
 *   tableWriteFails  the table refuses to record a target's SENT (every retry of the SDK) after the provider
 *                    accepted it; the delivery fails and its re-delivery finds the claim lapsed
 * Figures: faults.<scenario>.{previews,warnings}{Expected,Sent,Lost,Failed,Duplicated,AllowedDuplicates},
 * faults.billChunkCrash.{accounts,accountsBilled,billVersionsBeyondOne,runSucceeded,billsBeforeCrash},
 * faults.senderCrash.instancesKilled (2), faults.injected{Crashes,TableWriteFailures}, and the totals as faults.crashes.{lost,unexplainedDuplicates,
 * unplanned}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import { reconcileUncertainNotices } from '#services/reconcile-uncertain.ts';
import { recordDeliveryEvent } from '#services/record-delivery.ts';
import type { GeneratedAccount } from '../../local/runner/fixtures.ts';
import type { LocalPipeline } from '../../local/runner/local-pipeline.ts';
import type { LocalStack } from '../../local/stack.ts';
import { type FaultProxy, startFaultProxy } from '../../test/integration/fault-proxy.ts';
import { plannedNotice, type ReceivedMessage, recipientKey, scenarioFigures } from './fault-figures.ts';
import { benchWarning, PERIOD } from './fault-plan.ts';

const SEED = 20261212;
const ACCOUNTS = 9;
/** The bill write after which the bill-chunk instance is killed (its chunk holds every account). */
const KILL_AFTER_BILLS = 4;
/** The SDK's attempts at one DynamoDB call (shared/adapters/clients.ts): all of them fail. */
const TABLE_CLIENT_ATTEMPTS = 8;
/** Seconds: the sender's claim lease, shorter than the local notices queue's 2 s visibility timeout. */
const CLAIM_LEASE_SECONDS = '1';
const SCENARIOS = ['senderCrash', 'tableWriteFails', 'bystanders'] as const;
type Scenario = (typeof SCENARIOS)[number];

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** Who meets which fault, and what was injected. */
class CrashPlan {
  readonly scenarioOf = new Map<string, Scenario>();
  /** Recipients of this phase whose first accepted send kills the sending instance (one kill a phase). */
  readonly killOnSend = new Set<string>();
  /** The warning targets, armed for the second phase. */
  readonly warningTargets = new Set<string>();
  /** Accounts whose SENT record fails, every SDK attempt of the first delivery (per notice). */
  readonly failSentOf = new Set<string>();
  readonly failuresByNotice = new Map<string, number>();
  readonly injected = { crashes: 0, tableWriteFailures: 0 };
  /** The table has recovered (before the events and the reconciliation run). */
  tableHealed = false;
  billWrites = 0;
  billsBeforeCrash = 0;
  /** The instance to kill, when one runs. */
  current: ChildProcess | undefined;

  kill(): void {
    this.injected.crashes++;
    this.current?.kill('SIGKILL');
  }
}

export async function runCrashSuite(): Promise<Record<string, number>> {
  const { startLocalStack } = await import('../../local/stack.ts');
  const { prepareLocalPipeline } = await import('../../local/runner/local-pipeline.ts');
  const { generateAccounts } = await import('../../local/runner/fixtures.ts');
  const { SAMPLE_TARIFF_IDS } = await import('../../test/integration/helpers.ts');
  const accounts = generateAccounts(ACCOUNTS, { seed: SEED, tariffIds: SAMPLE_TARIFF_IDS });
  const plan = new CrashPlan();
  const warnings = planCrashes(plan, accounts);

  const stack = await startLocalStack();
  const proxies: FaultProxy[] = [];
  try {
    proxies.push(...(await startCrashProxies(stack, plan)));
    const [ses, sms, table] = proxies as [FaultProxy, FaultProxy, FaultProxy];
    const pipeline = await prepareLocalPipeline(stack, {
      AWS_ENDPOINT_URL_SESV2: ses.url,
      AWS_ENDPOINT_URL_SNS: sms.url,
      AWS_ENDPOINT_URL_DYNAMODB: table.url,
      NOTICE_CLAIM_LEASE_SECONDS: CLAIM_LEASE_SECONDS,
    });
    try {
      return await playCrashes(stack, pipeline, plan, accounts, warnings);
    } finally {
      pipeline.close();
    }
  } finally {
    await Promise.all(proxies.map((p) => p.stop()));
    await stack.stop();
  }
}

/** Targets: two previews and two warnings per fault, the other recipients bystanders. */
function planCrashes(plan: CrashPlan, accounts: readonly GeneratedAccount[]): NoticePlan[] {
  const contact = (i: number) => accounts[i]!.account.contacts[0]!;
  accounts.forEach((g, i) => {
    const scenario: Scenario = i < 3 ? 'senderCrash' : i < 6 ? 'tableWriteFails' : 'bystanders';
    plan.scenarioOf.set(recipientKey('email', contact(i).email!), scenario);
    plan.scenarioOf.set(recipientKey('sms', contact(i).phone!), scenario);
    if (scenario === 'tableWriteFails') plan.failSentOf.add(g.account.accountId);
  });
  plan.killOnSend.add(recipientKey('email', contact(0).email!));
  plan.killOnSend.add(recipientKey('sms', contact(1).phone!));
  const warnings = [
    benchWarning(accounts[2]!.account.accountId, 'crash', 'email', 'crash-warned@keybill-power.example.cn'),
    benchWarning(accounts[2]!.account.accountId, 'crash', 'sms', '13900001001'),
    benchWarning(accounts[5]!.account.accountId, 'table', 'email', 'table-warned@keybill-power.example.cn'),
    benchWarning(accounts[5]!.account.accountId, 'table', 'sms', '13900001002'),
  ];
  for (const w of warnings) {
    const key = recipientKey(w.channel, w.recipient.address);
    const scenario: Scenario = w.recipient.name === 'crash' ? 'senderCrash' : 'tableWriteFails';
    plan.scenarioOf.set(key, scenario);
    if (scenario === 'senderCrash') plan.warningTargets.add(key);
  }
  return warnings;
}

/** SES and SMS proxies that kill the sender on a target's accepted send; a table proxy for the rest. */
async function startCrashProxies(stack: LocalStack, plan: CrashPlan): Promise<FaultProxy[]> {
  const killOnce = (key: string) => {
    if (!plan.killOnSend.has(key)) return undefined;
    // One fault at a time: this kill ends the phase's targets (the rest are its bystanders).
    plan.killOnSend.clear();
    return { loseAnswer: true as const, onAnswered: () => plan.kill() };
  };
  const ses = await startFaultProxy(stack.endpoints.ses!, ({ method, path, body }) => {
    if (method !== 'POST' || path !== '/v2/email/outbound-emails') return undefined;
    const to = (JSON.parse(body) as { Destination: { ToAddresses: string[] } }).Destination.ToAddresses[0]!;
    return killOnce(recipientKey('email', to));
  });
  const sms = await startFaultProxy(stack.endpoints.sms!, ({ body }) => {
    const params = new URLSearchParams(body);
    if (params.get('Action') !== 'Publish') return undefined;
    return killOnce(recipientKey('sms', params.get('PhoneNumber') ?? ''));
  });
  const table = await startFaultProxy(stack.endpoints.dynamodb!, ({ body }) => tableFault(plan, body));
  return [ses, sms, table];
}

/** The table's side: kill bill-chunk after its Nth bill, fail a target's SENT record through every retry. */
function tableFault(plan: CrashPlan, body: string) {
  if (
    body.includes('"entity":{"S":"BILL"}') &&
    plan.current !== undefined &&
    ++plan.billWrites === KILL_AFTER_BILLS
  ) {
    plan.billsBeforeCrash = plan.billWrites;
    return { loseAnswer: true as const, onAnswered: () => plan.kill() };
  }
  if (plan.tableHealed || !body.includes('"S":"SENT"')) return undefined;
  const request = JSON.parse(body) as { Key?: { pk?: { S?: string }; sk?: { S?: string } } };
  const pk = request.Key?.pk?.S ?? '';
  if (![...plan.failSentOf].some((accountId) => pk.endsWith(accountId))) return undefined;
  const notice = `${pk}|${request.Key?.sk?.S ?? ''}`;
  const failures = plan.failuresByNotice.get(notice) ?? 0;
  if (failures >= TABLE_CLIENT_ATTEMPTS) return undefined;
  plan.failuresByNotice.set(notice, failures + 1);
  plan.injected.tableWriteFailures++;
  return {
    status: 500,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
      message: 'Internal server error',
    }),
  };
}

/** Runs a queue's handler in an instance of its own until the queue is empty or the instance is killed. */
async function runInstance(
  plan: CrashPlan,
  functionFolder: string,
  queue: { url: string; arn: string },
  batchSize?: number,
): Promise<'killed' | 'drained'> {
  const args = [
    CHILD,
    functionFolder,
    queue.url,
    queue.arn,
    ...(batchSize === undefined ? [] : [String(batchSize)]),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  plan.current = child;
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_c, s) => resolve(s)),
  );
  plan.current = undefined;
  return signal === 'SIGKILL' ? 'killed' : 'drained';
}

async function playCrashes(
  stack: LocalStack,
  pipeline: LocalPipeline,
  plan: CrashPlan,
  accounts: readonly GeneratedAccount[],
  warnings: readonly NoticePlan[],
): Promise<Record<string, number>> {
  const { generateMeterReadRows, toCsv } = await import('../../local/runner/fixtures.ts');
  const { loadAccounts } = await import('../../test/integration/helpers.ts');
  const { sqsNoticeQueue } = await import('#adapters/sqs-queues.ts');
  await loadAccounts(
    pipeline,
    accounts.map((g) => g.account),
  );
  const key = `drops/reads/${PERIOD}/bench-crashes.csv`;
  await pipeline.putDrop(key, toCsv(generateMeterReadRows(accounts, PERIOD)));
  const ingested = (await pipeline.deliverDrop(key, { leaveChunks: true })) as { runId: string };

  // A bill-chunk instance dies after its 4th bill; the chunk comes back after its visibility timeout.
  const chunkQueue = {
    url: pipeline.env.BILL_CHUNK_QUEUE_URL!,
    arn: await queueArn(pipeline.env.BILL_CHUNK_QUEUE_URL!),
  };
  const chunkCrash = await runInstance(plan, 'bill-chunk', chunkQueue, 1);
  await pipeline.billChunks();
  await pipeline.planNotices();

  // Two phases, one crash each (a single fault at a time): the previews, then the warnings. A sender
  // instance is killed at the first target's accepted send; the next deliveries take its claims over.
  const noticeQueue = { url: pipeline.queues.queueUrl, arn: pipeline.queues.queueArn };
  const senderCrashes: ('killed' | 'drained')[] = [];
  senderCrashes.push(await runInstance(plan, 'send-notice', noticeQueue));
  await pipeline.sendNotices();
  for (const w of warnings) await pipeline.stores.notices.createNotice(w);
  for (const key of plan.warningTargets) plan.killOnSend.add(key);
  await sqsNoticeQueue(pipeline.queues.queueUrl).enqueue(
    warnings.map((w) => ({ accountId: w.accountId, noticeId: w.noticeId })),
  );
  senderCrashes.push(await runInstance(plan, 'send-notice', noticeQueue));
  await pipeline.sendNotices();
  // What AWS does next: SES publishes a Send event for every email it accepted (record-delivery settles
  // those notices), and the hourly reconcile-uncertain queues again the UNCERTAIN emails no event confirmed.
  plan.tableHealed = true;
  await publishSendEvents(stack, pipeline, accounts);
  const reconciled = await reconcileUncertainNotices(
    { notices: pipeline.stores.notices, queue: sqsNoticeQueue(pipeline.queues.queueUrl) },
    0,
  );
  await pipeline.sendNotices();

  const notices = await noticesOf(pipeline, accounts);
  const received = await receivedBy(stack);
  const { figures, lines } = scenarioFigures(
    notices.map(plannedNotice),
    received,
    (k) => plan.scenarioOf.get(k),
    SCENARIOS,
  );
  const bills = await pipeline.stores.bills.listBillsForPeriod(PERIOD);
  const versions = new Map<string, number>();
  for (const bill of bills) versions.set(bill.accountId, (versions.get(bill.accountId) ?? 0) + 1);
  const run = await pipeline.stores.runs.getRun(ingested.runId);
  const billing = {
    'faults.billChunkCrash.accounts': accounts.length,
    'faults.billChunkCrash.accountsBilled': versions.size,
    'faults.billChunkCrash.billVersionsBeyondOne': [...versions.values()].reduce((a, v) => a + v - 1, 0),
    'faults.billChunkCrash.billsBeforeCrash': chunkCrash === 'killed' ? plan.billsBeforeCrash : 0,
    'faults.billChunkCrash.runSucceeded': run?.status === 'SUCCEEDED' ? 1 : 0,
  };
  console.log(
    `  billChunkCrash: killed after ${billing['faults.billChunkCrash.billsBeforeCrash']} bills; ` +
      `${billing['faults.billChunkCrash.accountsBilled']} of ${accounts.length} accounts billed, ` +
      `${billing['faults.billChunkCrash.billVersionsBeyondOne']} versions beyond one, run ${run?.status}`,
  );
  for (const line of lines) console.log(line);
  console.log(
    `  injected: ${plan.injected.crashes} crashes (1 bill-chunk, the rest senders), ` +
      `${plan.injected.tableWriteFailures} failed SENT records; reconcile-uncertain queued ` +
      `${reconciled.requeued} emails again that no Send event confirmed`,
  );
  const renamed = Object.fromEntries(
    Object.entries(figures).map(([k, v]) => [
      /^faults\.[a-z]+$/i.test(k) ? k.replace('faults.', 'faults.crashes.') : k,
      v,
    ]),
  );
  return {
    ...renamed,
    ...billing,
    'faults.injectedCrashes': plan.injected.crashes,
    'faults.senderCrash.instancesKilled': senderCrashes.filter((c) => c === 'killed').length,
    'faults.injectedTableWriteFailures': plan.injected.tableWriteFailures,
    'faults.crashes.emailsRequeuedWithoutSendEvent': reconciled.requeued,
  };
}

async function noticesOf(pipeline: LocalPipeline, accounts: readonly GeneratedAccount[]) {
  const notices: StoredNotice[] = [];
  for (const g of accounts) notices.push(...(await pipeline.stores.notices.listNotices(g.account.accountId)));
  return notices;
}

async function receivedBy(stack: LocalStack): Promise<ReceivedMessage[]> {
  return [
    ...(await stack.ses!.listEmails()).flatMap((e) =>
      e.destination.to.map((to) => ({ channel: 'email' as const, recipient: to })),
    ),
    ...stack.sms!.messages().map((m) => ({ channel: 'sms' as const, recipient: m.phoneNumber })),
  ];
}

/**
 * The configuration set's Send events, as SES publishes them for each accepted email (the emulator has no
 * configuration sets): one per email received, naming its notice as the message tag does.
 */
async function publishSendEvents(
  stack: LocalStack,
  pipeline: LocalPipeline,
  accounts: readonly GeneratedAccount[],
): Promise<void> {
  // The recipient keys under the local stack's secret (loaded once the stack set the environment).
  const { recipientKeysFromEnv } = await import('#wiring/index.ts');
  const byRecipient = new Map<string, StoredNotice>();
  for (const n of await noticesOf(pipeline, accounts))
    if (n.channel === 'email') byRecipient.set(recipientKey('email', n.recipient.address), n);
  for (const email of await stack.ses!.listEmails()) {
    const notice = byRecipient.get(recipientKey('email', email.destination.to[0] ?? ''));
    if (notice === undefined) continue;
    await recordDeliveryEvent(
      {
        providerMessageId: email.messageId,
        eventType: 'Send',
        noticeRef: { accountId: notice.accountId, noticeId: notice.noticeId },
      },
      {
        notices: pipeline.stores.notices,
        suppressions: pipeline.stores.suppressions,
        recipientKeys: recipientKeysFromEnv(),
      },
    );
  }
}

async function queueArn(queueUrl: string): Promise<string> {
  const { GetQueueAttributesCommand, SQSClient } = await import('@aws-sdk/client-sqs');
  const client = new SQSClient({});
  try {
    const out = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    return out.Attributes!.QueueArn!;
  } finally {
    client.destroy();
  }
}
