import { createHash } from 'node:crypto';
import type { Account } from '#domain/account.ts';
import {
  type AnswerKpis,
  answerKpis,
  renderAnswerKpisCsv,
  renderAnswerKpisText,
  withAnswerKpisSection,
} from '#domain/answers/index.ts';
import type { BillDocument } from '#domain/bill.ts';
import {
  buildManagerDigests,
  buildServiceReports,
  configInEffect,
  DEFAULT_KEY_ACCOUNT_CONFIG,
  type KeyAccountRanking,
  type KeySelectionRecord,
  type NoticeRecord,
  type OperatorOverride,
  rankKeyAccounts,
  renderKeyAccountCsv,
  renderKeyAccountHtml,
  renderManagerDigestText,
} from '#domain/key-accounts/index.ts';
import { billsAsSent, holdsOfHeldVersions } from './bills-as-sent.ts';
import type {
  AccountStore,
  AnswerStore,
  BillHoldStore,
  BillStore,
  DropObjectStore,
  FollowUpStore,
  KeyAccountStore,
  NoticeQueue,
  NoticeStore,
} from './ports/index.ts';

export interface RankingDeps {
  accounts: Pick<AccountStore, 'listAccounts'>;
  bills: Pick<BillStore, 'getBillHistory' | 'getBill'>;
  /** An account is ranked by what it was billed: a held version counts its period's last sent one. */
  holds: Pick<BillHoldStore, 'listHoldsByStatus' | 'listHolds'>;
  keyAccounts: KeyAccountStore;
  notices: Pick<NoticeStore, 'listNotices' | 'createNotice'>;
  objects?: DropObjectStore;
  queue?: NoticeQueue;
  /** Where present, the customers' answers' KPIs join the digests and the report. */
  answers?: Pick<AnswerStore, 'listAnswersOfMonth'>;
  followUps?: Pick<FollowUpStore, 'listFollowUpsOpenedInMonth'>;
  now?: () => Date;
}

export interface KeyAccountRunResult {
  period: string;
  effectiveFrom: string;
  accounts: number;
  keyAccounts: number;
  revenueShare: string;
  segments: Record<string, number>;
  selection: 'created' | 'exists';
  reportKeys: string[];
  /** Monthly digests queued to account managers (one per manager and period, whatever the retries). */
  digestsSent: number;
}

const SENT = new Set(['SENT', 'DELIVERED']);

async function sendManagerDigests(
  ranking: KeyAccountRanking,
  accounts: readonly Account[],
  bills: readonly BillDocument[],
  store: RankingDeps['notices'],
  queue: NoticeQueue,
  kpis: readonly AnswerKpis[] | undefined,
): Promise<number> {
  const notices: NoticeRecord[] = [];
  for (const accountId of ranking.keyAccountIds) {
    for (const n of await store.listNotices(accountId)) {
      if (n.kind !== 'bill-preview' && n.kind !== 'arrears-warning') continue;
      const sentAt = n.timeline.find((t) => SENT.has(t.status))?.at;
      notices.push({
        noticeId: n.noticeId,
        accountId,
        kind: n.kind,
        channel: n.channel,
        status: n.status,
        dueAt: n.sendAt ?? n.createdAt,
        ...(sentAt === undefined ? {} : { sentAt }),
      });
    }
  }
  const digests = buildManagerDigests({ ranking, accounts, bills, notices });
  const reports = new Map(
    buildServiceReports({
      assignments: ranking.assignments,
      notices,
      asOf: `${ranking.asOf}T00:00:00+08:00`,
    }).map((r) => [r.managerId, r]),
  );
  const managers = new Map(accounts.map((a) => [a.accountManager.id, a.accountManager]));
  const queued = [];
  for (const digest of digests) {
    const manager = managers.get(digest.managerId);
    if (manager === undefined) continue;
    const text =
      renderManagerDigestText(digest, reports.get(digest.managerId)) +
      (kpis === undefined ? '' : renderAnswerKpisText(kpis.find((k) => k.managerId === digest.managerId)));
    const { notice } = await store.createNotice({
      noticeId: `DIGEST#${digest.period}#${digest.managerId}`,
      kind: 'manager-digest',
      // Filed under the manager's first account so that it sits with the accounts it reports on.
      accountId: digest.accounts[0]?.accountId ?? ranking.keyAccountIds[0]!,
      period: digest.period,
      billVersion: 0,
      channel: 'email',
      recipient: { role: 'account-manager', name: manager.name, address: manager.email, language: 'zh-CN' },
      content: {
        subject: `【大客户月度简报】${digest.period} ${digest.managerName}`,
        text,
        textSha256: createHash('sha256').update(text).digest('hex'),
      },
    });
    if (notice.status === 'QUEUED') queued.push({ accountId: notice.accountId, noticeId: notice.noticeId });
  }
  await queue.enqueue(queued);
  return queued.length;
}

