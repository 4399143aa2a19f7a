import { createHash } from 'node:crypto';
import { z } from 'zod';
import { shanghaiDate, shanghaiInstant } from '#domain/calendar/index.ts';
import {
  accountsExpectedIn,
  dropsDueBy,
  type ExpectedDrop,
  type FeedCalendar,
  missingAccounts,
} from '#domain/feed-calendar.ts';
import type { NoticePlan } from '#domain/notices.ts';
import type { RunRecord } from '#domain/run.ts';
import type {
  AccountStore,
  BillHoldStore,
  BillStore,
  DropObjectStore,
  NoticeQueue,
  NoticeStore,
  RunStore,
} from '../ports/index.ts';
import { STALE_RUN_MS } from '../run-meter-read-drop.ts';
import { writeRunReport } from '../run-report.ts';

/*
 * The scheduled check of the feeds against the feed calendar, and of runs that stopped moving: a drop that
 * is late, a meter-read drop that arrived without some key accounts, a run stuck in RUNNING or BILLING.
 * Each is a metric (alarmed) and, for drops, one e-mail to the operations address per drop and day.
 */

/**
 * `scheduledTime`: the instant to check as of, which the hourly schedule passes (its context attribute), so
 * a late or retried invocation checks the hour it was meant for; an operator leaves it out (now).
 */
export const CheckDropsCommand = z
  .object({ command: z.literal('check-drops'), scheduledTime: z.iso.datetime({ offset: true }).optional() })
  .strict();

/** The accounts a notice lists by id, at most (the run report lists them all). */
const MAX_LISTED_ACCOUNTS = 200;

/** Files the operations notices: no account has this id (account ids of the feed are numbers). */
export const OPERATIONS_NOTICE_ACCOUNT = 'OPERATIONS';

export interface DropCheckDeps {
  runs: Pick<RunStore, 'listRunsByPeriod' | 'listRunsByStatus'>;
  accounts: Pick<AccountStore, 'listAccounts'>;
  bills: Pick<BillStore, 'listBillsForPeriod' | 'getBill'>;
  /** The previous period's holds: the run report compares with what the customer was sent. */
  holds: Pick<BillHoldStore, 'listHoldsByStatus' | 'listHolds'>;
  notices: Pick<NoticeStore, 'createNotice' | 'listNotices'>;
  /** Where the run reports are written: the latest run of the period due gets its report refreshed. */
  objects?: DropObjectStore | undefined;
  feedCalendar: FeedCalendar;
  /** Where operations notices go (OPERATIONS_EMAIL); without it, the alarm alone tells. */
  operationsEmail?: string | undefined;
  queue?: NoticeQueue | undefined;
  /** Publishes a metric (the alarms watch DropsLate, DropsPartial and RunsStuck). */
  count?: ((metric: DropCheckMetric, value: number) => void) | undefined;
  now?: () => Date;
}

export type DropCheckMetric = 'DropsLate' | 'DropsPartial' | 'RunsStuck';

export interface PartialDrop {
  period: string;
  runId: string;
  expected: number;
  missing: string[];
}

export interface DropCheckResult {
  checkedAt: string;
  late: ExpectedDrop[];
  partial: PartialDrop[];
  stuck: { runId: string; status: string; startedAt: string }[];
  noticesQueued: number;
}

const ARRIVED: ReadonlySet<string> = new Set(['RUNNING', 'BILLING', 'SUCCEEDED']);

export async function checkDrops(deps: DropCheckDeps): Promise<DropCheckResult> {
  const now = (deps.now ?? (() => new Date()))();
  const local = shanghaiInstant(now.getTime());
  const today = shanghaiDate(now);
  const late: ExpectedDrop[] = [];
  const partial: PartialDrop[] = [];
  for (const drop of dropsDueBy(deps.feedCalendar, today, local.slice(11, 16))) {
    const runs = (await deps.runs.listRunsByPeriod(drop.covers.slice(0, 7))).filter(
      (run) => run.feed === drop.feed && ARRIVED.has(run.status) && covers(run, drop),
    );
    if (runs.length === 0) {
      late.push(drop);
      continue;
    }
    const finished = runs.filter((r) => r.status === 'SUCCEEDED');
    if (drop.feed === 'meter-reads' && finished.length > 0) {
      const found = await missingFromPeriod(drop.covers, deps);
      const latest = finished.reduce((a, b) => (a.startedAt > b.startedAt ? a : b));
      if (found.missing.length > 0) partial.push({ period: drop.covers, runId: latest.runId, ...found });
      if (deps.objects !== undefined) await writeRunReport(latest, { ...deps, objects: deps.objects });
    }
  }
  const stuck = await stuckRuns(deps, now.getTime());
  deps.count?.('DropsLate', late.length);
  deps.count?.('DropsPartial', partial.length);
  deps.count?.('RunsStuck', stuck.length);
  const noticesQueued = await tellOperations(today, late, partial, deps);
  return { checkedAt: now.toISOString(), late, partial, stuck, noticesQueued };
}

