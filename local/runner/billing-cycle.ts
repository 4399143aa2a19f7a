import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { s3DropObjectStore } from '#adapters/drop-objects.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { periodBefore, shanghaiDate } from '#domain/calendar/index.ts';
import type { MeterReadColumn } from '#domain/meter-read.ts';
import { dec, formatYuan } from '#domain/money.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { formatMoney } from '#notify/index.ts';
import type { MeterReadDropResult } from '#services/run-meter-read-drop.ts';
import type { LocalStack } from '../stack.ts';
import { demoAccounts, generateBillHistory, HISTORY_PERIODS, heldAndLeftOut } from './demo-history.ts';
import { type GeneratedAccount, generateMeterReadRows, toCsv } from './fixtures.ts';
import {
  type HandlerSource,
  LOCAL_NAMES,
  type LocalPipeline,
  prepareLocalPipeline,
  type TemplateWiring,
} from './local-pipeline.ts';
import { checkDropsAfterDue, readRunReport } from './operations-day.ts';
import { type SimulatedAnswers, simulateAnswers } from './simulated-answers.ts';

export { LOCAL_NAMES } from './local-pipeline.ts';

export interface BillingCycleSummary {
  counts: {
    period: string;
    accountsGenerated: number;
    accountsBilled: number;
    rows: number;
    rowsAccepted: number;
    rowsRejected: number;
    billsCreated: number;
    totalBilled: string;
    noticesPlanned: number;
    emailsSent: number;
    smsSent: number;
    noticesFailed: number;
    /** Bills held for review by the plausibility policy: no preview sent, the account manager told. */
    billsHeld: number;
    redeliveredDropOutcome: string;
    emailsAfterRedelivery: number;
    managerDigestsSent: number;
    keyAccounts: number;
    keyAccountRevenueShare: string;
    segments: Record<string, number>;
    bucket: string;
    dropKey: string;
    rejectReportKey?: string;
    /** Drops check-drops found late an hour after the reads were due, before the drop came (DropsLate). */
    lateDrops: number;
    /** Meter-read drops that arrived without some key accounts (DropsPartial), and those accounts. */
    partialDrops: number;
    accountsMissingFromDrop: string[];
    /** With `simulateAnswers`: customers' answers recorded and follow-ups opened. */
    answersRecorded?: number;
    followUpsOpened?: number;
  };
  /** With `simulateAnswers`: the managers' open follow-ups after the answers. */
  worklist?: SimulatedAnswers['worklist'];
  table: Record<string, { value: string | number }>;
  emails: { fileName: string; html: string }[];
  sms: { fileName: string; text: string }[];
  rejectReport?: string;
  /** The bills held for review, for the demo to print (account, version, total, reasons). */
  heldBills: { accountId: string; period: string; version: number; total: string; reasons: string[] }[];
  /** The key-account reports (CSV and HTML) the ranking wrote to the bucket. */
  reports: { fileName: string; body: string }[];
  /** The drop's run report (HTML and CSV) check-drops wrote to the bucket. */
  runReport: { html: string; csv: string; keys: { html: string; csv: string } };
  env: Record<string, string>;
  /** With `keepPipeline`: the pipeline, still open (the caller closes it), and the accounts it billed. */
  kept?: { pipeline: LocalPipeline; accounts: GeneratedAccount[] };
}

/** Last month in Asia/Shanghai: the period a billing cycle run today closes. */
export function previousPeriod(now = new Date()): string {
  return periodBefore(shanghaiDate(now));
}

/**
 * One billing cycle on a started local stack, driven through the deployed handlers with AWS-shaped
 * events. Used by `npm run demo` and by the end-to-end integration test.
 */
