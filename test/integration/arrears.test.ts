import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { s3DropObjectStore } from '#adapters/drop-objects.ts';
import { answerIdOf } from '#domain/answers/index.ts';
import type { AccountArrearsState } from '#domain/arrears/index.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { runPaymentDrop } from '#services/run-payment-drop.ts';
import { lambdaContext } from '../../local/runner/aws-events.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { LOCAL_NAMES, type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { answerLink, answerLinksIn } from '../../local/runner/simulated-answers.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';

const tariffIds = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];
// Four key accounts billed for 2026-09, due 2026-10-20; A never pays, B pays after the disconnection
// notice, C's notice is reported delivered 20 hours late, D's customer answers "received" to it.
const [a, b, c, d] = generateAccounts(4, { tariffIds, seed: 99 }).map((g) => ({
  ...g,
  account: { ...g.account, important: false },
}));

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
    out.push(new Date(d).toISOString().slice(0, 10));
  }
  return out;
};

describe('arrears warnings through the notification path (local stack, controlled clock)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let deps: ReturnType<typeof import('#wiring/index.ts')['arrearsDeps']>;
  const noticesOf = async (accountId: string): Promise<StoredNotice[]> =>
    (await pipeline.stores.notices.listNotices(accountId)).filter((n) => n.kind !== 'bill-preview');

  beforeAll(async () => {
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await pipeline.stores.tariffs.putTariffs(SAMPLE_TARIFFS);
    await pipeline.stores.accounts.putAccounts([a!.account, b!.account, c!.account, d!.account]);
    await pipeline.putDrop(
      'drops/reads/2026-09/reads.csv',
      toCsv(generateMeterReadRows([a!, b!, c!, d!], '2026-09')),
    );
    await pipeline.deliverDrop('drops/reads/2026-09/reads.csv');
    await pipeline.planNotices();
    await pipeline.sendNotices();
    const { arrearsDeps } = await import('#wiring/index.ts');
    const { applyOperatorArrearsCommand } = await import('#services/arrears.ts');
    deps = arrearsDeps({});
    // The daily schedule, from three days before the due date to the day after the disconnection notice;
    // the responsible manager approves the four plans half an hour after the scan that made them.
    for (const today of days('2026-10-17', '2026-11-21')) {
      await pipeline.arrearsScan({ task: 'daily-arrears-scan', today });
      if (today === '2026-11-20') {
        for (const { account } of [a!, b!, c!, d!]) {
          const at = '2026-11-20T09:30:00+08:00';
          const approval = { command: 'approve' as const, accountId: account.accountId, by: '李主任', at };
          await applyOperatorArrearsCommand(account.accountId, approval, deps);
        }
      }
      await pipeline.sendNotices();
    }
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('climbs the ladder one level at a time, from the reminder to the disconnection notice', async () => {
    const kinds = (await noticesOf(a!.account.accountId))
      .filter((n) => n.recipient.role === 'customer' && n.channel === 'email')
      .sort((x, y) => x.createdAt.localeCompare(y.createdAt))
      .map((n) => n.evidence?.warningKind);
    expect(kinds).toEqual(['reminder', 'overdue-notice', 'payment-demand', 'disconnection-notice']);
  });

  it('changes nothing when a day is scanned again (a re-delivered arrears chunk, a retried schedule)', async () => {
    const count = async () =>
      (await noticesOf(a!.account.accountId)).length + (await noticesOf(b!.account.accountId)).length;
    const before = await count();
    const fanOut = await pipeline.arrearsScan({ task: 'daily-arrears-scan', today: '2026-11-21' });
    expect(fanOut).toMatchObject({ accounts: 4, chunks: 1 });
    expect(await count()).toBe(before);
  });

  it("sends every warning as stored (a customer's followed by its answer links), hashes its text, and copies the account manager", async () => {
    const notices = await noticesOf(a!.account.accountId);
    expect(notices.every((n) => n.status === 'SENT')).toBe(true);
    expect(notices.some((n) => n.recipient.role === 'account-manager')).toBe(true);
    const emails = await stack.ses!.listEmails();
    for (const notice of notices) {
      expect(createHash('sha256').update(notice.content!.text).digest('hex')).toBe(
        notice.content!.textSha256,
      );
      if (notice.channel === 'email') {
        const sent = emails.find((e) => e.messageId === notice.providerMessageId);
        const text = sent?.body.text ?? '';
        expect(text.startsWith(notice.content!.text)).toBe(true);
        // The answer links follow the evidence text, for the customer only (issue 15).
        const after = text.slice(notice.content!.text.length);
        if (notice.recipient.role === 'customer' && notice.kind === 'arrears-warning')
          expect(after).toMatch(/^\n\n(一键回复|Answer with one click):\n- /);
        else expect(after).toBe('');
      }
    }
  });

  it('states the amount, the penalty and the exact disconnection time in the notice', async () => {
    const notice = (await noticesOf(a!.account.accountId)).find(
      (n) =>
        n.evidence?.warningKind === 'disconnection-notice' &&
        n.channel === 'email' &&
        n.recipient.role === 'customer',
    )!;
    const evidence = notice.evidence as {
      amounts: { arrears: string; penalty: string };
      disconnectAt: string;
    };
    expect(Number(evidence.amounts.penalty)).toBeGreaterThan(0);
    expect(notice.content!.text).toContain(evidence.disconnectAt.slice(0, 10));
  });

  it('moves the disconnection and its reminder schedule when the notice is reported delivered 20 hours late', async () => {
    const accountId = c!.account.accountId;
    const notice = (await noticesOf(accountId)).find(
      (n) =>
        n.evidence?.warningKind === 'disconnection-notice' &&
        n.channel === 'email' &&
        n.recipient.role === 'customer',
    )!;
    const planned = notice.evidence as { disconnectAt: string; planId: string };
    // Sent at 09:30 on Friday 20 November: Monday 23 November 11:45 is 3 days, 2 hours and the 15-minute delivery allowance after it.
    expect(notice.sendAt).toBe('2026-11-20T09:30:00+08:00');
    expect(planned.disconnectAt).toBe('2026-11-23T11:45:00+08:00');
    const before = stack
      .scheduler!.schedules()
      .filter((s) => (s.input as { accountId: string }).accountId === accountId);
    // The final reminder 30 minutes before, and the delivery check at the end of the 24-hour window.
    expect(before.map((s) => s.expression)).toEqual(['at(2026-11-23T11:15:00)', 'at(2026-11-21T09:30:00)']);

    // SES reports the delivery 20 hours after the send (Saturday 05:30 Beijing time).
    const deliveredAt = '2026-11-20T21:30:00.000Z';
    const { handler } = await import('../../functions/record-delivery/handler.ts');
    await (handler as unknown as (event: unknown, context: unknown) => Promise<unknown>)(
      {
        version: '0',
        id: 'late-delivery-1',
        'detail-type': 'Email Delivered',
        source: 'aws.ses',
        account: '000000000000',
        time: deliveredAt,
        region: 'us-east-1',
        resources: [],
        detail: {
          eventType: 'Delivery',
          mail: {
            timestamp: '2026-11-20T01:30:00.000Z',
            messageId: notice.providerMessageId,
            tags: { 'ses:configuration-set': ['keybill-previews'] },
          },
          delivery: { timestamp: deliveredAt },
        },
      },
      lambdaContext('keybill-record-delivery'),
    );
    await pipeline.sendNotices();

    const state = (await pipeline.stores.arrearsStates.getArrearsState<AccountArrearsState>(accountId))!
      .state;
    const plan = state.plans.find((p) => p.planId === planned.planId)!;
    // At least 3 days and 2 hours after the delivery (Tuesday 07:30): Tuesday 24 November at 10:00.
    expect(plan.revisions.map((r) => [r.revision, r.disconnectAt, r.ended?.reason])).toEqual([
      [1, '2026-11-23T11:45:00+08:00', 'late-delivery'],
      [2, '2026-11-24T10:00:00+08:00', undefined],
    ]);
    expect(plan.revisions[1]!.countedFrom).toMatchObject({
      channel: 'email',
      outcome: 'delivered',
      source: 'provider',
      at: deliveredAt,
    });
    // The reminder schedule follows: the first revision's is deleted, the second's created 30 minutes before.
    expect(stack.scheduler!.deleted()).toContain(before[0]!.name);
    // Delivered: the delivery check is deleted.
    expect(stack.scheduler!.deleted()).toContain(before[1]!.name);
    const after = stack
      .scheduler!.schedules()
      .filter((s) => (s.input as { accountId: string }).accountId === accountId);
    expect(after.map((s) => s.expression)).toContain('at(2026-11-24T09:30:00)');
    // The customer is told the new time.
    const rescheduled = (await noticesOf(accountId)).filter(
      (n) =>
        n.evidence?.warningKind === 'disconnection-notice' &&
        (n.evidence as { planRevision?: number }).planRevision === 2 &&
        n.recipient.role === 'customer' &&
        n.channel === 'email',
    );
    expect(rescheduled).toHaveLength(1);
    expect(rescheduled[0]!.content!.text).toContain('改期通知');
    expect(rescheduled[0]!.content!.text).toContain('2026-11-24 10:00');
  });

  it('names the customer\'s "received" on the disconnection notice as the delivery its plan counts from, once', async () => {
    const accountId = d!.account.accountId;
    const notice = (await noticesOf(accountId)).find(
      (n) =>
        n.evidence?.warningKind === 'disconnection-notice' &&
        n.channel === 'email' &&
        n.recipient.role === 'customer',
    )!;
    const planned = notice.evidence as { disconnectAt: string; planId: string };
    const email = (await stack.ses!.listEmails()).find((e) => e.messageId === notice.providerMessageId);
    const { received } = answerLinksIn(email?.body.html ?? '');
    const stateOf = async () =>
      (await pipeline.stores.arrearsStates.getArrearsState<AccountArrearsState>(accountId))!.state;
    const schedulesOf = () =>
      stack.scheduler!.schedules().filter((s) => (s.input as { accountId: string }).accountId === accountId);

    // The customer clicks twice, ten minutes after the 09:30 send (the answer's clock, as the ladder's).
    const answeredAt = '2026-11-20T01:40:00.000Z';
    vi.setSystemTime(new Date(answeredAt));
    try {
      expect((await answerLink(received!)).status).toBe(200);
      await answerLink(received!);
      await pipeline.planNotices();
    } finally {
      vi.useRealTimers();
    }

    const plan = (await stateOf()).plans.find((p) => p.planId === planned.planId)!;
    // 3 days and 2 hours after 09:40 is before 11:45: the plan keeps its time, now counted from the receipt.
    expect(plan.revisions.map((r) => r.disconnectAt)).toEqual([planned.disconnectAt]);
    expect(plan.revisions[0]!.countedFrom).toMatchObject({
      channel: 'email',
      outcome: 'delivered',
      source: 'customer-confirmed',
      at: answeredAt,
    });
    expect(plan.revisions[0]!.deliveries).toHaveLength(1);
    // A counted delivery ends the notice's delivery check; the final reminder stays.
    const schedulesAfterAnswer = schedulesOf();
    expect(schedulesAfterAnswer.map((s) => (s.input as { task: string }).task)).toEqual(['final-reminder']);

    // The stream delivers the answer again: nothing changes, the reminder schedule stays.
    const before = await stateOf();
    const { handler } = await import('../../functions/plan-notices/handler.ts');
    await (handler as unknown as (event: unknown, context: unknown) => Promise<unknown>)(
      {
        Records: [
          {
            eventID: 'redelivered-answer-1',
            eventName: 'INSERT',
            eventSource: 'aws:dynamodb',
            dynamodb: {
              NewImage: {
                entity: { S: 'ANSWER' },
                accountId: { S: accountId },
                answerId: { S: answerIdOf(notice.noticeId, 'received') },
              },
            },
          },
        ],
      },
      lambdaContext('keybill-plan-notices'),
    );
    expect(await stateOf()).toEqual(before);
    expect(schedulesOf()).toEqual(schedulesAfterAnswer);
  });

  it('escalates a notice delivered on no channel when its delivery check fires 24 hours after the send, and moves the plan', async () => {
    const accountId = a!.account.accountId;
    const ofA = () =>
      stack.scheduler!.schedules().filter((s) => (s.input as { accountId: string }).accountId === accountId);
    const check = ofA().find((s) => (s.input as { task: string }).task === 'delivery-check')!;
    // Sent at 09:30 on Friday 20 November, nothing delivered (the local stack reports no delivery).
    expect(check.expression).toBe('at(2026-11-21T09:30:00)');
    const firedAt = '2026-11-21T01:30:00.000Z';
    const fired = stack.scheduler!.fire(check.name, check.groupName);
    await pipeline.arrearsScan({ ...(fired.input as object), firedAt });
    // A retried invocation of the same schedule changes nothing.
    await pipeline.arrearsScan({ ...(check.input as object), firedAt });
    await pipeline.sendNotices();

    const escalations = (await noticesOf(accountId)).filter(
      (n) => n.evidence?.warningKind === 'delivery-escalation',
    );
    expect(escalations.map((n) => [n.recipient.role, n.status])).toEqual([['account-manager', 'SENT']]);
    const state = (await pipeline.stores.arrearsStates.getArrearsState<AccountArrearsState>(accountId))!
      .state;
    expect(state.plans[0]!.revisions.map((r) => r.ended?.reason)).toEqual(['no-delivery', undefined]);
    // The first revision's reminder goes, the fired check is gone (ActionAfterCompletion DELETE), and the
    // second revision gets its reminder and delivery check.
    const schedules = ofA().map((s) => {
      const { task, revision } = s.input as { task: string; revision: number };
      return `${task} r${revision}`;
    });
    expect(schedules.sort()).toEqual(['delivery-check r2', 'final-reminder r2']);
  });

  it('creates the final reminder as a one-time schedule 30 minutes before the disconnection, and sends it when it fires', async () => {
    const schedule = stack
      .scheduler!.schedules()
      .find(
        (s) =>
          (s.input as { accountId: string }).accountId === a!.account.accountId &&
          (s.input as { task: string }).task === 'final-reminder',
      )!;
    expect(schedule.expression).toMatch(/^at\(2026-11-2\dT\d\d:\d\d:00\)$/);
    const { disconnectAt } = (await noticesOf(a!.account.accountId)).find(
      (n) =>
        n.evidence?.warningKind === 'disconnection-notice' &&
        n.evidence.planRevision === (schedule.input as { revision: number }).revision,
    )!.evidence as { disconnectAt: string };
    const reminderAt = new Date(Date.parse(disconnectAt) - 30 * 60_000).toISOString();
    const fired = stack.scheduler!.fire(schedule.name, schedule.groupName);
    await pipeline.arrearsScan({ ...(fired.input as object), firedAt: reminderAt });
    await pipeline.sendNotices();
    // A one-time schedule: Scheduler deletes it after it ran.
    expect(stack.scheduler!.schedules()).not.toContainEqual(schedule);
    const reminders = (await noticesOf(a!.account.accountId)).filter(
      (n) => n.evidence?.warningKind === 'disconnection-reminder',
    );
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((n) => n.status === 'SENT')).toBe(true);
  });

  it('cancels the plan and its reminder schedule when a payment clears the arrears, and confirms it', async () => {
    const accountId = b!.account.accountId;
    const bill = await pipeline.stores.bills.getLatestBill(accountId, '2026-09');
    const schedulesBefore = stack
      .scheduler!.schedules()
      .filter((s) => (s.input as { accountId: string }).accountId === accountId);
    // The final reminder and the delivery check of the notice.
    expect(schedulesBefore).toHaveLength(2);
    // The charges and their penalty (32 days at 2 ‰ is 6.4 %): the rest is credit.
    const owed = (Number(bill!.document.total) * 1.1).toFixed(2);
    const csv = toCsv(
      [
        {
          payment_id: 'PAY-B-1',
          account_id: accountId,
          amount: owed,
          paid_at: '2026-11-21T10:00:00+08:00',
        },
      ],
      ['payment_id', 'account_id', 'amount', 'paid_at'],
    );
    await pipeline.putDrop('drops/payments/2026-11-21.csv', csv);
    const { settlePayments } = await import('#services/arrears.ts');
    await runPaymentDrop(
      { bucket: LOCAL_NAMES.bucket, key: 'drops/payments/2026-11-21.csv' },
      {
        ...pipeline.stores,
        objects: s3DropObjectStore,
        now: () => new Date('2026-11-21T02:05:00Z'),
        onPaymentsStored: (accounts, at) => settlePayments(accounts, at, deps),
      },
    );
    await pipeline.sendNotices();
    expect(stack.scheduler!.deleted()).toEqual(
      expect.arrayContaining(schedulesBefore.map((schedule) => schedule.name)),
    );
    const confirmations = (await noticesOf(accountId)).filter((n) => n.kind === 'arrears-confirmation');
    expect(confirmations.length).toBeGreaterThan(0);
    expect(confirmations.every((n) => n.status === 'SENT')).toBe(true);
    // Later scans send nothing more to a customer who has paid.
    const before = (await noticesOf(accountId)).length;
    await pipeline.arrearsScan({ task: 'daily-arrears-scan', today: '2026-11-23' });
    expect((await noticesOf(accountId)).length).toBe(before);
  });

  it('defers a plan into 2027 from the operator console only when the operator confirms the working day, and stores that it was not checked', async () => {
    const accountId = d!.account.accountId;
    const { operatorDeps } = await import('#wiring/index.ts');
    const { runOperatorCommand } = await import('#services/operator-commands.ts');
    const operator = { ...operatorDeps({}), now: () => new Date('2026-11-23T10:00:00+08:00') };
    const event = {
      command: 'defer-disconnection',
      accountId,
      newDate: '2027-01-04',
      by: '王经理',
      reason: '分期',
    };
    const stateOf = async () =>
      (await pipeline.stores.arrearsStates.getArrearsState<AccountArrearsState>(accountId))!.state;
    const before = await stateOf();

    // The official calendar covers 2026 only: 2027's holidays and 调休 cannot be checked.
    const refused = await runOperatorCommand(event, operator);
    expect(refused).toMatchObject({ ok: false, kind: 'refused', refused: 'beyond-calendar' });
    if (!refused.ok) expect(refused.error).toMatch(/2027-01-04 is beyond .* up to 2026-12-31/);
    expect(await stateOf()).toEqual(before);

    const applied = await runOperatorCommand({ ...event, confirmWorkingDay: true }, operator);
    expect(applied).toMatchObject({ ok: true });
    const plan = (await stateOf()).plans[0]!;
    expect(plan.revisions.at(-1)).toMatchObject({
      disconnectAt: '2027-01-04T10:00:00+08:00',
      workingDayConfirmedBy: '王经理',
    });
    expect(plan.history?.at(-1)?.detail).toContain(
      'working day confirmed by 王经理, not checked against the official calendar',
    );
  });
});
