/**
 * Notification figures from one run (no threshold anywhere):
 *   notify.emailsRenderedPerSecond  bill-preview emails (subject, HTML, text) rendered per second, over
 *                                   2,000 computed bills with a year of history each
 *   notify.sendRateRatio            achieved ÷ configured email rate: 200 bill-preview emails sent through
 *                                   the deployed send-notice handler (QueuePump, local stack) paced at
 *                                   EMAIL_RATE_PER_SECOND = 20
 *
 * The send-rate run happens in a child process (this file with `send-rate`): handlers and the SDK
 * clients they share are configured once per process, and another benchmark of the same `npm run bench`
 * process may already have pointed them at a stack it has since stopped.
 *
 *   npx tsx scripts/bench/notify.ts              both figures
 *   npx tsx scripts/bench/notify.ts send-rate    the send-rate run alone, printing one JSON line
 *
 * The achieved rate is (sends − 1) ÷ (last send − first send), timed at the instant the handler's token
 * bucket releases each send (the SES call follows at once: the email is read and rendered before its token):
 * n sends span n − 1 intervals, and a bucket with a burst of one allows at most 1 + rate × t sends in t, so
 * the ratio can only exceed 1.0 if pacing does. A third figure,
 *   notify.sendRateRatioWithinBatch   the same ratio over intervals inside one handler invocation,
 * separates the bucket's own precision from the pause at each SQS batch boundary (the previous batch's last
 * send and status update, then the next batch's first claim and reads before its first send), which a burst
 * of one cannot bank.
 *
 * The queue is played as the stack's event source plays it (infra/wiring-values.ts): its batches
 * (10), the next one received while an invocation runs. The stack runs up to `senderMaxConcurrency`
 * instances, each pacing itself to its share of the quota with its own bucket; this measures one instance.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { type MeterReadRow, MeterReadRowSchema } from '#domain/meter-read.ts';
import { dec } from '#domain/money.ts';
import { type BillHistoryEntry, renderBillPreviewEmail } from '#notify/index.ts';
import { BATCH_SIZES } from '../../infra/wiring-values.ts';
import {
  type GeneratedAccount,
  generateAccounts,
  generateMeterReadRows,
  toCsv,
} from '../../local/runner/fixtures.ts';

const RENDER_BILLS = Number(process.env.BENCH_NOTIFY_RENDER_BILLS ?? 2_000);
const SEND_EMAILS = Number(process.env.BENCH_NOTIFY_SEND_EMAILS ?? 200);
const EMAIL_RATE_PER_SECOND = Number(process.env.BENCH_NOTIFY_EMAIL_RATE ?? 20);
const PERIOD = '2026-10';
const TARIFF_IDS = [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))];

export interface SendRateRun {
  emails: number;
  configuredRate: number;
  /** (emails − 1) ÷ (last send − first send). */
  achievedRate: number;
  spanSeconds: number;
  /** Handler invocations (SQS batches of up to 10) it took. */
  invocations: number;
  /** The same rate over the intervals between sends of one invocation only. */
  inBatchRate: number;
  /** Mean time from an invocation's last send to the next one's first. */
  meanBatchPauseMs: number;
}

