import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArrearsPolicy, DEFAULT_ARREARS_POLICY, parseArrearsPolicy } from '#domain/arrears/index.ts';
import { DEFAULT_FEED_CALENDAR, meterReadsDue } from '#domain/feed-calendar.ts';
import { smsSegments } from '#notify/sms.ts';
import type { OperatorResponse } from '#services/operator-commands.ts';
import { awsCallsOf } from '../../local/runner/aws-call-parser.ts';
import { invocationsSoFar, recordAwsCalls } from '../../local/runner/aws-call-recorder.ts';
import { type BillingCycleSummary, LOCAL_NAMES, runBillingCycle } from '../../local/runner/billing-cycle.ts';
import { matchesPattern } from '../../local/runner/event-pattern.ts';
import { invoke } from '../../local/runner/local-pipeline.ts';
import { localVisibilitySeconds } from '../../local/runner/pipeline-wiring.ts';
import {
  handlersFromBundles,
  readSynthesizedStack,
  type SynthesizedStack,
} from '../../local/runner/synthesized-stack.ts';
import { TemplateValues } from '../../local/runner/template-values.ts';
import { type FunctionWiring, functionWiring } from '../../local/runner/template-wiring.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { DEPLOYED_RUN_FILE, type DeployedRun, RUN_PHASES } from '../../scripts/cost/deployed-run.ts';
import { deployedArns, inDeployedNames, localNames } from './deployed-names.ts';
import { impliedKmsCalls } from './implied-kms.ts';
import { explainUnused, staleEntries } from './kept-grants.ts';
import { denials, grantLines, statementsOfRole, unusedGrants } from './role-policies.ts';
import { ARREARS_POLICY_FIXTURE } from './synthesize-once.ts';

/*
 * What AWS will run, run: the bundles `cdk synth` left in cdk.out (synthesized once for this run by
 * synthesize-once.ts), each found through the template by its handler name and loaded by Node itself,
 * drive the whole path on the local stack — a meter-read drop, its bills, their notices, customers'
 * answers from the links in those emails (API Gateway v2 events to the answers function), SES delivery
 * events, a step of the arrears ladder and operator commands. The stack is synthesized with an arrears
 * policy of its own (synthesize-once.ts), as a deployment for customers is. Every AWS call each function makes on the
 * way (and the calls its event source makes under its role) is recorded and checked against that
 * function's role policies in the template.
 */

const PERIOD = '2026-10';
const ACCOUNTS = 4;

/** How far the run had got: its calls, invocations (the process's log) and SMS so far. */
type Mark = { calls: number; invocations: number; sms: number };