/**
 * The monthly key-account run: rank every account by value score, take the Pareto set, segment the key
 * accounts and assign managers; store the selection (once per effective date) and write the reports.
 */
export async function runKeyAccountRanking(
  input: { asOf: string; period?: string; reportBucket?: string; reportPrefix?: string },
  deps: RankingDeps,
): Promise<KeyAccountRunResult> {
  const accounts = await deps.accounts.listAccounts();
  const bills = await billedBeforeMonth(accounts, input.asOf.slice(0, 7), deps);
  const config = configInEffect([DEFAULT_KEY_ACCOUNT_CONFIG], input.asOf) ?? DEFAULT_KEY_ACCOUNT_CONFIG;
  const previous = await deps.keyAccounts.getKeySelectionBefore<KeySelectionRecord>(input.asOf);
  const overrides = await deps.keyAccounts.listKeyOverrides<OperatorOverride>();
  const ranking = rankKeyAccounts({
    accounts,
    bills,
    config,
    asOf: input.asOf,
    overrides,
    ...(input.period === undefined ? {} : { period: input.period }),
    ...(previous === undefined ? {} : { previous }),
  });
  const selection = await deps.keyAccounts.putKeySelection(ranking.selection);
  const kpis = await answerKpisOf(ranking.period, input.asOf, deps);
  const managerNames = new Map(accounts.map((a) => [a.accountManager.id, a.accountManager.name]));
  const reportKeys: string[] = [];
  if (deps.objects !== undefined && input.reportBucket !== undefined) {
    const prefix = `${input.reportPrefix ?? 'reports/'}key-accounts/${ranking.period}/`;
    const names = new Map(accounts.map((a) => [a.accountId, a.name]));
    for (const [name, body, type] of [
      ['key-accounts.csv', renderKeyAccountCsv(ranking), 'text/csv; charset=utf-8'],
      [
        'key-accounts.html',
        kpis === undefined
          ? renderKeyAccountHtml(ranking, { accountNames: names })
          : withAnswerKpisSection(renderKeyAccountHtml(ranking, { accountNames: names }), kpis, managerNames),
        'text/html; charset=utf-8',
      ],
      ...(kpis === undefined
        ? []
        : ([
            ['answer-kpis.csv', renderAnswerKpisCsv(kpis, managerNames), 'text/csv; charset=utf-8'],
          ] as const)),
    ] as const) {
      await deps.objects.put({ bucket: input.reportBucket, key: prefix + name }, body, type);
      reportKeys.push(prefix + name);
    }
  }
  const digestsSent =
    deps.queue === undefined
      ? 0
      : await sendManagerDigests(ranking, accounts, bills, deps.notices, deps.queue, kpis);
  return {
    digestsSent,
    period: ranking.period,
    effectiveFrom: ranking.selection.effectiveFrom,
    accounts: accounts.length,
    keyAccounts: ranking.key.count,
    revenueShare: ranking.key.revenueShare,
    segments: { ...ranking.segmentCounts },
    selection,
    reportKeys,
  };
}

/** Each account's bills of the 24 periods before `month`, as billed to the customer (billsAsSent). */
async function billedBeforeMonth(
  accounts: readonly Account[],
  month: string,
  deps: Pick<RankingDeps, 'bills' | 'holds'>,
): Promise<BillDocument[]> {
  const holdsOf = await holdsOfHeldVersions(deps.holds);
  const bills: BillDocument[] = [];
  for (const account of accounts) {
    const latest = await deps.bills.getBillHistory(account.accountId, month, 24);
    for (const stored of await billsAsSent(latest, holdsOf, deps.bills)) bills.push(stored.document);
  }
  return bills;
}

/**
 * The answers' KPIs from the billing period's month to the report's: the answers to that period's
 * previews arrive after it. Undefined where the stores are not given.
 */
async function answerKpisOf(
  period: string,
  asOf: string,
  deps: RankingDeps,
): Promise<AnswerKpis[] | undefined> {
  if (deps.answers === undefined || deps.followUps === undefined) return undefined;
  const months: string[] = [];
  for (let month = period; month <= asOf.slice(0, 7) && months.length < 3; month = nextMonth(month))
    months.push(month);
  const answers = (await Promise.all(months.map((m) => deps.answers!.listAnswersOfMonth(m)))).flat();
  const followUps = (
    await Promise.all(months.map((m) => deps.followUps!.listFollowUpsOpenedInMonth(m)))
  ).flat();
  return answerKpis(answers, followUps, (deps.now ?? (() => new Date()))().getTime());
}

const nextMonth = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
};
