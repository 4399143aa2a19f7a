import { createHash, randomUUID } from 'node:crypto';
import type { NoticePlan } from '#domain/notices.ts';
import type { GeneratedAccount } from '../../local/runner/fixtures.ts';
import type { LocalStack } from '../../local/stack.ts';
import {
  type CannedResponse,
  type FaultProxy,
  type Intercept,
  startFaultProxy,
} from '../../test/integration/fault-proxy.ts';
import { recipientKey } from './fault-figures.ts';

/* The fault suite's scenarios (scripts/bench/faults.ts): which recipient meets which fault, and the proxies that inject them. */

export const PERIOD = '2026-10';
export const SCENARIOS = { replyLost: 6, throttled: 10, rejected: 3, deadLettered: 2 } as const;
export type Scenario = keyof typeof SCENARIOS;
type WarningCase = 'lost-once' | 'lost-always' | 'answered';
const WARNING_CASES: readonly WarningCase[] = ['lost-once', 'lost-always', 'answered'];

const warningEmail = (c: WarningCase) => `warned-${c}@keybill-power.example.cn`;
const warningPhone = (c: WarningCase) => `1390000${String(WARNING_CASES.indexOf(c) + 1).padStart(4, '0')}`;

/** An arrears warning as the arrears ladder plans it (its text is its content), labelled for the suite. */
export function benchWarning(
  accountId: string,
  label: string,
  channel: 'email' | 'sms',
  address: string,
): NoticePlan {
  const text = `尊敬的客户：您的电费已逾期，如未缴清，将于 2026-11-20 09:00 停电。(${label})`;
  return {
    noticeId: `ARREARS#${createHash('sha256').update(`bench-faults#${label}#${channel}`).digest('hex').slice(0, 32)}`,
    kind: 'arrears-warning',
    accountId,
    period: PERIOD,
    billVersion: 0,
    channel,
    recipient: { role: 'customer', name: label, address, language: 'zh-CN' },
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
export class FaultPlan {
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

/** The accounts of each scenario, in SCENARIOS order. */
export function accountsByScenario(accounts: readonly GeneratedAccount[]): Map<Scenario, GeneratedAccount[]> {
  const byScenario = new Map<Scenario, GeneratedAccount[]>();
  let next = 0;
  for (const [scenario, count] of Object.entries(SCENARIOS) as [Scenario, number][]) {
    byScenario.set(scenario, accounts.slice(next, next + count));
    next += count;
  }
  return byScenario;
}

/**
 * The plan: every account contact in its scenario; the first 3 replyLost accounts' previews lose their
 * first answer; the warnings (on the other replyLost accounts) lose their first answer, every one, or none.
 * Answers the warnings to plan and queue.
 */
export function planFaults(
  plan: FaultPlan,
  byScenario: ReadonlyMap<Scenario, GeneratedAccount[]>,
): NoticePlan[] {
  for (const [scenario, group] of byScenario)
    for (const g of group) {
      const contact = g.account.contacts[0]!;
      if (contact.email !== undefined) plan.scenarioOf.set(recipientKey('email', contact.email), scenario);
      if (contact.phone !== undefined) plan.scenarioOf.set(recipientKey('sms', contact.phone), scenario);
    }
  const replyLost = byScenario.get('replyLost')!;
  for (const g of replyLost.slice(0, 3))
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
  return WARNING_CASES.flatMap((c, i) =>
    (['email', 'sms'] as const).map((channel) =>
      benchWarning(
        replyLost[3 + i]!.account.accountId,
        c,
        channel,
        channel === 'email' ? warningEmail(c) : warningPhone(c),
      ),
    ),
  );
}

/** Proxies in front of the SES emulator and the SMS recorder, each send decided by the plan. */
export async function startFaultProxies(
  stack: LocalStack,
  plan: FaultPlan,
): Promise<{ ses: FaultProxy; sms: FaultProxy }> {
  const ses = await startFaultProxy(stack.endpoints.ses!, ({ method, path, body }) => {
    if (method !== 'POST' || path !== '/v2/email/outbound-emails') return undefined;
    const to = (JSON.parse(body) as { Destination: { ToAddresses: string[] } }).Destination.ToAddresses[0]!;
    return plan.decide(
      recipientKey('email', to),
      () => sesError(400, 'MessageRejected', 'Email address is not verified.'),
      () => sesError(429, 'TooManyRequestsException', 'Maximum sending rate exceeded.'),
    );
  });
  try {
    const sms = await startFaultProxy(stack.endpoints.sms!, ({ body }) => {
      const params = new URLSearchParams(body);
      if (params.get('Action') !== 'Publish') return undefined;
      return plan.decide(
        recipientKey('sms', params.get('PhoneNumber') ?? ''),
        () => snsError(400, 'Sender', 'InvalidParameter', 'Invalid parameter: PhoneNumber'),
        () => snsError(429, 'Sender', 'Throttled', 'Rate exceeded'),
      );
    });
    return { ses, sms };
  } catch (error) {
    await ses.stop();
    throw error;
  }
}
