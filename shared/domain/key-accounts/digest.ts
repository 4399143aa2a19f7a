import type { Account } from '../account.ts';
import { Dec, dec } from '../money.ts';
import type { LocalisedText } from '../primitives.ts';
import type { SegmentId } from './config.ts';
import {
  type ArrearsFlag,
  type AssignmentBasis,
  type ManagerAssignment,
  type NoticeRecord,
  type NoticeToFix,
  noticesToFix,
} from './managers.ts';
import type { KeyAccountRanking, RankedAccount } from './ranking.ts';
import type { SegmentAssignment } from './segments.ts';
import type { KeySelectionRecord } from './selection.ts';
import type { UsageBill } from './usage.ts';

/*
 * The monthly digest each account manager receives: their key accounts with this period's bill, what
 * changed (new to the key set or to them, left the key set), arrears and delivery problems. Pure: the
 * records are given; nothing is looked up.
 */

export interface DigestAccount {
  accountId: string;
  name: string;
  rank: number;
  score: string;
  segment: { id: SegmentId; name: LocalisedText; explanation: LocalisedText };
  /** This period's bill; null when there is none. */
  bill: { total: string; totalKwh: string; dueDate: string | null; momChangePercent: string | null } | null;
  newlyKey: boolean;
  /** Set when the account came to this manager this month. */
  managerChange: { from: string | null; basis: AssignmentBasis; reason: string } | null;
  arrears: ArrearsFlag[];
  deliveryProblems: NoticeToFix[];
}

export interface ManagerDigest {
  managerId: string;
  managerName: string;
  period: string;
  accounts: DigestAccount[];
  /** Accounts of this manager that are no longer key from effectiveFrom. */
  leftKeySet: { accountId: string; name: string; reason: string }[];
  summary: {
    accounts: number;
    /** Sum of this period's bills, yuan. */
    billTotal: string;
    newlyKey: number;
    reassignedIn: number;
    accountsInArrears: number;
    arrearsAmount: string;
    deliveryProblems: number;
  };
}

export interface DigestInput {
  ranking: KeyAccountRanking;
  accounts: readonly Account[];
  /** Bills of the period (others are ignored). */
  bills: readonly UsageBill[];
  arrears?: readonly ArrearsFlag[];
  notices?: readonly NoticeRecord[];
  /** The selection before this one: accounts that left the key set go to their former manager's digest. */
  previous?: KeySelectionRecord;
}

const groupBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list === undefined) map.set(k, [item]);
    else list.push(item);
  }
  return map;
};

/** One digest per manager with key accounts or accounts that left the key set, ordered by manager id. */
export function buildManagerDigests(input: DigestInput): ManagerDigest[] {
  const { ranking } = input;
  const digests = new Map<string, ManagerDigest>();
  const digestFor = (managerId: string, managerName: string): ManagerDigest => {
    let d = digests.get(managerId);
    if (d === undefined) {
      d = emptyDigest(managerId, managerName, ranking.period);
      digests.set(managerId, d);
    }
    return d;
  };

  const lookups = digestLookups(input);
  for (const a of ranking.assignments) {
    digestFor(a.managerId, a.managerName).accounts.push(digestAccount(a, ranking, lookups));
  }
  addAccountsThatLeft(input, digestFor);

  for (const d of digests.values()) summarise(d);
  return [...digests.values()].sort((x, y) => x.managerId.localeCompare(y.managerId));
}

/** The records of the digest by account id. */
interface DigestLookups {
  rowById: Map<string, RankedAccount>;
  segmentById: Map<string, SegmentAssignment>;
  billById: Map<string, UsageBill>;
  arrearsById: Map<string, ArrearsFlag[]>;
  problemsById: Map<string, NoticeToFix[]>;
  newlyKey: Set<string>;
}

