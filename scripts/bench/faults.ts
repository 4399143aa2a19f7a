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
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NoticeKind, NoticePlan, StoredNotice } from '#domain/notices.ts';
import type { GeneratedAccount } from '../../local/runner/fixtures.ts';
import type { CannedResponse, Intercept } from '../../test/integration/fault-proxy.ts';
import { countDeliveries, type ReceivedMessage, recipientKey } from './fault-figures.ts';

const PERIOD = '2026-10';
const SEED = 20261211;
const SCENARIOS = { replyLost: 6, throttled: 10, rejected: 3, deadLettered: 2 } as const;
type Scenario = keyof typeof SCENARIOS;
type WarningCase = 'lost-once' | 'lost-always' | 'answered';
const WARNING_CASES: readonly WarningCase[] = ['lost-once', 'lost-always', 'answered'];

export async function benchFaults(): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'run'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = out.trim().split('\n');
  for (const line of lines.slice(0, -1)) console.log(line);
  if (code !== 0) throw new Error(`the fault suite's run exited with ${code}`);
  return JSON.parse(lines.at(-1)!) as Record<string, number>;
}

const warningEmail = (c: WarningCase) => `warned-${c}@keybill-power.example.cn`;
const warningPhone = (c: WarningCase) => `1390000${String(WARNING_CASES.indexOf(c) + 1).padStart(4, '0')}`;

/** An arrears warning as the arrears ladder plans it (its text is its content). */
function warningPlan(accountId: string, c: WarningCase, channel: 'email' | 'sms'): NoticePlan {
  const text = `尊敬的客户：您的电费已逾期，如未缴清，将于 2026-11-20 09:00 停电。(${c})`;
  return {
    noticeId: `ARREARS#${createHash('sha256').update(`bench-faults#${c}#${channel}`).digest('hex').slice(0, 32)}`,
    kind: 'arrears-warning',
    accountId,
    period: PERIOD,
    billVersion: 0,
    channel,
    recipient: {
      role: 'customer',
      name: c,
      address: channel === 'email' ? warningEmail(c) : warningPhone(c),
      language: 'zh-CN',
    },
    content: { subject: '停电预警', text, textSha256: createHash('sha256').update(text).digest('hex') },
    evidence: { level: 2, disconnectAt: '2026-11-20T01:00:00Z' },
  };
}

const sesError = (status: number, type: string, message: string): CannedResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
  body: JSON.stringify({ message }),
});
const snsError = (status: number, type: string, code: string, message: string): CannedResponse => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
});

/** What each recipient's sends meet, by scenario: the proxies' one decision. */
class FaultPlan {
  readonly scenarioOf = new Map<string, Scenario>();
  readonly lostAnswers = new Map<string, number>();
  readonly throttles = new Map<string, number>();
  readonly injected = { lostAnswers: 0, throttles: 0, rejects: 0 };
  readonly loseFirst = new Set<string>();
  readonly loseAlways = new Set<string>();
  /** Whether the dead-lettered messages were moved back (the provider has recovered by then). */
  redriven = false;
  private readonly random: () => number;

  constructor(random: () => number) {
    this.random = random;
  }

  decide(key: string, permanent: () => CannedResponse, throttled: () => CannedResponse): Intercept {
    const scenario = this.scenarioOf.get(key);
    if (scenario === 'rejected') {
      this.injected.rejects++;
      return permanent();
    }
    if (scenario === 'deadLettered' && !this.redriven) {
      this.injected.throttles++;
      return throttled();
    }
    if (scenario === 'deadLettered') return undefined;
    if (scenario === 'throttled') {
      const so = this.throttles.get(key) ?? 0;
      if (this.random() >= 0.3 || so >= 2) return undefined;
      this.throttles.set(key, so + 1);
      this.injected.throttles++;
      return throttled();
    }
    const lost = this.lostAnswers.get(key) ?? 0;
    if (!this.loseAlways.has(key) && !(this.loseFirst.has(key) && lost === 0)) return undefined;
    this.lostAnswers.set(key, lost + 1);
    this.injected.lostAnswers++;
    return { loseAnswer: true };
  }
}