describe('the synthesized bundles on the local stack', () => {
  let stack: LocalStack;
  let synthesized: SynthesizedStack;
  let summary: BillingCycleSummary;
  let calls: DeployedRun['calls'];
  let deliveryOutcomes: unknown[];
  let arrearsOutcome: unknown;
  /** Every email and SMS sent by the end of the arrears step, as JSON. */
  let sentTexts: string;
  let operatorResponses: OperatorResponse[];

  beforeAll(async () => {
    synthesized = readSynthesizedStack();
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const handlers = handlersFromBundles(synthesized);
    const values = new TemplateValues(synthesized.template, {
      region: process.env.AWS_REGION ?? 'cn-north-1',
      account: '000000000000',
    });
    // The template's wiring, its names those of the local stack (read once the pipeline set its environment).
    const byFunction = (functionName: string): FunctionWiring => {
      const local = localNames(synthesized, values, process.env as Record<string, string>);
      const own = functionWiring(synthesized.template, functionName);
      return { ...own, rulePatterns: own.rulePatterns.map((p) => local(values.resolve(p)) as typeof p) };
    };
    const wiring = { byFunction, environment: templateEnvironment(synthesized, values) };
    const timeoutOf = (handlerName: string) => synthesized.functionByHandler(handlerName).timeoutSeconds;
    const invocationsBefore = invocationsSoFar().length;
    // Where the cycle ends and the arrears step ends, for the cost's phases (scripts/cost/deployed-run.ts).
    const marks: Mark[] = [];
    const recording = recordAwsCalls(awsCallsOf, {
      region: process.env.AWS_REGION ?? 'cn-north-1',
      account: '000000000000',
    });
    try {
      summary = await runBillingCycle({
        stack,
        accounts: ACCOUNTS,
        period: PERIOD,
        handlers,
        wiring,
        keepPipeline: true,
        simulateAnswers: true,
      });
      const pipeline = summary.kept!.pipeline;
      const mark = () => ({
        calls: recording.calls.length,
        invocations: invocationsSoFar().length,
        sms: stack.sms!.messages().length,
      });
      const recordDelivery = (await handlers('record-delivery')).handler;
      deliveryOutcomes = [];
      const deliveryRules = byFunction('keybill-record-delivery').rulePatterns;
      for (const email of (await stack.ses!.listEmails()).slice(0, 3)) {
        const event = sesDeliveryEvent(email.messageId);
        // Delivered as EventBridge would: only when a rule of the template routes it to the function.
        if (!deliveryRules.some((pattern) => matchesPattern(pattern, event))) continue;
        deliveryOutcomes.push(
          await invoke(recordDelivery, event, 'keybill-record-delivery', timeoutOf('record-delivery')),
        );
      }
      marks.push(mark());
      // As Scheduler fires it: the template's expression and time zone give the instant, its input the event.
      [arrearsOutcome] = await pipeline.fireSchedule('keybill-daily-arrears-scan', '2026-11-21');
      await pipeline.sendNotices();
      sentTexts = JSON.stringify([await stack.ses!.listEmails(), stack.sms!.messages()]);
      marks.push(mark());
      const operator = (await handlers('operator')).handler;
      const accountId = summary.kept!.accounts[0]!.account.accountId;
      operatorResponses = [];
      for (const command of [
        { command: 'list-runs', period: PERIOD },
        { command: 'show-bill', accountId, period: PERIOD },
        { command: 'list-notices', accountId },
        { command: 'release-deferred' },
        { command: 'run-drop', bucket: LOCAL_NAMES.bucket, key: summary.counts.dropKey },
        // The scheduled commands and the dead-letter listing: their grants are exercised, not assumed.
        { command: 'reconcile-uncertain' },
        { command: 'escalate-follow-ups' },
        { command: 'list-follow-ups', overdueOnly: false },
        { command: 'list-pending-approvals' },
        { command: 'list-held-bills', period: PERIOD },
        { command: 'list-dead-letters', sample: 1 },
      ]) {
        operatorResponses.push(
          (await invoke(operator, command, 'keybill-operator', timeoutOf('operator'))) as OperatorResponse,
        );
      }
      // The hourly check (at minute 15) as Scheduler fires it, the first time after the period's reads were
      // due: it checks as of its scheduled time, so the run's period is the one due whatever today's date.
      const due = Date.parse(`${meterReadsDue(DEFAULT_FEED_CALENDAR, PERIOD).replace(' ', 'T')}:00+08:00`);
      const checkAt = new Date(due + 75 * 60_000).toISOString();
      operatorResponses.push(
        ...((await pipeline.fireSchedule('keybill-check-drops', checkAt)) as OperatorResponse[]),
      );
      pipeline.close();
    } finally {
      recording.stop();
    }
    const phaseAt = (index: number, of: 'calls' | 'invocations') =>
      RUN_PHASES[marks.filter((m) => index >= m[of]).length]!;
    const made = inDeployedNames(recording.calls, deployedArns(synthesized, values, summary.env)).map(
      (call, index) => ({ ...call, phase: phaseAt(index, 'calls') }),
    );
    // The implied calls are copies of the calls they follow from, phase included.
    calls = [...made, ...(impliedKmsCalls(made, synthesized.template, values) as typeof made)];
    permissionReport = synthesized.functions.map((fn) => {
      const own = calls.filter((c) => c.functionName === fn.functionName);
      const statements = statementsOfRole(synthesized.template, values, fn.roleLogicalId);
      const { keptOnPurpose, unexplained } = explainUnused(fn.handlerName, unusedGrants(own, statements));
      return {
        functionName: fn.functionName,
        calls: own.length,
        denied: denials(own, statements),
        unused: unexplained,
        keptOnPurpose,
        staleReasons: staleEntries(fn.handlerName, grantLines(statements)),
      };
    });
    mkdirSync('out', { recursive: true });
    writeFileSync('out/permissions-report.json', `${JSON.stringify(permissionReport, null, 2)}\n`);
    // The run's figures for `npm run cost`: what a cycle of ACCOUNTS accounts made each function do.
    const sms = stack.sms!.messages();
    const smsPartsBetween = (from: number, to: number) =>
      sms.slice(from, to).reduce((parts, m) => parts + smsSegments(m.message).segments, 0);
    const [cycleEnd, arrearsEnd] = marks as [Mark, Mark];
    const run: DeployedRun = {
      accounts: ACCOUNTS,
      recordedAt: new Date().toISOString(),
      invocations: invocationsSoFar()
        .map((invocation, index) => ({ ...invocation, phase: phaseAt(index, 'invocations') }))
        .slice(invocationsBefore),
      calls,
      smsParts: {
        cycle: smsPartsBetween(0, cycleEnd.sms),
        'arrears-step': smsPartsBetween(cycleEnd.sms, arrearsEnd.sms),
        operator: smsPartsBetween(arrearsEnd.sms, sms.length),
      },
    };
    writeFileSync(DEPLOYED_RUN_FILE, `${JSON.stringify(run)}\n`);
  });

  let permissionReport: {
    functionName: string;
    calls: number;
    denied: ReturnType<typeof denials>;
    unused: string[];
    keptOnPurpose: { grant: string; reason: string }[];
    staleReasons: string[];
  }[];

  afterAll(async () => {
    await stack?.stop();
  });

  it('bills every account of the drop and sends its previews through the bundles', () => {
    expect(summary.counts.accountsBilled).toBe(ACCOUNTS);
    expect(summary.counts.emailsSent).toBeGreaterThan(0);
    expect(summary.counts.smsSent).toBeGreaterThan(0);
    expect(summary.counts.noticesFailed).toBe(0);
    expect(summary.counts.redeliveredDropOutcome).toBe('duplicate');
  });

  it("records the customers' answers opened from the sent emails, a follow-up for the call request", () => {
    expect(summary.counts.answersRecorded).toBeGreaterThanOrEqual(1);
    expect(summary.counts.followUpsOpened).toBeGreaterThanOrEqual(1);
  });

  it('records SES delivery events on the notices they are about', () => {
    expect(deliveryOutcomes.length).toBeGreaterThan(0);
    for (const outcome of deliveryOutcomes) expect(JSON.stringify(outcome)).not.toContain('unknown');
  });

  it("creates each local queue with the template's redrive count and its visibility timeout times the local time factor", async () => {
    const sqs = new SQSClient({});
    try {
      const local = async (queueName: string) => {
        const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }),
        );
        const redrive = JSON.parse(Attributes.RedrivePolicy ?? '{}') as { maxReceiveCount?: unknown };
        return {
          visibility: Number(Attributes.VisibilityTimeout),
          maxReceiveCount: Number(redrive.maxReceiveCount),
        };
      };
      for (const [queueName, functionName] of [
        [LOCAL_NAMES.queue, 'keybill-send-notice'],
        [LOCAL_NAMES.billChunkQueue, 'keybill-bill-chunk'],
        [LOCAL_NAMES.arrearsChunkQueue, 'keybill-arrears-chunk'],
      ] as const) {
        const [source] = functionWiring(synthesized.template, functionName).eventSources;
        expect({ queueName, ...(await local(queueName)) }).toEqual({
          queueName,
          visibility: localVisibilitySeconds(source!.visibilityTimeoutSeconds!),
          maxReceiveCount: source!.maxReceiveCount,
        });
      }
    } finally {
      sqs.destroy();
    }
  });

  it("ranks the period's accounts when the template's monthly schedule fires rank-accounts", () => {
    expect(summary.counts.keyAccounts).toBeGreaterThan(0);
  });

  it('takes a step of the arrears ladder and answers every operator command', () => {
    expect(arrearsOutcome).toBeDefined();
    const failed = operatorResponses.filter((r) => !r.ok);
    expect(operatorResponses).toHaveLength(12);
    expect(failed).toEqual([]);
  });

  it("warns with the payment instructions of the deployment's arrears policy, read from beside each function's code", () => {
    const fixture = parseArrearsPolicy(JSON.parse(readFileSync(ARREARS_POLICY_FIXTURE, 'utf8')));
    const accountOf = (policy: ArrearsPolicy) => /\d{4}(?: \d{4}){3}/.exec(policy.paymentInstructions.en)![0];
    for (const fn of synthesized.functions) {
      expect(fn.environment.ARREARS_POLICY_FILE, fn.functionName).toBe('arrears-policy.json');
    }
    expect(sentTexts).toContain(accountOf(fixture));
    // The illustrative default's placeholder account reaches no customer.
    expect(sentTexts).not.toContain(accountOf(DEFAULT_ARREARS_POLICY));
  });

  it('gives every function each variable of its environment in the template', () => {
    const missing = synthesized.functions.flatMap((fn) =>
      Object.keys(fn.environment)
        .filter((variable) => summary.env[variable] === undefined && process.env[variable] === undefined)
        .map((variable) => `${fn.functionName} ${variable}`),
    );
    expect(missing).toEqual([]);
  });

  it('ran every function of the template, each making AWS calls', () => {
    const silent = synthesized.functions
      .map((f) => f.functionName)
      .filter((name) => !calls.some((c) => c.functionName === name));
    expect(silent).toEqual([]);
  });

  it('makes no AWS call its role does not allow (function, action and resource named)', () => {
    const refused = permissionReport.flatMap((r) =>
      r.denied.map((d) => `${d.functionName}: ${d.action} on ${d.resource} is ${d.decision} by its role`),
    );
    expect(refused).toEqual([]);
  });

  it('grants nothing that no call used and test/bundles/kept-grants.ts does not explain (least privilege)', () => {
    const kept = permissionReport.map((r) => `${r.functionName} ${r.keptOnPurpose.length}`).join(', ');
    console.log(`grants kept on purpose, unused in this run (out/permissions-report.json): ${kept}`);
    expect(permissionReport.flatMap((r) => r.unused.map((g) => `${r.functionName}: ${g}`))).toEqual([]);
  });

  it('explains in kept-grants.ts only grants the roles have (no stale reason)', () => {
    expect(permissionReport.flatMap((r) => r.staleReasons)).toEqual([]);
  });
});