/** The key accounts a period's bills leave out. */
export async function missingFromPeriod(
  period: string,
  deps: Pick<DropCheckDeps, 'accounts' | 'bills'>,
): Promise<{ expected: number; missing: string[] }> {
  const expected = accountsExpectedIn(await deps.accounts.listAccounts(), period);
  const billed = (await deps.bills.listBillsForPeriod(period)).map((b) => b.document.accountId);
  return { expected: expected.length, missing: missingAccounts(expected, billed) };
}

/** A meter-read run covers its period; a payments run the day it started on, or the date its key names. */
function covers(run: RunRecord, drop: ExpectedDrop): boolean {
  if (drop.feed === 'meter-reads') return run.period === drop.covers;
  const compact = drop.covers.replaceAll('-', '');
  return (
    shanghaiDate(run.startedAt) === drop.covers || run.key.includes(drop.covers) || run.key.includes(compact)
  );
}

async function stuckRuns(deps: DropCheckDeps, nowMs: number) {
  const runs = [
    ...(await deps.runs.listRunsByStatus('RUNNING')),
    ...(await deps.runs.listRunsByStatus('BILLING')),
  ];
  return runs
    .filter((run) => nowMs - Date.parse(run.startedAt) > STALE_RUN_MS)
    .map(({ runId, status, startedAt }) => ({ runId, status, startedAt }));
}

/** One e-mail per late or partial drop and day: its notice id is its natural key, re-runs change nothing. */
async function tellOperations(
  today: string,
  late: readonly ExpectedDrop[],
  partial: readonly PartialDrop[],
  deps: DropCheckDeps,
): Promise<number> {
  if (deps.operationsEmail === undefined || deps.queue === undefined) return 0;
  const plans: NoticePlan[] = [
    ...late.map((drop) =>
      operationsNotice(
        today,
        `late#${drop.feed}#${drop.covers}`,
        drop.covers.slice(0, 7),
        {
          subject: `【keybill】${drop.feed === 'meter-reads' ? '抄表数据' : '缴费数据'}未到 / ${drop.feed} drop for ${drop.covers} is late`,
          text: [
            `The ${drop.feed} drop for ${drop.covers} was due ${drop.due} (Asia/Shanghai) and has not arrived.`,
            'Nothing is billed or settled for it until it does. Ask the producing system to deliver it.',
          ].join('\n'),
        },
        deps.operationsEmail!,
      ),
    ),
    ...partial.map((drop) =>
      operationsNotice(
        today,
        `partial#${drop.period}`,
        drop.period,
        {
          subject: `【keybill】抄表数据缺户 / ${drop.missing.length} key accounts have no bill for ${drop.period}`,
          text: [
            `${drop.missing.length} of ${drop.expected} key accounts have no bill for ${drop.period} (latest run ${drop.runId}).`,
            'Their previews are not sent until a drop with their reads bills them. The run report lists them; the first ones:',
            ...drop.missing.slice(0, MAX_LISTED_ACCOUNTS),
            ...(drop.missing.length > MAX_LISTED_ACCOUNTS
              ? [`and ${drop.missing.length - MAX_LISTED_ACCOUNTS} more`]
              : []),
          ].join('\n'),
        },
        deps.operationsEmail!,
      ),
    ),
  ];
  const queued = [];
  for (const plan of plans) {
    const { notice } = await deps.notices.createNotice(plan);
    if (notice.status === 'QUEUED') queued.push({ accountId: notice.accountId, noticeId: notice.noticeId });
  }
  await deps.queue.enqueue(queued);
  return queued.length;
}

function operationsNotice(
  today: string,
  what: string,
  period: string,
  message: { subject: string; text: string },
  address: string,
): NoticePlan {
  return {
    noticeId: `OPS#${today}#${what}`,
    kind: 'operations-notice',
    accountId: OPERATIONS_NOTICE_ACCOUNT,
    period,
    billVersion: 0,
    channel: 'email',
    recipient: { role: 'operations', name: 'keybill operations', address, language: 'en' },
    content: {
      subject: message.subject,
      text: message.text,
      textSha256: createHash('sha256').update(message.text).digest('hex'),
    },
  };
}
