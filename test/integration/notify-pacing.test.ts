import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsMessageProviders } from '#adapters/providers.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { TokenBucket } from '#services/pacing.ts';
import { BATCH_SIZES } from '../../infra/wiring-values.ts';
import {
  type GeneratedAccount,
  generateAccounts,
  generateMeterReadRows,
  seededRandom,
  toCsv,
} from '../../local/runner/fixtures.ts';
import { type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { QueuePump } from '../../local/runner/runner.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { dropBillAndPlan, loadAccounts, noticesOf, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * Bill-preview emails through the deployed send-notice handler paced at 20 per second, fed as the stack's
 * event source feeds it (batches of 10, the next batch received while an invocation runs) while the pump
 * also hands 20 % of the messages over twice. Whatever the timing of a shared machine, the provider is never
 * called faster than the pace, and every notice is sent exactly once. (How close to the pace it gets is
 * measured by `npm run bench -- notify`, not asserted here.)
 */

const PERIOD = '2026-10';
const EMAILS = 30;
const RATE = 20;
const SEED = 20261123;

describe('paced bill-preview emails from a prefetching queue pump (local stack)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let accounts: GeneratedAccount[];
  let notices: StoredNotice[];
  /** performance.now() of each SendEmail call, as the handler makes it. */
  const calls: number[] = [];
  /** performance.now() of each token the handler's pace grants. */
  const grants: number[] = [];
  let duplicated = 0;
  let handled = 0;

  beforeAll(async () => {
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack, { EMAIL_RATE_PER_SECOND: String(RATE) });
    accounts = generateAccounts(EMAILS, {
      seed: SEED,
      tariffIds: SAMPLE_TARIFF_IDS,
    }).map((g) => ({
      ...g,
      account: { ...g.account, contacts: [{ ...g.account.contacts[0]!, phone: undefined }] },
    }));
    await loadAccounts(
      pipeline,
      accounts.map((g) => g.account),
    );
    await dropBillAndPlan(
      pipeline,
      `drops/reads/${PERIOD}/paced.csv`,
      toCsv(generateMeterReadRows(accounts, PERIOD)),
    );

    const sendEmail = awsMessageProviders.sendEmail;
    awsMessageProviders.sendEmail = (message, hooks) => {
      calls.push(performance.now());
      return sendEmail(message, hooks);
    };
    // Grants are where the pace is enforced; a call follows its grant by however long the event loop
    // takes to get back to it, which on a loaded machine varies by a millisecond or more.
    const grant = Reflect.get(TokenBucket.prototype, 'grant') as (this: TokenBucket) => void;
    Reflect.set(TokenBucket.prototype, 'grant', function (this: TokenBucket) {
      grants.push(performance.now());
      grant.call(this);
    });
    const { handler } = await import('../../functions/send-notice/handler.ts');
    const random = seededRandom(SEED);
    const pump = new QueuePump(pipeline.queues.queueUrl, pipeline.queues.queueArn, handler, {
      functionName: 'keybill-send-notice',
      batchSize: BATCH_SIZES['send-notice'],
      prefetch: true,
      duplicate: () => {
        const twice = random() < 0.2;
        if (twice) duplicated++;
        return twice;
      },
    });
    try {
      handled = await pump.drain({ timeoutMs: 60_000 });
    } finally {
      pump.close();
      awsMessageProviders.sendEmail = sendEmail;
      Reflect.set(TokenBucket.prototype, 'grant', grant);
    }
    notices = await noticesOf(pipeline, accounts);
  }, 120_000);

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('handed some messages over twice, and drained the queue', () => {
    expect(duplicated).toBeGreaterThan(0);
    // Deliveries, not sends: on a loaded machine a batch can outlive the local queue's 2 s visibility
    // timeout and come back while it runs, so their number depends on timing. Sending once does not, and
    // is checked on what reached SES below.
    expect(handled).toBeGreaterThanOrEqual(EMAILS);
  });

  it('sends every notice once: SENT, one email each in SES, one SendEmail call each', async () => {
    expect(notices).toHaveLength(EMAILS);
    expect(notices.filter((n) => n.status !== 'SENT').map((n) => `${n.noticeId}: ${n.status}`)).toEqual([]);
    const emails = await stack.ses!.listEmails();
    expect(emails.map((e) => e.destination.to[0]).sort()).toEqual(
      accounts.map((g) => g.account.contacts[0]!.email!).sort(),
    );
    expect(calls).toHaveLength(EMAILS);
  });

  it('never calls SES faster than the pace, between any two sends', () => {
    const interval = 1000 / RATE;
    // One token per call, each granted a full interval after the one before, each call after its grant.
    expect(grants).toHaveLength(calls.length);
    const gaps = grants.slice(1).map((at, i) => at - grants[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(interval - 1e-6);
    for (const [i, at] of calls.entries()) expect(at).toBeGreaterThanOrEqual(grants[i]!);
    expect((calls.length - 1) / ((calls.at(-1)! - calls[0]!) / 1000)).toBeLessThanOrEqual(RATE * 1.001);
  });
});