export async function runBillingCycle(options: {
  stack: LocalStack;
  accounts: number;
  period?: string;
  progress?: (message: string) => void;
  /** Leave the pipeline open for more drops (`npm run demo -- --keep`). */
  keepPipeline?: boolean;
  /** Customers answer three previews (a rating, a call request, a receipt) before the ranking. */
  simulateAnswers?: boolean;
  /** Where the handlers come from (default: the sources; the bundle tests: cdk.out). */
  handlers?: HandlerSource;
  /** The template's wiring (the bundle tests); default: the runner's local defaults. */
  wiring?: TemplateWiring;
}): Promise<BillingCycleSummary> {
  const progress = options.progress ?? (() => {});
  const period = options.period ?? previousPeriod();
  const { stack } = options;

  const pipeline = await prepareLocalPipeline(stack, {}, options.handlers, options.wiring);
  const { stores, env } = pipeline;
  progress(
    `created table ${LOCAL_NAMES.table}, bucket ${LOCAL_NAMES.bucket}, queue ${LOCAL_NAMES.queue} (+ DLQ)`,
  );
  const generated = demoAccounts(options.accounts, [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))]);
  await stores.tariffs.putTariffs(SAMPLE_TARIFFS);
  await stores.accounts.putAccounts(generated.map((g) => g.account));
  progress(`loaded ${generated.length} key accounts and ${SAMPLE_TARIFFS.length} tariff versions`);
  const history = generateBillHistory(generated, period, SAMPLE_TARIFFS);
  await pipeline.loadBillHistory(history);
  progress(
    `loaded ${history.length} bills of the ${HISTORY_PERIODS} periods before ${period} (shaped so that every usage segment occurs)`,
  );

  // The hourly check an hour after the reads were due, before they came: a late drop (alarm, operations mail).
  const late = await checkDropsAfterDue(pipeline, period);
  progress(
    `check-drops, 1 h after the reads were due: late ${late.late.map((d) => `${d.feed} ${d.covers}`).join(', ')} → DropsLate ${late.metrics.DropsLate} (alarm), operations mailed`,
  );

  const { estimated, leftOut } = heldAndLeftOut(generated);
  const allRows = withEstimatedRead(estimated, generateMeterReadRows(generated, period));
  // The metering system leaves one key account out of the drop (not the one whose read is estimated): a
  // partial drop, caught by the next check.
  const rows = allRows.filter((r) => r.account_id !== leftOut.account.accountId);
  // Two rows the metering system gets wrong, to show that a bad row is reported and nothing valid is lost.
  const broken = [
    { ...rows[0]!, meter_id: 'M-UNKNOWN-1', account_id: '3100099999' },
    { ...rows[1]!, meter_id: 'M-BROKEN-2', multiplier: '-40' },
  ];
  const csv = toCsv([...rows, ...broken]);
  const dropKey = `drops/reads/${period}/meter-reads-${period}.csv`;
  const { size } = await pipeline.putDrop(dropKey, csv);
  progress(
    `dropped s3://${LOCAL_NAMES.bucket}/${dropKey} (${rows.length + broken.length} rows, ${size} bytes)`,
  );

  const result = (await pipeline.deliverDrop(dropKey)) as MeterReadDropResult;
  progress(
    `ingest-drop: ${result.accepted} rows accepted, ${result.rejected} rejected; bill-chunk: ${result.accountsBilled} accounts billed in ${result.chunks ?? 0} chunk(s)`,
  );
  const billEvents = await pipeline.planNotices();
  progress(`plan-notices: ${billEvents} new bills from the table stream`);
  let sentSoFar = 0;
  await pipeline.sendNotices({
    onBatch: (n) => {
      sentSoFar += n;
      if (sentSoFar % 20 < n) progress(`send-notice: ${sentSoFar} notices handled`);
    },
  });

  const partial = await checkDropsAfterDue(pipeline, period);
  const missing = partial.partial.flatMap((p) => p.missing);
  const runReport = await readRunReport(dropKey);
  progress(
    `check-drops: partial drop, ${missing.length} key account(s) without a bill (${missing.join(', ')}) → DropsPartial ${partial.metrics.DropsPartial} (alarm); run report s3://${LOCAL_NAMES.bucket}/${runReport.keys.html}`,
  );
  // Its reads follow in a drop of their own, which bills it.
  const supplementKey = `drops/reads/${period}/meter-reads-${period}-supplement.csv`;
  await pipeline.putDrop(
    supplementKey,
    toCsv(allRows.filter((r) => r.account_id === leftOut.account.accountId)),
  );
  await pipeline.deliverDrop(supplementKey);
  await pipeline.planNotices();
  await pipeline.sendNotices();
  progress(
    `supplement drop s3://${LOCAL_NAMES.bucket}/${supplementKey}: ${leftOut.account.accountId} billed`,
  );

  // Exactly once: EventBridge may deliver the same event again; nothing new may happen.
  const again = (await pipeline.deliverDrop(dropKey)) as MeterReadDropResult;
  await pipeline.planNotices();
  await pipeline.sendNotices();
  progress(`re-delivered the same drop event: ${again.outcome}`);
  const emailsAfterRedelivery = (await stack.ses!.listEmails()).length;

  const nextMonth = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 1))
    .toISOString()
    .slice(0, 10);
  const answered =
    options.simulateAnswers === true ? await simulateAnswers(stack, pipeline, period) : undefined;
  if (answered !== undefined)
    progress(
      `customers answered: ${answered.answersRecorded} answers, ${answered.followUpsOpened} follow-ups opened`,
    );
  // With the template, as its monthly schedule fires (the 3rd, its time zone's morning); without, as an
  // operator names the month.
  const ranking =
    options.wiring === undefined
      ? await pipeline.rankAccounts({ asOf: nextMonth, period })
      : ((await pipeline.fireSchedule('keybill-monthly-ranking', `${nextMonth.slice(0, 8)}03`))[0] as Awaited<
          ReturnType<LocalPipeline['rankAccounts']>
        >);
  await pipeline.sendNotices();
  progress(
    `rank-accounts: ${ranking.keyAccounts} of ${ranking.accounts} accounts are key (${(Number(ranking.revenueShare) * 100).toFixed(1)} % of revenue); report s3://${LOCAL_NAMES.bucket}/${ranking.reportKeys[1] ?? ''}`,
  );

  const notices: StoredNotice[] = [];
  const bills = await stores.bills.listBillsForPeriod(period);
  for (const g of generated) notices.push(...(await stores.notices.listNotices(g.account.accountId)));
  const sent = notices.filter((n) => n.status === 'SENT');
  const storedEmails = await stack.ses!.listEmails();
  const recordedSms = stack.sms!.messages();
  const byMessageId = new Map(sent.map((n) => [n.providerMessageId, n]));
  const fileNameOf = (n: StoredNotice | undefined, fallback: string) =>
    n === undefined
      ? fallback
      : n.kind === 'bill-held'
        ? `${n.accountId}-held-v${n.billVersion}-to-account-manager`
        : `${n.accountId}-${n.channel}-${n.recipient.language}-v${n.billVersion}`;

  const totalBilled = bills.reduce((acc, b) => acc.plus(b.document.total), dec(0));
  const counts: BillingCycleSummary['counts'] = {
    period,
    accountsGenerated: generated.length,
    // Every account billed once over the drop and its supplement.
    accountsBilled: new Set(bills.map((b) => b.accountId)).size,
    rows: result.rows,
    rowsAccepted: result.accepted,
    rowsRejected: result.rejected,
    billsCreated: result.billsCreated,
    totalBilled: formatYuan(totalBilled),
    noticesPlanned: notices.length,
    emailsSent: sent.filter((n) => n.channel === 'email' && n.kind === 'bill-preview').length,
    smsSent: sent.filter((n) => n.channel === 'sms' && n.kind === 'bill-preview').length,
    noticesFailed: notices.filter((n) => n.status === 'FAILED').length,
    billsHeld: result.billsHeld ?? 0,
    redeliveredDropOutcome: again.outcome,
    emailsAfterRedelivery,
    managerDigestsSent: ranking.digestsSent,
    keyAccounts: ranking.keyAccounts,
    keyAccountRevenueShare: ranking.revenueShare,
    segments: Object.fromEntries(Object.entries(ranking.segments).filter(([, n]) => Number(n) > 0)) as Record<
      string,
      number
    >,
    bucket: LOCAL_NAMES.bucket,
    dropKey,
    ...(result.rejectReportKey === undefined ? {} : { rejectReportKey: result.rejectReportKey }),
    lateDrops: late.late.length,
    partialDrops: partial.partial.length,
    accountsMissingFromDrop: missing,
    ...(answered === undefined
      ? {}
      : { answersRecorded: answered.answersRecorded, followUpsOpened: answered.followUpsOpened }),
  };
  let rejectReport: string | undefined;
  if (result.rejectReportKey !== undefined) {
    const opened = await s3DropObjectStore.open({ bucket: LOCAL_NAMES.bucket, key: result.rejectReportKey });
    rejectReport = await new Response(Readable.toWeb(opened.body) as ReadableStream).text();
  }
  const reports: { fileName: string; body: string }[] = [];
  for (const key of ranking.reportKeys) {
    const opened = await s3DropObjectStore.open({ bucket: LOCAL_NAMES.bucket, key });
    reports.push({
      fileName: key.split('/').at(-1)!,
      body: await new Response(Readable.toWeb(opened.body) as ReadableStream).text(),
    });
  }
  if (options.keepPipeline !== true) pipeline.close();

  return {
    counts,
    table: {
      'billing period': { value: period },
      'accounts billed': { value: `${counts.accountsBilled} / ${counts.accountsGenerated}` },
      'meter-read rows': { value: counts.rows },
      'rows rejected': { value: counts.rowsRejected },
      'late drops (alarm)': { value: counts.lateDrops },
      'partial drop: accounts missing': { value: counts.accountsMissingFromDrop.join(', ') },
      'total billed': { value: formatMoney(counts.totalBilled) },
      'bill-preview emails sent': { value: counts.emailsSent },
      'bill-preview SMS sent': { value: counts.smsSent },
      'notices failed': { value: counts.noticesFailed },
      'bills held for review': { value: `${counts.billsHeld} (no preview sent; account manager told)` },
      'same drop re-delivered': { value: `${counts.redeliveredDropOutcome}, nothing re-sent` },
      'manager digests sent': { value: counts.managerDigestsSent },
      'key accounts (Pareto)': {
        value: `${counts.keyAccounts} (${(Number(counts.keyAccountRevenueShare) * 100).toFixed(1)} % of revenue)`,
      },
      'usage segments': {
        value: Object.entries(counts.segments)
          .map(([segment, n]) => `${segment} ${n}`)
          .join(', '),
      },
    },
    emails: storedEmails.map((e, i) => ({
      fileName: fileNameOf(byMessageId.get(e.messageId), `email-${i + 1}`),
      html: e.body.html ?? `<pre>${e.body.text ?? ''}</pre>`,
    })),
    sms: recordedSms.map((m, i) => ({
      fileName: fileNameOf(byMessageId.get(m.messageId), `sms-${i + 1}`),
      text: m.message,
    })),
    rejectReport,
    heldBills: (result.held ?? []).map((h) => ({
      accountId: h.accountId,
      period: h.period,
      version: h.version,
      total: bills.find((b) => b.accountId === h.accountId && b.version === h.version)?.document.total ?? '',
      reasons: h.reasons.map((r) => r.message),
    })),
    reports,
    runReport,
    env,
    ...(options.keepPipeline === true ? { kept: { pipeline, accounts: generated } } : {}),
    ...(answered === undefined ? {} : { worklist: answered.worklist }),
  };
}

/**
 * The metering system estimated one account's read this month (its meter could not be read): the
 * plausibility policy holds that bill for review, so the demo shows a held bill. The amounts are those of
 * an actual read (an estimate is billed the same way), so every other figure of the demo stays as it was.
 */
function withEstimatedRead(
  estimated: GeneratedAccount | undefined,
  rows: Record<MeterReadColumn, string>[],
): Record<MeterReadColumn, string>[] {
  if (estimated === undefined) return rows;
  return rows.map((r) =>
    r.account_id === estimated.account.accountId ? { ...r, read_type: 'estimated' } : r,
  );
}

/**
 * A second reading of the period for a few accounts, put in the bucket and left there (locally no
 * EventBridge rule runs it): for a person to run with the CLI's `run-drop` against the kept stack, which
 * bills it and sends the corrected previews. Answers its key.
 */
export async function putCorrectionDrop(
  pipeline: Pick<LocalPipeline, 'putDrop'>,
  accounts: readonly GeneratedAccount[],
  period: string,
): Promise<string> {
  const key = `drops/reads/${period}/meter-reads-${period}-correction.csv`;
  await pipeline.putDrop(key, toCsv(generateMeterReadRows(accounts.slice(0, 3), period, { seed: 2 })));
  return key;
}