function digestLookups(input: DigestInput): DigestLookups {
  const { ranking } = input;
  const rowById = new Map(ranking.ranking.map((r) => [r.accountId, r]));
  const segmentById = new Map(ranking.segments.map((s) => [s.accountId, s]));
  const billById = new Map(
    input.bills.filter((b) => b.period === ranking.period).map((b) => [b.accountId, b]),
  );
  const arrearsById = groupBy(input.arrears ?? [], (a) => a.accountId);
  const problemsById = groupBy(noticesToFix(input.notices ?? []), (p) => p.accountId);
  const newlyKey = new Set(ranking.changes.filter((c) => c.change === 'newly-key').map((c) => c.accountId));
  return { rowById, segmentById, billById, arrearsById, problemsById, newlyKey };
}

function emptyDigest(managerId: string, managerName: string, period: string): ManagerDigest {
  return {
    managerId,
    managerName,
    period,
    accounts: [],
    leftKeySet: [],
    summary: {
      accounts: 0,
      billTotal: '0.00',
      newlyKey: 0,
      reassignedIn: 0,
      accountsInArrears: 0,
      arrearsAmount: '0.00',
      deliveryProblems: 0,
    },
  };
}

function digestAccount(
  a: ManagerAssignment,
  ranking: KeyAccountRanking,
  lookups: DigestLookups,
): DigestAccount {
  const row = lookups.rowById.get(a.accountId)!;
  const segment = lookups.segmentById.get(a.accountId)!;
  const bill = lookups.billById.get(a.accountId);
  const moved = a.previousManagerId !== a.managerId;
  return {
    accountId: a.accountId,
    name: row.name,
    rank: row.rank,
    score: row.score,
    segment: { id: segment.segmentId, name: segment.name, explanation: segment.explanation },
    bill:
      bill === undefined
        ? null
        : {
            total: bill.total,
            totalKwh: bill.consumption.totalKwh,
            dueDate: bill.dueDate ?? null,
            momChangePercent: row.usage.latestPeriod === ranking.period ? row.usage.momChangePercent : null,
          },
    newlyKey: lookups.newlyKey.has(a.accountId),
    managerChange: moved ? { from: a.previousManagerId, basis: a.basis, reason: a.reason } : null,
    arrears: lookups.arrearsById.get(a.accountId) ?? [],
    deliveryProblems: lookups.problemsById.get(a.accountId) ?? [],
  };
}

/** Accounts no longer key go to the digest of the manager they had. */
function addAccountsThatLeft(
  input: DigestInput,
  digestFor: (managerId: string, managerName: string) => ManagerDigest,
): void {
  const { ranking } = input;
  const accountById = new Map(input.accounts.map((a) => [a.accountId, a]));
  const previousManager = new Map(input.previous?.keyAccounts.map((k) => [k.accountId, k.managerId]) ?? []);
  for (const c of ranking.changes) {
    if (c.change !== 'no-longer-key') continue;
    const account = accountById.get(c.accountId);
    const managerId = previousManager.get(c.accountId) ?? account?.accountManager.id;
    if (managerId === undefined || managerId === null) continue;
    const name =
      ranking.workloads.find((w) => w.managerId === managerId)?.name ??
      (account?.accountManager.id === managerId ? account.accountManager.name : managerId);
    digestFor(managerId, name).leftKeySet.push({
      accountId: c.accountId,
      name: account?.name ?? c.accountId,
      reason: c.reason,
    });
  }
}

function summarise(d: ManagerDigest): void {
  const s = d.summary;
  s.accounts = d.accounts.length;
  s.billTotal = d.accounts
    .reduce((acc, a) => (a.bill === null ? acc : acc.plus(a.bill.total)), dec(0))
    .toDecimalPlaces(2, Dec.ROUND_HALF_UP)
    .toFixed(2);
  s.newlyKey = d.accounts.filter((a) => a.newlyKey).length;
  s.reassignedIn = d.accounts.filter((a) => a.managerChange !== null).length;
  s.accountsInArrears = d.accounts.filter((a) => a.arrears.length > 0).length;
  s.arrearsAmount = d.accounts
    .flatMap((a) => a.arrears)
    .reduce((acc, f) => acc.plus(f.amount), dec(0))
    .toDecimalPlaces(2, Dec.ROUND_HALF_UP)
    .toFixed(2);
  s.deliveryProblems = d.accounts.reduce((n, a) => n + a.deliveryProblems.length, 0);
}
