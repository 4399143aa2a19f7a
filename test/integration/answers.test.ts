import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { secretsManagerStore } from '#adapters/secrets.ts';
import { sqsNoticeQueue } from '#adapters/sqs-queues.ts';
import { signLinkToken } from '#domain/answers/index.ts';
import type { AccountArrearsState } from '#domain/arrears/index.ts';
import { periodBefore, shanghaiDate } from '#domain/calendar/index.ts';
import { keyOf } from '#domain/keyring.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { keyringFor } from '#services/keyring.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { LOCAL_NAMES, type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { answerLink, answerLinksIn } from '../../local/runner/simulated-answers.ts';
import { LOCAL_SECRETS, type LocalStack, type SesStoredEmail, startLocalStack } from '../../local/stack.ts';
import { loadAccounts, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * Customers answering from the links of real emails and SMS sent on the local stack, through the answers
 * handler served with API Gateway HTTP API events, and what follows from the table stream.
 */

const generated = generateAccounts(3, { tariffIds: SAMPLE_TARIFF_IDS, seed: 15 });
const [first, second, third] = generated.map((g) => g.account);
/**
 * Last month, as a real cycle bills it: the answers are stamped today, and the managers' digest counts
 * a period's answers for three months after it (a fixed period stopped the digest test in 2027).
 */
const PERIOD = periodBefore(shanghaiDate(new Date()));

describe("customers' one-click answers (local stack)", () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let previews: SesStoredEmail[];
  const previewOf = (accountId: string): SesStoredEmail => {
    const email = previews.find((e) => e.destination.to[0]?.includes(accountId));
    if (email === undefined) throw new Error(`no preview email for ${accountId}`);
    return email;
  };
  const linksOf = (accountId: string) => answerLinksIn(previewOf(accountId).body.html ?? '');
  const answersOf = async (accountId: string) =>
    (await pipeline.stores.answers.listAnswersOfMonth(new Date().toISOString().slice(0, 7))).filter(
      (a) => a.accountId === accountId,
    );
  const signingKey = async () =>
    (await keyringFor(secretsManagerStore(), LOCAL_SECRETS.LINK_SIGNING_SECRET_ID!)).current;

  beforeAll(async () => {
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await loadAccounts(
      pipeline,
      generated.map((g) => g.account),
    );
    await pipeline.putDrop(
      `drops/reads/${PERIOD}/reads.csv`,
      toCsv(generateMeterReadRows(generated, PERIOD)),
    );
    await pipeline.deliverDrop(`drops/reads/${PERIOD}/reads.csv`);
    await pipeline.planNotices();
    await pipeline.sendNotices();
    previews = await stack.ses!.listEmails();
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('puts the four answers of a preview under every preview email, links naming nothing personal', () => {
    for (const account of [first!, second!, third!]) {
      const links = linksOf(account.accountId);
      expect(Object.keys(links).sort()).toEqual(['call-me', 'rate', 'received', 'wrong']);
      for (const url of Object.values(links)) {
        expect(url.startsWith(`${pipeline.answers.url}/a/`)).toBe(true);
        expect(url).not.toContain('@');
        expect(url).not.toContain(account.accountId);
        expect(url).not.toContain(encodeURIComponent(account.name));
      }
      expect(previewOf(account.accountId).body.text).toContain(links.received!);
    }
  });

  it('records exactly one answer from a link opened three times, prefetched and posted twice', async () => {
    const url = linksOf(first!.accountId).received!;
    for (let i = 0; i < 3; i++) {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<form method="post"');
    }
    expect(await answersOf(first!.accountId)).toHaveLength(0);
    const once = await answerLink(url);
    const twice = await answerLink(url);
    expect(once.html).toContain('data-outcome="recorded"');
    expect(twice.html).toContain('data-outcome="already-recorded"');
    expect(await answersOf(first!.accountId)).toHaveLength(1);
    const after = await fetch(url);
    expect(await after.text()).toContain('data-outcome="already-recorded"');
  });

  it('shows an expired, tampered, foreign-key or other-account link a clear page and records nothing', async () => {
    const key = await signingKey();
    const [preview] = (await pipeline.stores.notices.listNotices(second!.accountId)).filter(
      (n) => n.channel === 'email',
    );
    const claims = { accountId: second!.accountId, noticeId: preview!.noticeId, action: 'call-me' as const };
    const expired = signLinkToken({ ...claims, expiresAt: Math.floor(Date.now() / 1000) - 60 }, key);
    const valid = linksOf(second!.accountId)['call-me']!;
    const tampered = `${valid.slice(0, -3)}${valid.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const foreign = signLinkToken({ ...claims, expiresAt: 4_000_000_000 }, keyOf('not-our-key'));
    const otherAccount = signLinkToken(
      { ...claims, accountId: third!.accountId, expiresAt: 4_000_000_000 },
      key,
    );
    const cases: [string, string, string][] = [
      ['expired', `${pipeline.answers.url}/a/${expired}`, 'expired'],
      ['tampered', tampered, 'invalid'],
      ['foreign key', `${pipeline.answers.url}/a/${foreign}`, 'invalid'],
      ['other account', `${pipeline.answers.url}/a/${otherAccount}`, 'invalid'],
      ['garbage', `${pipeline.answers.url}/a/${'x'.repeat(600)}`, 'invalid'],
      ['unknown SMS code', `${pipeline.answers.url}/s/AAAAAAAAAAAAAAAA`, 'invalid'],
    ];
    for (const [name, url, outcome] of cases) {
      const posted = await answerLink(url, { text: 'hello' });
      expect(posted.status, name).toBeGreaterThanOrEqual(400);
      expect(posted.html, name).toContain(`data-outcome="${outcome}"`);
    }
    expect(await answersOf(second!.accountId)).toHaveLength(0);
    expect(await answersOf(third!.accountId)).toHaveLength(0);
  });

  it('refuses 100 kB of text and records nothing; stores markup as typed and shows it escaped', async () => {
    const url = linksOf(second!.accountId).wrong!;
    const huge = await answerLink(url, { text: '<b>'.repeat(34_000) });
    expect(huge.status).toBe(413);
    expect(huge.html).toContain('data-outcome="too-large"');
    const long = await answerLink(url, { text: 'x'.repeat(1001) });
    expect(long.status).toBe(400);
    expect(long.html).toContain('text: at most 1000 characters');
    expect(await answersOf(second!.accountId)).toHaveLength(0);

    const markup = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const ok = await answerLink(url, { text: markup, preferredTime: '<b>9:00</b>' });
    expect(ok.html).toContain('data-outcome="recorded"');
    expect(ok.html).not.toContain('<script>');
    const [answer] = await answersOf(second!.accountId);
    expect(answer?.text).toBe(markup);
  });

  it('marks the bill a customer says is wrong for review, without changing the bill', async () => {
    await pipeline.planNotices();
    const stored = await documentClient().send(
      new QueryCommand({
        TableName: LOCAL_NAMES.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :bill)',
        ExpressionAttributeValues: { ':pk': `ACCOUNT#${second!.accountId}`, ':bill': `BILL#${PERIOD}#` },
      }),
    );
    expect(stored.Items?.[0]?.reviewRequestedAt).toBeDefined();
    const bill = await pipeline.stores.bills.getLatestBill(second!.accountId, PERIOD);
    expect(bill?.version).toBe(1);
  });

  it('turns "please call me" into a follow-up due in working hours and an email to the manager', async () => {
    const posted = await answerLink(linksOf(third!.accountId)['call-me']!, {
      text: '请解释需量建议',
      preferredTime: '下午',
    });
    expect(posted.html).toContain('data-outcome="recorded"');
    const open = (await pipeline.stores.followUps.listOpenFollowUps()).filter(
      (f) => f.accountId === third!.accountId,
    );
    expect(open).toHaveLength(1);
    expect(open[0]!.action).toBe('call-me');
    expect(open[0]!.managerId).toBe(third!.accountManager.id);
    expect(Date.parse(open[0]!.dueAt)).toBeGreaterThan(Date.parse(open[0]!.openedAt));

    await pipeline.planNotices();
    await pipeline.sendNotices();
    const toManager = (await stack.ses!.listEmails()).filter(
      (e) =>
        e.destination.to[0] === third!.accountManager.email &&
        e.subject.includes('客户回复') &&
        (e.body.text ?? '').includes(third!.accountId),
    );
    expect(toManager).toHaveLength(1);
    expect(toManager[0]!.body.text).toContain('请解释需量建议');
    expect(toManager[0]!.body.text).toContain(third!.accountId);
  });

  it('answers from the SMS short link: the page offers the answers, the POST records the one chosen', async () => {
    const sms = stack.sms!.messages().find((m) => m.message.includes(first!.accountId));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{16})/.exec(sms?.message ?? '')?.[1];
    expect(url).toBeDefined();
    const page = await (await fetch(url!)).text();
    expect(page.match(/<form method="post"/g)).toHaveLength(4);
    const posted = await answerLink(url!, { action: 'rate', rating: '4' });
    expect(posted.html).toContain('data-outcome="recorded"');
    const refused = await answerLink(url!, { action: 'rate', rating: '9' });
    expect(refused.html).toContain('data-outcome="refused"');
    const ratings = (await answersOf(first!.accountId)).filter((a) => a.action === 'rate');
    expect(ratings.map((a) => [a.rating, a.channel])).toEqual([[4, 'sms']]);
  });

  // The receipt counted as the delivery of a real plan's notice: test/integration/arrears.test.ts.
  it('offers a disconnection notice its answers, and a receipt of one naming no plan of the account moves no plan', async () => {
    const text = `停电通知：账户${first!.accountId}欠费未缴，将于2026-12-01 10:00停止供电。`;
    const { notice } = await pipeline.stores.notices.createNotice({
      noticeId: 'ARREARS#0123456789abcdef0123456789abcdef',
      kind: 'arrears-warning',
      accountId: first!.accountId,
      period: PERIOD,
      billVersion: 0,
      channel: 'email',
      recipient: {
        role: 'customer',
        name: first!.name,
        address: `finance.${first!.accountId}@example.cn`,
        language: 'zh-CN',
      },
      content: { subject: '停电通知', text, textSha256: createHash('sha256').update(text).digest('hex') },
      evidence: { warningKind: 'disconnection-notice', level: 'disconnection-notice', planId: 'P1' },
    });
    await sqsNoticeQueue(pipeline.queues.queueUrl).enqueue([
      { accountId: notice.accountId, noticeId: notice.noticeId },
    ]);
    await pipeline.sendNotices();
    const warning = (await stack.ses!.listEmails()).find((e) => e.subject === '停电通知');
    const links = answerLinksIn(warning?.body.html ?? '');
    expect(Object.keys(links).sort()).toEqual(['call-me', 'paid', 'received', 'talk']);
    expect(warning?.body.text?.startsWith(text)).toBe(true);

    await answerLink(links.received!);
    await pipeline.planNotices();
    const state = await pipeline.stores.arrearsStates.getArrearsState<AccountArrearsState>(first!.accountId);
    expect(state?.state.plans ?? []).toEqual([]);
    const events = await documentClient().send(
      new QueryCommand({
        TableName: LOCAL_NAMES.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': `ACCOUNT#${first!.accountId}`, ':event': 'ARREARSEVENT#' },
      }),
    );
    // The dispute trail keeps the receipt it could not count.
    expect((events.Items ?? []).map((i) => JSON.parse(String(i.event)))).toEqual([
      expect.objectContaining({ type: 'delivery-ignored', detail: 'email delivered: no notice out' }),
    ]);
    const stored: StoredNotice | undefined = await pipeline.stores.notices.getNotice(
      first!.accountId,
      notice.noticeId,
    );
    expect(stored?.content?.text).toBe(text);
  });

  it('lists the worklist and closes a follow-up once with the operator commands; escalates overdue ones once', async () => {
    const { operatorDeps } = await import('#wiring/index.ts');
    const { runOperatorCommand } = await import('#services/operator-commands.ts');
    const deps = operatorDeps({});
    const listed = await runOperatorCommand(
      { command: 'list-follow-ups', managerId: third!.accountManager.id },
      deps,
    );
    expect(listed.ok).toBe(true);
    const mine = (listed as { result: { accountId: string; followUpId: string }[] }).result.filter(
      (f) => f.accountId === third!.accountId,
    );
    expect(mine).toHaveLength(1);
    const close = {
      command: 'close-follow-up',
      accountId: third!.accountId,
      followUpId: mine[0]!.followUpId,
      by: '王经理',
      note: '已回电',
    };
    expect(await runOperatorCommand(close, deps)).toMatchObject({ ok: true });
    expect(await runOperatorCommand(close, deps)).toMatchObject({
      ok: false,
      kind: 'refused',
      refused: 'already-closed',
    });
    expect(await runOperatorCommand({ ...close, followUpId: 'nope' }, deps)).toMatchObject({
      ok: false,
      refused: 'no-such-follow-up',
    });
    expect(await runOperatorCommand({ ...close, note: 'x'.repeat(501) }, deps)).toMatchObject({
      ok: false,
      kind: 'malformed',
    });

    const later = { ...deps, now: () => new Date(Date.now() + 30 * 86_400_000) };
    const escalated = await runOperatorCommand({ command: 'escalate-follow-ups' }, later);
    expect(escalated).toMatchObject({ ok: true, result: { escalated: 1 } });
    expect(await runOperatorCommand({ command: 'escalate-follow-ups' }, later)).toMatchObject({
      ok: true,
      result: { escalated: 0 },
    });
  });

  it("puts the answers' KPIs in the managers' monthly digest and the key-account report", async () => {
    const result = await pipeline.rankAccounts({
      asOf: new Date().toISOString().slice(0, 10),
      period: PERIOD,
    });
    await pipeline.sendNotices();
    const digests = (await stack.ses!.listEmails()).filter((e) => e.subject.includes('大客户月度简报'));
    expect(digests.length).toBeGreaterThan(0);
    const withAnswers = digests.filter((d) => (d.body.text ?? '').includes('满意度评分'));
    expect(withAnswers.length).toBeGreaterThan(0);
    expect(withAnswers.map((d) => d.body.text).join('\n')).toMatch(/平均4\.00分/);
    expect(result.reportKeys.some((k) => k.endsWith('answer-kpis.csv'))).toBe(true);
  });
});