export async function runFaultSuite(): Promise<Record<string, number>> {
  const { startLocalStack } = await import('../../local/stack.ts');
  const { prepareLocalPipeline } = await import('../../local/runner/local-pipeline.ts');
  const { generateAccounts, generateMeterReadRows, seededRandom, toCsv } = await import(
    '../../local/runner/fixtures.ts'
  );
  const { startFaultProxy } = await import('../../test/integration/fault-proxy.ts');
  const { dropBillAndPlan, loadAccounts, SAMPLE_TARIFF_IDS } = await import(
    '../../test/integration/helpers.ts'
  );
  const { sqsNoticeQueue } = await import('#adapters/sqs-queues.ts');
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

  const total = Object.values(SCENARIOS).reduce((a, b) => a + b, 0);
  const accounts = generateAccounts(total, { seed: SEED, tariffIds: SAMPLE_TARIFF_IDS });
  const byScenario = new Map<Scenario, GeneratedAccount[]>();
  let next = 0;
  for (const [scenario, count] of Object.entries(SCENARIOS) as [Scenario, number][]) {
    byScenario.set(scenario, accounts.slice(next, next + count));
    next += count;
  }
  const plan = new FaultPlan(seededRandom(SEED + 1));
  for (const [scenario, group] of byScenario)
    for (const g of group) {
      const contact = g.account.contacts[0]!;
      if (contact.email !== undefined) plan.scenarioOf.set(recipientKey('email', contact.email), scenario);
      if (contact.phone !== undefined) plan.scenarioOf.set(recipientKey('sms', contact.phone), scenario);
    }
  for (const g of byScenario.get('replyLost')!.slice(0, 3))
    for (const [channel, address] of [
      ['email', g.account.contacts[0]!.email!],
      ['sms', g.account.contacts[0]!.phone!],
    ] as const)
      plan.loseFirst.add(recipientKey(channel, address));
  for (const c of WARNING_CASES)
    for (const key of [recipientKey('email', warningEmail(c)), recipientKey('sms', warningPhone(c))]) {
      plan.scenarioOf.set(key, 'replyLost');
      if (c === 'lost-once') plan.loseFirst.add(key);
      if (c === 'lost-always') plan.loseAlways.add(key);
    }

  const stack = await startLocalStack();
  const proxies: { stop(): Promise<void> }[] = [];
  try {
    const sesProxy = await startFaultProxy(stack.endpoints.ses!, ({ method, path, body }) => {
      if (method !== 'POST' || path !== '/v2/email/outbound-emails') return undefined;
      const to = (JSON.parse(body) as { Destination: { ToAddresses: string[] } }).Destination.ToAddresses[0]!;
      return plan.decide(
        recipientKey('email', to),
        () => sesError(400, 'MessageRejected', 'Email address is not verified.'),
        () => sesError(429, 'TooManyRequestsException', 'Maximum sending rate exceeded.'),
      );
    });
    proxies.push(sesProxy);
    const snsProxy = await startFaultProxy(stack.endpoints.sms!, ({ body }) => {
      const params = new URLSearchParams(body);
      if (params.get('Action') !== 'Publish') return undefined;
      return plan.decide(
        recipientKey('sms', params.get('PhoneNumber') ?? ''),
        () => snsError(400, 'Sender', 'InvalidParameter', 'Invalid parameter: PhoneNumber'),
        () => snsError(429, 'Sender', 'Throttled', 'Rate exceeded'),
      );
    });
    proxies.push(snsProxy);
    const pipeline = await prepareLocalPipeline(stack, {
      AWS_ENDPOINT_URL_SESV2: sesProxy.url,
      AWS_ENDPOINT_URL_SNS: snsProxy.url,
    });
    try {
      await loadAccounts(
        pipeline,
        accounts.map((g) => g.account),
      );
      await dropBillAndPlan(
        pipeline,
        `drops/reads/${PERIOD}/bench-faults.csv`,
        toCsv(generateMeterReadRows(accounts, PERIOD)),
      );
      const replyLost = byScenario.get('replyLost')!;
      const warnings = WARNING_CASES.flatMap((c, i) =>
        (['email', 'sms'] as const).map((channel) =>
          warningPlan(replyLost[3 + i]!.account.accountId, c, channel),
        ),
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
      const messagesDeadLettered = await redrive(pipeline.queues.dlqUrl, pipeline.queues.queueUrl, () => {
        plan.redriven = true;
      });
      await pipeline.sendNotices();

      const notices: StoredNotice[] = [];
      for (const g of accounts)
        notices.push(...(await pipeline.stores.notices.listNotices(g.account.accountId)));
      const received: ReceivedMessage[] = [
        ...(await stack.ses!.listEmails()).flatMap((e) =>
          e.destination.to.map((to) => ({ channel: 'email' as const, recipient: to })),
        ),
        ...stack.sms!.messages().map((m) => ({ channel: 'sms' as const, recipient: m.phoneNumber })),
      ];
      console.log(
        `  injected: ${plan.injected.lostAnswers} lost answers, ${plan.injected.throttles} throttles, ` +
          `${plan.injected.rejects} permanent rejects, ${duplicatedDeliveries} duplicated queue deliveries`,
      );
      return {
        ...figuresOf(notices, received, plan),
        // The faults really happened: a suite that injected nothing would report 0 lost for nothing.
        'faults.injectedLostAnswers': plan.injected.lostAnswers,
        'faults.injectedThrottles': plan.injected.throttles,
        'faults.injectedRejects': plan.injected.rejects,
        'faults.duplicatedDeliveries': duplicatedDeliveries,
        'faults.deadLettered.messagesDeadLettered': messagesDeadLettered.moved,
        'faults.deadLettered.messagesLeftOnDeadLetterQueue': messagesDeadLettered.left,
      };
    } finally {
      pipeline.close();
    }
  } finally {
    await Promise.all(proxies.map((p) => p.stop()));
    await stack.stop();
  }
}

/**
 * Moves every message of the dead-letter queue back to its queue, as `aws sqs start-message-move-task` does
 * (body and attributes unchanged), after `recovered`; answers how many moved and how many are left.
 */
async function redrive(
  dlqUrl: string,
  queueUrl: string,
  recovered: () => void,
): Promise<{ moved: number; left: number }> {
  const {
    DeleteMessageCommand,
    GetQueueAttributesCommand,
    ReceiveMessageCommand,
    SendMessageCommand,
    SQSClient,
  } = await import('@aws-sdk/client-sqs');
  const client = new SQSClient({});
  try {
    recovered();
    let moved = 0;
    for (;;) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        await client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: message.Body ?? '',
            ...(message.MessageAttributes === undefined
              ? {}
              : { MessageAttributes: message.MessageAttributes }),
          }),
        );
        await client.send(
          new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }),
        );
        moved++;
      }
    }
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlqUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const left =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    return { moved, left };
  } finally {
    client.destroy();
  }
}

