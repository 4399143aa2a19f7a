import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { lambdaContext } from '../../local/runner/aws-events.ts';
import {
  type GeneratedAccount,
  generateAccounts,
  generateMeterReadRows,
  toCsv,
} from '../../local/runner/fixtures.ts';
import { type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { type LocalStack, type SesStoredEmail, startLocalStack } from '../../local/stack.ts';

/*
 * SES reports what happened to an email after it accepted it (delivered, bounced, complained) as
 * configuration-set events through EventBridge. The local SES emulator emits none, so this test writes
 * them, shaped as AWS sends them, for emails the pipeline really sent, and hands them to the deployed
 * record-delivery handler.
 */

const PERIOD = '2026-10';

/** The recipient keys in force, under the local stack's secret (imported once the stack set the env). */
const currentRecipientKeys = async () => (await import('#wiring/index.ts')).recipientKeysFromEnv().current();

type SesEventType = 'Delivery' | 'Bounce' | 'Complaint';
const DETAIL_TYPE: Record<SesEventType, string> = {
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
};

/** An SES configuration-set event as EventBridge delivers it (AWS's sample events, trimmed to one recipient). */
function sesEvent(
  email: SesStoredEmail,
  eventType: SesEventType,
  bounce?: { bounceType: 'Permanent' | 'Transient'; bounceSubType: string },
) {
  const at = new Date().toISOString();
  const recipient = email.destination.to[0]!;
  const detail: Record<string, unknown> = {
    eventType,
    mail: {
      timestamp: new Date(email.at * 1000).toISOString(),
      source: email.from,
      sourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/keybill-power.example.cn',
      sendingAccountId: '000000000000',
      messageId: email.messageId,
      destination: [recipient],
      headersTruncated: false,
      tags: { 'ses:configuration-set': ['keybill-previews'], 'ses:source-ip': ['127.0.0.1'] },
    },
  };
  if (eventType === 'Delivery') {
    detail.delivery = {
      timestamp: at,
      processingTimeMillis: 812,
      recipients: [recipient],
      smtpResponse: '250 2.6.0 Message received',
      reportingMTA: 'a8-70.smtp-out.amazonses.com',
    };
  }
  if (eventType === 'Bounce') {
    detail.bounce = {
      feedbackId: `${randomUUID()}-000000`,
      ...bounce,
      bouncedRecipients: [
        {
          emailAddress: recipient,
          action: 'failed',
          status: bounce?.bounceType === 'Permanent' ? '5.1.1' : '4.2.2',
          diagnosticCode:
            bounce?.bounceType === 'Permanent'
              ? 'smtp; 550 5.1.1 user unknown'
              : 'smtp; 452 4.2.2 mailbox full',
        },
      ],
      timestamp: at,
      reportingMTA: 'dns; a8-70.smtp-out.amazonses.com',
    };
  }
  if (eventType === 'Complaint') {
    detail.complaint = {
      feedbackId: `${randomUUID()}-000000`,
      complaintSubType: null,
      complainedRecipients: [{ emailAddress: recipient }],
      timestamp: at,
      userAgent: 'Mozilla/5.0',
      complaintFeedbackType: 'abuse',
      arrivalDate: at,
    };
  }
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': DETAIL_TYPE[eventType],
    source: 'aws.ses',
    account: '000000000000',
    time: at.replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: ['arn:aws:ses:us-east-1:000000000000:configuration-set/keybill-previews'],
    detail,
  };
}

type RecordResult = { outcome: string; status?: string };

