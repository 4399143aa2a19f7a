import { createHash, randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsNoticeQueue } from '#adapters/sqs-queues.ts';
import { NOTICE_TAG, type NoticePlan, type StoredNotice } from '#domain/notices.ts';
import { lambdaContext } from '../../local/runner/aws-events.ts';
import {
  type GeneratedAccount,
  generateAccounts,
  generateMeterReadRows,
  seededRandom,
  toCsv,
} from '../../local/runner/fixtures.ts';
import { type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import {
  type LocalStack,
  type RecordedSms,
  type SesStoredEmail,
  startLocalStack,
} from '../../local/stack.ts';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';
import { dropBillAndPlan, loadAccounts, noticesOf, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * Issue 11, defect 7: SES or SNS accepts a message and its answer is lost (the connection is reset after
 * the provider answered). Proxies in front of the SES emulator and the SMS recorder pass the send on, let
 * the provider accept it, and reset the sender's connection instead of returning the answer:
 * - bill previews of LOST_PREVIEW_ACCOUNTS accounts (email and SMS) lose their first answer: the customer
 *   must get each preview once (it is UNCERTAIN, never resent), and SES's events reconcile the email;
 * - arrears warnings (email and SMS): one recipient loses the first answer (resent once, the duplicate
 *   counted), one loses every answer (two copies at most, still UNCERTAIN), one loses none;
 * - the queue pump hands 20 % of received messages to the handler twice.
 */

const PERIOD = '2026-10';
const SEED = 20261202;
const ACCOUNTS = 6;
const LOST_PREVIEW_ACCOUNTS = 3;
const e164 = (phone: string) => `+86${phone}`;

type WarningCase = 'lost-once' | 'lost-always' | 'answered';
const WARNING_CASES: readonly WarningCase[] = ['lost-once', 'lost-always', 'answered'];
const warningEmail = (c: WarningCase) => `warned-${c}@keybill-power.example.cn`;
const warningPhone = (c: WarningCase) => `1390000${String(WARNING_CASES.indexOf(c) + 1).padStart(4, '0')}`;

/** An arrears warning as the arrears ladder plans it: its exact text is the notice's content. */
function warningPlan(account: GeneratedAccount, c: WarningCase, channel: 'email' | 'sms'): NoticePlan {
  const text = `尊敬的客户：您的电费已逾期，如未缴清，将于 2026-11-20 09:00 停电。(${c})`;
  return {
    noticeId: `ARREARS#${createHash('sha256').update(`${c}#${channel}`).digest('hex').slice(0, 32)}`,
    kind: 'arrears-warning',
    accountId: account.account.accountId,
    period: PERIOD,
    billVersion: 0,
    channel,
    recipient: {
      role: 'customer',
      name: c,
      address: channel === 'email' ? warningEmail(c) : warningPhone(c),
      language: 'zh-CN',
    },
    content: {
      subject: '停电预警',
      text,
      textSha256: createHash('sha256').update(text).digest('hex'),
    },
    evidence: { level: 2, disconnectAt: '2026-11-20T01:00:00Z' },
  };
}

const countBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

describe('sends whose answer is lost after the provider accepted them (local stack)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let proxies: FaultProxy[] = [];
  let accounts: GeneratedAccount[];
  let lostAccounts: GeneratedAccount[];
  let previews: StoredNotice[];
  let warnings: Map<string, StoredNotice>;
  let emails: SesStoredEmail[];
  let sms: RecordedSms[];
  /** Answers the proxies lost, by recipient (email address or E.164 number). */
  const lostAnswers = new Map<string, number>();
  /** The notice tag of every SendEmail request, by recipient. */
  const emailTags = new Map<string, string>();

  const emailOf = (g: GeneratedAccount) => g.account.contacts[0]!.email!;
  const phoneOf = (g: GeneratedAccount) => e164(g.account.contacts[0]!.phone!);

  /** Whether to lose the answer to this send (the provider still gets it and accepts it). */
  function loseAnswer(recipient: string): boolean {
    const lostSoFar = lostAnswers.get(recipient) ?? 0;
    const always =
      recipient === warningEmail('lost-always') || recipient === e164(warningPhone('lost-always'));
    const once =
      recipient === warningEmail('lost-once') ||
      recipient === e164(warningPhone('lost-once')) ||
      lostAccounts.some((g) => emailOf(g) === recipient || phoneOf(g) === recipient);
    if (!always && !(once && lostSoFar === 0)) return false;
    lostAnswers.set(recipient, lostSoFar + 1);
    return true;
  }

  beforeAll(async () => {
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    accounts = generateAccounts(ACCOUNTS, { seed: SEED, tariffIds: SAMPLE_TARIFF_IDS });
    lostAccounts = accounts.slice(0, LOST_PREVIEW_ACCOUNTS);

    const sesProxy = await startFaultProxy(stack.endpoints.ses!, ({ method, path, body }) => {
      if (method !== 'POST' || path !== '/v2/email/outbound-emails') return undefined;
      const request = JSON.parse(body) as {
        Destination: { ToAddresses: string[] };
        EmailTags?: { Name: string; Value: string }[];
      };
      const to = request.Destination.ToAddresses[0]!;
      const tag = request.EmailTags?.find((t) => t.Name === NOTICE_TAG)?.Value;
      if (tag !== undefined) emailTags.set(to, tag);
      return loseAnswer(to) ? { loseAnswer: true } : undefined;
    });
    const snsProxy = await startFaultProxy(stack.endpoints.sms!, ({ body }) => {
      const params = new URLSearchParams(body);
      if (params.get('Action') !== 'Publish') return undefined;
      return loseAnswer(params.get('PhoneNumber') ?? '') ? { loseAnswer: true } : undefined;
    });
    proxies = [sesProxy, snsProxy];
    pipeline = await prepareLocalPipeline(stack, {
      AWS_ENDPOINT_URL_SESV2: sesProxy.url,
      AWS_ENDPOINT_URL_SNS: snsProxy.url,
    });
    await loadAccounts(
      pipeline,
      accounts.map((g) => g.account),
    );
    await dropBillAndPlan(
      pipeline,
      `drops/reads/${PERIOD}/meter-reads-${PERIOD}.csv`,
      toCsv(generateMeterReadRows(accounts, PERIOD)),
    );
    // The warnings, planned and queued as the arrears ladder does, on the same queue.
    const plans = WARNING_CASES.flatMap((c, i) =>
      (['email', 'sms'] as const).map((channel) =>
        warningPlan(accounts[LOST_PREVIEW_ACCOUNTS + i]!, c, channel),
      ),
    );
    for (const plan of plans) await pipeline.stores.notices.createNotice(plan);
    await sqsNoticeQueue(pipeline.queues.queueUrl).enqueue(
      plans.map((p) => ({ accountId: p.accountId, noticeId: p.noticeId })),
    );

    const duplicateRandom = seededRandom(SEED + 1);
    await pipeline.sendNotices({ duplicate: () => duplicateRandom() < 0.2 });

    const all = await noticesOf(pipeline, accounts);
    previews = all.filter((n) => n.kind === 'bill-preview');
    warnings = new Map(
      all.filter((n) => n.kind === 'arrears-warning').map((n) => [n.recipient.address, n] as const),
    );
    emails = await stack.ses!.listEmails();
    sms = stack.sms!.messages();
  }, 240_000);

  afterAll(async () => {
    pipeline?.close();
    await Promise.all(proxies.map((p) => p.stop()));
    await stack?.stop();
  });

  it('lost the first answer of every chosen preview and warning, on both channels', () => {
    for (const g of lostAccounts) {
      expect(lostAnswers.get(emailOf(g)), emailOf(g)).toBe(1);
      expect(lostAnswers.get(phoneOf(g)), phoneOf(g)).toBe(1);
    }
    expect(lostAnswers.get(warningEmail('lost-once'))).toBe(1);
    expect(lostAnswers.get(warningEmail('lost-always'))).toBe(2);
    expect(lostAnswers.get(e164(warningPhone('lost-always')))).toBe(2);
  });

  it('sends every bill preview exactly once, whether its answer was lost or not', () => {
    expect(previews).toHaveLength(2 * ACCOUNTS);
    const previewEmails = emails.filter((e) => accounts.some((g) => emailOf(g) === e.destination.to[0]));
    const previewSms = sms.filter((m) => accounts.some((g) => phoneOf(g) === m.phoneNumber));
    expect(countBy(previewEmails, (e) => e.destination.to[0]!)).toEqual(
      new Map(accounts.map((g) => [emailOf(g), 1])),
    );
    expect(countBy(previewSms, (m) => m.phoneNumber)).toEqual(new Map(accounts.map((g) => [phoneOf(g), 1])));
  });

  it('leaves a preview whose answer was lost UNCERTAIN, with the reason, after one attempt', () => {
    for (const notice of previews) {
      const lost = lostAccounts.some((g) => g.account.accountId === notice.accountId);
      if (!lost) {
        expect(notice.status, notice.noticeId).toBe('SENT');
        continue;
      }
      expect(notice.status, notice.noticeId).toBe('UNCERTAIN');
      expect(notice.attempts).toBe(1);
      expect(notice.providerMessageId).toBeUndefined();
      expect(notice.lastError).toMatch(/^AmbiguousSendError|ECONNRESET|socket hang up/i);
      expect(notice.uncertainResends).toBeUndefined();
    }
  });

  it('resends a warning whose first answer was lost once, and counts the duplicate', () => {
    for (const address of [warningEmail('lost-once'), warningPhone('lost-once')]) {
      const notice = warnings.get(address)!;
      expect(notice, address).toMatchObject({ status: 'SENT', uncertainResends: 1 });
      expect(notice.timeline.map((t) => t.status)).toEqual([
        'QUEUED',
        'SENDING',
        'UNCERTAIN',
        'SENDING',
        'SENT',
      ]);
    }
    expect(emails.filter((e) => e.destination.to[0] === warningEmail('lost-once'))).toHaveLength(2);
    expect(sms.filter((m) => m.phoneNumber === e164(warningPhone('lost-once')))).toHaveLength(2);
  });

  it('sends a warning at most twice when every answer is lost, and leaves it UNCERTAIN', () => {
    for (const address of [warningEmail('lost-always'), warningPhone('lost-always')]) {
      expect(warnings.get(address), address).toMatchObject({ status: 'UNCERTAIN', uncertainResends: 1 });
    }
    expect(emails.filter((e) => e.destination.to[0] === warningEmail('lost-always'))).toHaveLength(2);
    expect(sms.filter((m) => m.phoneNumber === e164(warningPhone('lost-always')))).toHaveLength(2);
  });

  it('sends an answered warning once, with no duplicate counted', () => {
    for (const address of [warningEmail('answered'), warningPhone('answered')]) {
      const notice = warnings.get(address)!;
      expect(notice.status, address).toBe('SENT');
      expect(notice.uncertainResends).toBeUndefined();
    }
    expect(emails.filter((e) => e.destination.to[0] === warningEmail('answered'))).toHaveLength(1);
    expect(sms.filter((m) => m.phoneNumber === e164(warningPhone('answered')))).toHaveLength(1);
  });

  it('loses nothing: every message is handled and nothing is left on the queue or its dead-letter queue', async () => {
    const messagesSent = emails.length + sms.length;
    const duplicatesCounted = [...warnings.values()].reduce((sum, n) => sum + (n.uncertainResends ?? 0), 0);
    // 12 previews + 6 warnings, plus one counted duplicate per resent warning (4): nothing more.
    expect({ messagesSent, duplicatesCounted }).toEqual({
      messagesSent: 2 * ACCOUNTS + 6 + 4,
      duplicatesCounted: 4,
    });
    const client = new SQSClient({});
    try {
      for (const queueUrl of [pipeline.queues.queueUrl, pipeline.queues.dlqUrl]) {
        const out = await client.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        expect(out.Attributes, queueUrl).toEqual({
          ApproximateNumberOfMessages: '0',
          ApproximateNumberOfMessagesNotVisible: '0',
        });
      }
    } finally {
      client.destroy();
    }
  });

  describe('SES events reconcile an UNCERTAIN preview email, found by its notice tag', () => {
    let recordDelivery: (event: unknown, context: Context) => Promise<{ outcome: string; status?: string }>;

    /** An SES configuration-set event for the email SES holds, carrying the tags SES was sent. */
    const sesEvent = (email: SesStoredEmail, eventType: 'Send' | 'Delivery', tag: string) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': eventType === 'Send' ? 'Email Sent' : 'Email Delivered',
      source: 'aws.ses',
      account: '000000000000',
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'us-east-1',
      resources: ['arn:aws:ses:us-east-1:000000000000:configuration-set/keybill-previews'],
      detail: {
        eventType,
        mail: {
          timestamp: new Date(email.at * 1000).toISOString(),
          source: email.from,
          messageId: email.messageId,
          destination: email.destination.to,
          tags: { 'ses:configuration-set': ['keybill-previews'], [NOTICE_TAG]: [tag] },
        },
      },
    });

    beforeAll(async () => {
      const module = await import('../../functions/record-delivery/handler.ts');
      recordDelivery = module.handler as unknown as typeof recordDelivery;
    });

    it('moves it to SENT on SES’s Send event, with the message id its lost answer carried, then DELIVERED', async () => {
      const g = lostAccounts[0]!;
      const email = emails.find((e) => e.destination.to[0] === emailOf(g))!;
      const tag = emailTags.get(emailOf(g))!;
      const context = lambdaContext('keybill-record-delivery');
      expect(await recordDelivery(sesEvent(email, 'Send', tag), context)).toMatchObject({
        outcome: 'updated',
        status: 'SENT',
      });
      expect(await recordDelivery(sesEvent(email, 'Delivery', tag), context)).toMatchObject({
        outcome: 'updated',
        status: 'DELIVERED',
      });
      const [notice] = (await pipeline.stores.notices.listNotices(g.account.accountId)).filter(
        (n) => n.channel === 'email',
      );
      expect(notice).toMatchObject({ status: 'DELIVERED', providerMessageId: email.messageId });
    });

    it('moves it straight to DELIVERED when the Delivery event is the first to arrive', async () => {
      const g = lostAccounts[1]!;
      const email = emails.find((e) => e.destination.to[0] === emailOf(g))!;
      const result = await recordDelivery(
        sesEvent(email, 'Delivery', emailTags.get(emailOf(g))!),
        lambdaContext('keybill-record-delivery'),
      );
      expect(result).toMatchObject({ outcome: 'updated', status: 'DELIVERED' });
    });
  });
});