/**
 * Every function's environment from the template, resolved, as one process environment (the bundles
 * share this process). Two values are the local run's own: each function's Powertools service name is
 * set per invocation by its handler's construct and cannot be one per process, and quiet hours are
 * emptied so the test does not depend on the time of day (quiet hours have tests of their own).
 */
function templateEnvironment(stack: SynthesizedStack, values: TemplateValues): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const fn of stack.functions) {
    for (const [variable, value] of Object.entries(fn.environment)) {
      if (variable !== 'POWERTOOLS_SERVICE_NAME') environment[variable] = String(values.resolve(value));
    }
  }
  return { ...environment, QUIET_HOURS: '' };
}

/** An SES "Email Delivered" configuration-set event as EventBridge delivers it. */
function sesDeliveryEvent(messageId: string) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Email Delivered',
    source: 'aws.ses',
    account: '000000000000',
    time: new Date().toISOString(),
    region: process.env.AWS_REGION ?? 'cn-north-1',
    resources: [],
    detail: {
      eventType: 'Delivery',
      mail: {
        timestamp: new Date().toISOString(),
        messageId,
        tags: { 'ses:configuration-set': ['keybill-previews'] },
      },
      delivery: { timestamp: new Date().toISOString(), recipients: [], smtpResponse: '250 ok' },
    },
  };
}
