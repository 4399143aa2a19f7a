import { text } from 'node:stream/consumers';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqsDeadLetterQueues } from '#adapters/dead-letter-queues.ts';
import { s3DropObjectStore } from '#adapters/drop-objects.ts';
import { metrics } from '#adapters/observability.ts';
import { shanghaiDate, shanghaiInstant } from '#domain/calendar/index.ts';
import { DEFAULT_FEED_CALENDAR, dropsDueBy } from '#domain/feed-calendar.ts';
import { redriveDeadLetters } from '#services/operator/dead-letter-commands.ts';
import type { OperatorResponse } from '#services/operator-commands.ts';
import { deadLetterQueuesFromEnv } from '#wiring/env.ts';
import { lambdaContext } from '../../local/runner/aws-events.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { LOCAL_NAMES, type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { loadAccounts, noticesOf, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * The operator's billing day on the local stack: the hourly check-drops on a missing and on a partial
 * drop, the run report get-run links, the dead-letter commands, and a dry run that stores and sends nothing.
 */

const generated = generateAccounts(4, { tariffIds: SAMPLE_TARIFF_IDS, seed: 23 });
const now = new Date();
/** The meter-read period the feed calendar expects by now, whatever day the test runs. */
const due = dropsDueBy(
  DEFAULT_FEED_CALENDAR,
  shanghaiDate(now),
  shanghaiInstant(now.getTime()).slice(11, 16),
)[0]!;
const period = due.covers;
const key = `drops/reads/${period}/meter-reads-${period}.csv`;