describe('SES delivery events via EventBridge → record-delivery (local stack)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let recordDelivery: (event: unknown, context: Context) => Promise<RecordResult>;
  /** delivered, bounced (hard), bounced (soft), complained */
  let accounts: Record<'delivered' | 'hardBounced' | 'softBounced' | 'complained', GeneratedAccount>;
  const deliver = (event: unknown) => recordDelivery(event, lambdaContext('keybill-record-delivery'));

  /** A meter-read drop for these accounts, through ingest, planning and sending, as the pipeline runs it. */
  async function billingRun(generated: GeneratedAccount[], name: string, seed: number) {
    const key = `drops/reads/${PERIOD}/${name}.csv`;
    await pipeline.putDrop(key, toCsv(generateMeterReadRows(generated, PERIOD, { seed })));
    await pipeline.deliverDrop(key);
    await pipeline.planNotices();
    await pipeline.sendNotices();
  }

  const emailTo = (g: GeneratedAccount) => g.account.contacts[0]!.email!;

  async function emailNotice(g: GeneratedAccount, version: number): Promise<StoredNotice> {
    const notices = await pipeline.stores.notices.listNotices(g.account.accountId);
    const notice = notices.find((n) => n.channel === 'email' && n.billVersion === version);
    if (notice === undefined) throw new Error(`no v${version} email notice for ${g.account.accountId}`);
    return notice;
  }

  async function sentEmail(g: GeneratedAccount, version = 1): Promise<SesStoredEmail> {
    const notice = await emailNotice(g, version);
    const email = (await stack.ses!.listEmails()).find((e) => e.messageId === notice.providerMessageId);
    if (email === undefined) throw new Error(`SES holds no email for notice ${notice.noticeId}`);
    return email;
  }

  beforeAll(async () => {
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    const generated = generateAccounts(4, {
      seed: 4242,
      tariffIds: [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))],
    });
    const [delivered, hardBounced, softBounced, complained] = generated as [
      GeneratedAccount,
      GeneratedAccount,
      GeneratedAccount,
      GeneratedAccount,
    ];
    accounts = { delivered, hardBounced, softBounced, complained };
    await pipeline.stores.tariffs.putTariffs(SAMPLE_TARIFFS);
    await pipeline.stores.accounts.putAccounts(generated.map((g) => g.account));
    await billingRun(generated, 'first', 1);
    // Loaded after prepareLocalPipeline set the environment, as Lambda loads a handler.
    const module = await import('../../functions/record-delivery/handler.ts');
    recordDelivery = module.handler as unknown as typeof recordDelivery;
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('starts from one SENT email per account, each held by the SES emulator', async () => {
    const emails = await stack.ses!.listEmails();
    expect(emails).toHaveLength(4);
    for (const g of Object.values(accounts)) {
      expect((await emailNotice(g, 1)).status).toBe('SENT');
      expect((await sentEmail(g)).destination.to).toEqual([emailTo(g)]);
    }
  });

  it('moves an email to DELIVERED when SES reports its delivery', async () => {
    const result = await deliver(sesEvent(await sentEmail(accounts.delivered), 'Delivery'));
    expect(result).toMatchObject({ outcome: 'updated', status: 'DELIVERED' });
    expect((await emailNotice(accounts.delivered, 1)).status).toBe('DELIVERED');
  });

  it('changes nothing when EventBridge delivers the same event again', async () => {
    const event = sesEvent(await sentEmail(accounts.delivered), 'Delivery');
    const before = await emailNotice(accounts.delivered, 1);
    expect(await deliver(event)).toMatchObject({ outcome: 'unchanged', status: 'DELIVERED' });
    expect(await deliver(event)).toMatchObject({ outcome: 'unchanged', status: 'DELIVERED' });
    expect(await emailNotice(accounts.delivered, 1)).toEqual(before);
  });

  it('ignores a soft (Transient) bounce: SES retries it, the notice stays SENT and the address is not suppressed', async () => {
    const g = accounts.softBounced;
    const before = await emailNotice(g, 1);
    const result = await deliver(
      sesEvent(await sentEmail(g), 'Bounce', { bounceType: 'Transient', bounceSubType: 'MailboxFull' }),
    );
    expect(result).toEqual({ outcome: 'ignored' });
    expect(await emailNotice(g, 1)).toEqual(before);
    expect(
      await pipeline.stores.suppressions.suppressionOf(
        'email',
        (await currentRecipientKeys())('email', emailTo(g)),
      ),
    ).toBeUndefined();
  });

  it('marks a hard (Permanent) bounce BOUNCED and suppresses the address', async () => {
    const g = accounts.hardBounced;
    const result = await deliver(
      sesEvent(await sentEmail(g), 'Bounce', { bounceType: 'Permanent', bounceSubType: 'General' }),
    );
    expect(result).toMatchObject({ outcome: 'updated', status: 'BOUNCED' });
    expect((await emailNotice(g, 1)).status).toBe('BOUNCED');
    expect(
      await pipeline.stores.suppressions.suppressionOf(
        'email',
        (await currentRecipientKeys())('email', emailTo(g)),
      ),
    ).toBe('Bounce');
  });

  it('does not let a Delivery that arrives after the bounce overwrite it', async () => {
    const g = accounts.hardBounced;
    const before = await emailNotice(g, 1);
    expect(await deliver(sesEvent(await sentEmail(g), 'Delivery'))).toMatchObject({
      outcome: 'unchanged',
      status: 'BOUNCED',
    });
    expect(await emailNotice(g, 1)).toEqual(before);
  });

  it('marks a complaint COMPLAINED and suppresses the address', async () => {
    const g = accounts.complained;
    expect(await deliver(sesEvent(await sentEmail(g), 'Complaint'))).toMatchObject({
      outcome: 'updated',
      status: 'COMPLAINED',
    });
    expect((await emailNotice(g, 1)).status).toBe('COMPLAINED');
    expect(
      await pipeline.stores.suppressions.suppressionOf(
        'email',
        (await currentRecipientKeys())('email', emailTo(g)),
      ),
    ).toBe('Complaint');
  });

  it('answers unknown-message for an event about a message no notice was sent as', async () => {
    const stranger = { ...(await sentEmail(accounts.delivered)), messageId: `local-${randomUUID()}` };
    expect(await deliver(sesEvent(stranger, 'Delivery'))).toEqual({ outcome: 'unknown-message' });
  });

  it('changes nothing on SES’s Send event for a notice that recorded its message id', async () => {
    const event = sesEvent(await sentEmail(accounts.softBounced), 'Delivery');
    const send = {
      ...event,
      'detail-type': 'Email Sent',
      detail: { eventType: 'Send', mail: event.detail.mail },
    };
    expect(await deliver(send)).toEqual({ outcome: 'unchanged', status: 'SENT' });
  });

  it('reads a notice tag as input: a malformed, oversized or foreign one finds nothing and fails nothing', async () => {
    const stranger = { ...(await sentEmail(accounts.delivered)), messageId: `local-${randomUUID()}` };
    const event = sesEvent(stranger, 'Delivery');
    const mail = event.detail.mail as Record<string, unknown>;
    for (const tags of [
      { keybillNotice: ['A'.repeat(100_000)] },
      { keybillNotice: ['%%%not-base64%%%'] },
      { keybillNotice: [Buffer.from(JSON.stringify(['nobody', 'none'])).toString('base64url')] },
      { keybillNotice: [Buffer.from('["<script>", 42]').toString('base64url')] },
      { keybillNotice: 'not a list' },
      'not an object',
    ]) {
      expect(
        await deliver({ ...event, detail: { ...event.detail, mail: { ...mail, tags } } }),
        JSON.stringify(tags).slice(0, 60),
      ).toEqual({ outcome: 'unknown-message' });
    }
  });

  it('ends the next bill version’s email to a suppressed address SUPPRESSED, without it reaching SES', async () => {
    const { delivered, hardBounced, complained } = accounts;
    const emailsBefore = await stack.ses!.listEmails();
    const smsBefore = stack.sms!.messages();
    // Corrected readings for three accounts: each gets bill version 2 and its notices.
    await billingRun([delivered, hardBounced, complained], 'corrected', 2);

    for (const g of [hardBounced, complained]) {
      const v2 = await emailNotice(g, 2);
      expect(v2.status, g.account.accountId).toBe('SUPPRESSED');
      expect(v2.providerMessageId).toBeUndefined();
    }
    expect((await emailNotice(delivered, 2)).status).toBe('SENT');

    const newEmails = (await stack.ses!.listEmails()).slice(emailsBefore.length);
    expect(newEmails.map((e) => e.destination.to)).toEqual([[emailTo(delivered)]]);
    // Suppression is per channel and address: the same contacts still get their SMS.
    const newSms = stack.sms!.messages().slice(smsBefore.length);
    expect(newSms).toHaveLength(3);
  });

  it('keeps every step in each notice’s timeline, in order', async () => {
    const steps = async (g: GeneratedAccount, version: number) => {
      const notice = await emailNotice(g, version);
      const ats = notice.timeline.map((t) => t.at);
      expect(ats, `${notice.noticeId} timeline times`).toEqual([...ats].sort());
      return notice.timeline.map((t) => (t.detail === undefined ? t.status : `${t.status} (${t.detail})`));
    };
    expect(await steps(accounts.delivered, 1)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED (Delivery)']);
    expect(await steps(accounts.hardBounced, 1)).toEqual([
      'QUEUED',
      'SENDING',
      'SENT',
      'BOUNCED (Permanent/General)',
    ]);
    expect(await steps(accounts.softBounced, 1)).toEqual(['QUEUED', 'SENDING', 'SENT']);
    expect(await steps(accounts.complained, 1)).toEqual([
      'QUEUED',
      'SENDING',
      'SENT',
      'COMPLAINED (Complaint)',
    ]);
    expect(await steps(accounts.hardBounced, 2)).toEqual(['QUEUED', 'SENDING', 'SUPPRESSED (Bounce)']);
    expect(await steps(accounts.delivered, 2)).toEqual(['QUEUED', 'SENDING', 'SENT']);
  });
});