export async function benchNotify(): Promise<Record<string, number>> {
  const rendered = measureRendering(RENDER_BILLS);
  console.log(
    `  rendering: ${rendered.emails} emails in ${rendered.seconds.toFixed(2)} s (${rendered.perSecond} per second)`,
  );
  const send = await sendRateInChildProcess();
  console.log(
    `  sending: ${send.emails} emails through send-notice in ${send.spanSeconds.toFixed(2)} s, ${send.achievedRate.toFixed(2)}/s at a configured ${send.configuredRate}/s; ` +
      `${send.inBatchRate.toFixed(2)}/s within a batch, ${send.meanBatchPauseMs.toFixed(0)} ms from one batch's last send to the next one's first (${send.invocations} batches)`,
  );
  return {
    'notify.emailsRenderedPerSecond': rendered.perSecond,
    'notify.sendRateRatio': Number((send.achievedRate / send.configuredRate).toFixed(3)),
    'notify.sendRateRatioWithinBatch': Number((send.inBatchRate / send.configuredRate).toFixed(3)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Rendering

/** Eleven earlier periods around the bill's own total, so every email draws its history chart. */
function historyFor(bill: BillDocument, index: number): BillHistoryEntry[] {
  const [year, month] = bill.period.split('-').map(Number) as [number, number];
  return Array.from({ length: 11 }, (_, k) => {
    const d = new Date(Date.UTC(year, month - 2 - k, 1));
    const factor = dec(0.8).plus(dec(((index + k) * 7) % 40).div(100));
    return {
      period: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`,
      total: dec(bill.total).times(factor).toFixed(2),
      totalKwh: dec(bill.consumption.totalKwh).times(factor).toFixed(0),
    };
  });
}

function measureRendering(count: number): { emails: number; seconds: number; perSecond: number } {
  const generated = generateAccounts(count, { tariffIds: TARIFF_IDS });
  const reads = new Map<string, MeterReadRow[]>();
  for (const cells of generateMeterReadRows(generated, PERIOD)) {
    const row = MeterReadRowSchema.parse(cells);
    reads.set(row.accountId, [...(reads.get(row.accountId) ?? []), row]);
  }
  // Bills are computed before the clock starts: this measures rendering alone.
  const inputs = generated.map((g, i) => {
    const bill = computeBill({
      account: g.account,
      tariffs: SAMPLE_TARIFFS,
      reads: reads.get(g.account.accountId)!,
      period: PERIOD,
    });
    return {
      bill,
      account: g.account,
      language: g.account.language,
      history: historyFor(bill, i),
      version: 1,
    };
  });
  // Warm up the JIT and Handlebars' compiled templates on a slice before measuring.
  let checksum = 0;
  for (const input of inputs.slice(0, Math.min(200, inputs.length)))
    checksum += renderBillPreviewEmail(input).html.length;
  const started = performance.now();
  for (const input of inputs) {
    const email = renderBillPreviewEmail(input);
    checksum += email.html.length + email.text.length + email.subject.length;
  }
  const seconds = (performance.now() - started) / 1000;
  // The checksum keeps the work observable (and the loop from being optimised away).
  if (checksum === 0) throw new Error('rendered nothing');
  return { emails: inputs.length, seconds, perSecond: Math.round(inputs.length / seconds) };
}

// ---------------------------------------------------------------------------------------------------
// Send rate

async function sendRateInChildProcess(): Promise<SendRateRun> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), 'send-rate'],
    { maxBuffer: 1 << 20, timeout: 600_000, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as SendRateRun;
}

export async function measureSendRate(
  emails = SEND_EMAILS,
  rate = EMAIL_RATE_PER_SECOND,
): Promise<SendRateRun> {
  // Imported here: the local stack and the handlers are only needed by this run, in its own process.
  const { startLocalStack } = await import('../../local/stack.ts');
  const { prepareLocalPipeline } = await import('../../local/runner/local-pipeline.ts');
  const { QueuePump } = await import('../../local/runner/runner.ts');
  const { TokenBucket } = await import('#services/pacing.ts');
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

  // The clock: the instant the handler's bucket releases each send (the SES call follows at once), and
  // the handler invocation (SQS batch) it belongs to. Instrumentation of this process only.
  const grants: { at: number; invocation: number }[] = [];
  let invocation = 0;
  const take = TokenBucket.prototype.take;
  TokenBucket.prototype.take = async function (this: InstanceType<typeof TokenBucket>) {
    await take.call(this);
    grants.push({ at: performance.now(), invocation });
  };

  const stack = await startLocalStack();
  try {
    const pipeline = await prepareLocalPipeline(stack, { EMAIL_RATE_PER_SECOND: String(rate) });
    // Email only, one contact each: every notice is paced by the email bucket.
    const accounts: GeneratedAccount[] = generateAccounts(emails, { tariffIds: TARIFF_IDS, seed: 11 }).map(
      (g) => {
        const account: Account = {
          ...g.account,
          contacts: [{ ...g.account.contacts[0]!, phone: undefined }],
        };
        return { ...g, account };
      },
    );
    await pipeline.stores.tariffs.putTariffs(SAMPLE_TARIFFS);
    await pipeline.stores.accounts.putAccounts(accounts.map((g) => g.account));
    const key = `drops/reads/${PERIOD}/bench-notify.csv`;
    await pipeline.putDrop(key, toCsv(generateMeterReadRows(accounts, PERIOD)));
    await pipeline.deliverDrop(key);
    const bills = await pipeline.planNotices();
    if (bills !== emails) throw new Error(`expected ${emails} new bills, the stream delivered ${bills}`);

    // The deployed handler (already loaded by the pipeline), fed by the SQS event source's stand-in.
    const { handler } = await import('../../functions/send-notice/handler.ts');
    const pump = new QueuePump(
      pipeline.queues.queueUrl,
      pipeline.queues.queueArn,
      (event, context) => {
        invocation++;
        return handler(event, context);
      },
      // As the stack's event source (infra/wiring-values.ts): its batches, and the next batch read while
      // an invocation runs, as Lambda's pollers do.
      { functionName: 'keybill-send-notice', batchSize: BATCH_SIZES['send-notice'], prefetch: true },
    );
    await pump.drain();
    pump.close();
    const sent = (await pipeline.stores.notices.listNoticesByStatus('SENT')).length;
    const inSes = (await stack.ses!.listEmails()).length;
    pipeline.close();
    if (sent !== emails || inSes !== emails || grants.length !== emails) {
      throw new Error(
        `expected ${emails} emails sent once each; ${sent} SENT, ${inSes} in SES, ${grants.length} paced sends`,
      );
    }

    const spanSeconds = (grants.at(-1)!.at - grants[0]!.at) / 1000;
    // Inside one invocation the bucket alone sets the pace; between two, the next batch's reads and claims.
    let intervals = 0;
    let inBatchMs = 0;
    for (let i = 1; i < grants.length; i++) {
      if (grants[i]!.invocation !== grants[i - 1]!.invocation) continue;
      intervals++;
      inBatchMs += grants[i]!.at - grants[i - 1]!.at;
    }
    return {
      emails,
      configuredRate: rate,
      achievedRate: (emails - 1) / spanSeconds,
      spanSeconds,
      invocations: invocation,
      inBatchRate: intervals / (inBatchMs / 1000),
      meanBatchPauseMs: (spanSeconds * 1000 - inBatchMs) / Math.max(1, emails - 1 - intervals),
    };
  } finally {
    TokenBucket.prototype.take = take;
    await stack.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === 'send-rate') {
    console.log(JSON.stringify(await measureSendRate()));
  } else {
    for (const [key, value] of Object.entries(await benchNotify()))
      console.log(`  ${key.padEnd(36)} ${value}`);
  }
  // The SDK's keep-alive sockets to stopped emulators would otherwise hold the process open a while.
  process.exit(0);
}