describe('operations on the local stack', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let operator: (event: unknown) => Promise<OperatorResponse>;
  const published = (name: string) =>
    addMetric.mock.calls.filter(([metric]) => metric === name).map(([, , value]) => value);
  const addMetric = vi.spyOn(metrics, 'addMetric');

  beforeAll(async () => {
    stack = await startLocalStack({ services: ['dynamodb', 's3', 'sqs', 'ses', 'secrets'] });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await loadAccounts(
      pipeline,
      generated.map((g) => g.account),
    );
    const { handler } = await import('../../functions/operator/handler.ts');
    operator = async (event) => (await handler(event, lambdaContext('keybill-operator'))) as OperatorResponse;
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('a missing drop raises the alarm metric (DropsLate) and mails the operations address once', async () => {
    addMetric.mockClear();
    const response = await operator({ command: 'check-drops' });
    expect(response.ok).toBe(true);
    const result = (response as { result: { late: { feed: string; covers: string }[] } }).result;
    expect(result.late).toContainEqual(expect.objectContaining({ feed: 'meter-reads', covers: period }));
    expect(published('DropsLate')).toEqual([result.late.length]);
    expect(published('DropsPartial')).toEqual([0]);
    const notices = await pipeline.stores.notices.listNotices('OPERATIONS');
    expect(notices.filter((n) => n.noticeId.includes(`late#meter-reads#${period}`))).toHaveLength(1);
    await operator({ command: 'check-drops' });
    expect((await pipeline.stores.notices.listNotices('OPERATIONS')).length).toBe(notices.length);
  });

  it("checks as of the scheduled time Scheduler hands it: an hour after 2025-01's reads were due, they are late", async () => {
    const response = await operator({ command: 'check-drops', scheduledTime: '2025-02-03T13:15:00+08:00' });
    expect(response).toMatchObject({ ok: true, result: { checkedAt: '2025-02-03T05:15:00.000Z' } });
    const result = (response as { result: { late: { feed: string; covers: string }[] } }).result;
    expect(result.late).toContainEqual(expect.objectContaining({ feed: 'meter-reads', covers: '2025-01' }));
    expect(result.late.map((l) => l.covers)).not.toContain(period);
  });

  it('run-drop --dry-run answers the run report and stores and sends nothing', async () => {
    await pipeline.putDrop(key, toCsv(generateMeterReadRows(generated, period)));
    const response = await operator({ command: 'run-drop', bucket: LOCAL_NAMES.bucket, key, dryRun: true });
    expect(response).toMatchObject({
      ok: true,
      result: {
        dryRun: true,
        rows: { rejected: 0 },
        versions: { created: generated.length },
        accounts: { missing: [] },
      },
    });
    for (const status of ['RUNNING', 'BILLING', 'SUCCEEDED', 'FAILED', 'REJECTED'] as const) {
      expect(await pipeline.stores.runs.listRunsByStatus(status)).toEqual([]);
    }
    expect(await pipeline.stores.bills.listBillsForPeriod(period)).toEqual([]);
    for (const g of generated)
      expect(await pipeline.stores.meterReads.getMeterReads(g.account.accountId, period)).toEqual([]);
    expect(await pipeline.planNotices()).toBe(0);
    expect(await noticesOf(pipeline, generated)).toEqual([]);
    expect(await pipeline.billChunks()).toBe(0);
    expect(await stack.ses!.listEmails()).toEqual([]);
  });

  it('a partial drop lists the missing key accounts, in check-drops and in the run report get-run links', async () => {
    const partialKey = `drops/reads/${period}/meter-reads-${period}-partial.csv`;
    const present = generated.slice(0, 2);
    await pipeline.putDrop(partialKey, toCsv(generateMeterReadRows(present, period)));
    const run = (await pipeline.deliverDrop(partialKey)) as { runId: string };
    addMetric.mockClear();
    const check = await operator({ command: 'check-drops' });
    const missing = generated
      .slice(2)
      .map((g) => g.account.accountId)
      .sort();
    expect(check).toMatchObject({ ok: true, result: { partial: [{ period, runId: run.runId, missing }] } });
    expect(published('DropsPartial')).toEqual([1]);

    const got = await operator({ command: 'get-run', runId: run.runId });
    const report = (got as { result: { report: { html: string; csv: string } } }).result.report;
    expect(report.html).toBe(
      `s3://${LOCAL_NAMES.bucket}/reports/runs/reads/${period}/meter-reads-${period}-partial.csv.html`,
    );
    const html = await text(
      (
        await s3DropObjectStore.open({
          bucket: LOCAL_NAMES.bucket,
          key: report.html.split(`${LOCAL_NAMES.bucket}/`)[1]!,
        })
      ).body,
    );
    for (const id of missing) expect(html).toContain(`<code>${id}</code>`);
    expect(html).toContain('<svg ');
  });

  it('a dead-lettered message is listed, then redriven back to its queue', async () => {
    const sqs = new SQSClient({});
    const body = JSON.stringify({ accountId: generated[0]!.account.accountId, noticeId: 'dead-lettered#1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: pipeline.queues.dlqUrl, MessageBody: body }));
    sqs.destroy();
    const listed = await operator({ command: 'list-dead-letters', queue: 'Notifications/NoticeDeadLetters' });
    expect(listed).toMatchObject({
      ok: true,
      result: [
        { queue: 'Notifications/NoticeDeadLetters', redrivable: true, messages: 1, sample: [{ body }] },
      ],
    });
    const redriven = await operator({ command: 'redrive', queue: 'Notifications/NoticeDeadLetters' });
    expect(redriven).toMatchObject({ ok: true, result: { messages: 1, started: true } });
    expect(
      await operator({ command: 'list-dead-letters', queue: 'Notifications/NoticeDeadLetters' }),
    ).toMatchObject({
      result: [{ messages: 0 }],
    });
    // Back on the notices queue: send-notice takes it (the notice it names does not exist, so nothing is sent).
    expect(await pipeline.sendNotices()).toBeGreaterThanOrEqual(1);
  });

  it('redrives by moving the messages itself where SQS has no message-move task (the China regions)', async () => {
    const sqs = new SQSClient({});
    // Three of 200 KB: two together would pass the 256 KiB a batch may carry where SQS has not raised it.
    const bodies = Array.from({ length: 23 }, (_, i) =>
      JSON.stringify({
        accountId: 'A',
        noticeId: `dead#${i}`,
        ...(i % 8 === 0 ? { pad: 'x'.repeat(200_000) } : {}),
      }),
    );
    for (const body of bodies) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: pipeline.queues.dlqUrl,
          MessageBody: body,
          MessageAttributes: { origin: { DataType: 'String', StringValue: 'send-notice' } },
        }),
      );
    }
    const byHand = sqsDeadLetterQueues(deadLetterQueuesFromEnv()!, { movesByHand: () => true });
    const redriven = await redriveDeadLetters(
      { command: 'redrive', queue: 'Notifications/NoticeDeadLetters' },
      { deadLetters: byHand },
    );
    expect(redriven).toEqual({
      queue: 'Notifications/NoticeDeadLetters',
      messages: 23,
      started: true,
      moved: 23,
      left: 0,
    });
    // On the notices queue, each once, with the attributes it was dead-lettered with.
    const back: { body: string; origin: string | undefined }[] = [];
    for (let batch = 0; batch < 10 && back.length < bodies.length; batch++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: pipeline.queues.queueUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          VisibilityTimeout: 30,
        }),
      );
      back.push(
        ...Messages.map((m) => ({ body: m.Body ?? '', origin: m.MessageAttributes?.origin?.StringValue })),
      );
    }
    sqs.destroy();
    expect(back.map((m) => m.body).sort()).toEqual([...bodies].sort());
    expect(new Set(back.map((m) => m.origin))).toEqual(new Set(['send-notice']));
    expect(await byHand.count('Notifications/NoticeDeadLetters')).toBe(0);
  });
});