const KINDS: [NoticeKind, string][] = [
  ['bill-preview', 'previews'],
  ['arrears-warning', 'warnings'],
];

/** Per scenario and kind, then the totals; prints one line each and why each duplicate was allowed. */
function figuresOf(
  notices: readonly StoredNotice[],
  received: readonly ReceivedMessage[],
  plan: FaultPlan,
): Record<string, number> {
  const planned = notices.map((n) => ({
    noticeId: n.noticeId,
    kind: n.kind,
    accountId: n.accountId,
    channel: n.channel,
    recipient: n.recipient.address,
    status: n.status,
    ...(n.uncertainResends === undefined ? {} : { uncertainResends: n.uncertainResends }),
  }));
  const result: Record<string, number> = {};
  for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
    for (const [kind, label] of KINDS) {
      const mine = planned.filter(
        (n) => n.kind === kind && plan.scenarioOf.get(recipientKey(n.channel, n.recipient)) === scenario,
      );
      if (mine.length === 0) continue;
      const keys = new Set(mine.map((n) => recipientKey(n.channel, n.recipient)));
      const f = countDeliveries(
        mine,
        received.filter((m) => keys.has(recipientKey(m.channel, m.recipient))),
      );
      const prefix = `faults.${scenario}.${label}`;
      Object.assign(result, {
        [`${prefix}Expected`]: f.expected,
        [`${prefix}Sent`]: f.sent,
        [`${prefix}Lost`]: f.lost,
        [`${prefix}Failed`]: f.failed,
        [`${prefix}Duplicated`]: f.duplicated,
        [`${prefix}AllowedDuplicates`]: f.allowedDuplicates,
      });
      console.log(
        `  ${scenario} ${label}: expected ${f.expected}, sent ${f.sent}, lost ${f.lost}, failed ${f.failed}, ` +
          `duplicated ${f.duplicated} (${f.allowedDuplicates} allowed by policy, ${f.unexplainedDuplicates} unexplained)`,
      );
      for (const because of f.allowedBecause) console.log(`    allowed: ${because}`);
    }
  }
  const all = countDeliveries(planned, received);
  console.log(
    `  all: expected ${all.expected}, sent ${all.sent}, lost ${all.lost}, failed ${all.failed}, duplicated ${all.duplicated}, unplanned ${all.unplanned}`,
  );
  return {
    ...result,
    'faults.expected': all.expected,
    'faults.sent': all.sent,
    'faults.lost': all.lost,
    'faults.failed': all.failed,
    'faults.duplicated': all.duplicated,
    'faults.allowedDuplicates': all.allowedDuplicates,
    'faults.unexplainedDuplicates': all.unexplainedDuplicates,
    'faults.unplanned': all.unplanned,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === 'run') {
    console.log(JSON.stringify(await runFaultSuite()));
  } else {
    for (const [key, value] of Object.entries(await benchFaults()))
      console.log(`  ${key.padEnd(44)} ${value}`);
  }
  // The SDK's keep-alive sockets to stopped emulators would otherwise hold the process open a while.
  process.exit(0);
}
