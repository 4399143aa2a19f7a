import type { Account, AccountManager } from '../account.ts';
import type { KeyAccountConfig, SegmentId, ServicePlan } from './config.ts';
import type { ManagerAssignment, ManagerWorkload } from './managers.ts';
import type { OperatorOverride } from './overrides.ts';
import type { ScoreComponents } from './score.ts';
import type { SegmentAssignment } from './segments.ts';
import type { KeyBasis, KeySelectionRecord, KeyStatusChange } from './selection.ts';
import type { UsageBill, UsageMetrics } from './usage.ts';

/* The monthly key-account run's input and result (rank.ts computes one from the other). */

export interface RankKeyAccountsInput {
  accounts: readonly Account[];
  /** Bill history: at least the window's periods; older bills are used for year-on-year change. */
  bills: readonly UsageBill[];
  config: KeyAccountConfig;
  overrides?: readonly OperatorOverride[];
  /** The selection in effect before this one, for the changes. */
  previous?: KeySelectionRecord;
  /** The day the new selection takes effect (YYYY-MM-DD); overrides are judged on this day. */
  asOf: string;
  /** Last period of the history window; defaults to the period before asOf's month. */
  period?: string;
  /** The managers to assign; defaults to the distinct managers on the account records. */
  managers?: readonly AccountManager[];
}

export interface RankedAccount {
  rank: number;
  accountId: string;
  name: string;
  category: Account['category'];
  score: string;
  components: ScoreComponents;
  /** Revenue of the window, yuan. */
  revenue: string;
  energyKwh: string;
  /** Revenue share of this account and every account ranked above it, 0–1 (4 places). */
  cumulativeShare: string;
  isKey: boolean;
  keyBasis: KeyBasis | null;
  /** Set when a never-key override kept the account out of a set it would have been in. */
  excludedBy: 'override-never' | null;
  keyOverride: { status: 'always' | 'never'; reason: string; expiresOn: string } | null;
  usage: UsageMetrics;
}

export interface IgnoredOverride {
  override: OperatorOverride;
  why: 'expired' | 'not-yet-effective' | 'unknown-account';
}

export interface KeyAccountRanking {
  period: string;
  asOf: string;
  /** The day the key set applies from: notices planned from this day on use it. */
  effectiveFrom: string;
  configVersion: string;
  windowFrom: string;
  windowTo: string;
  totals: { accounts: number; revenue: string; energyKwh: string; terminatedExcluded: number };
  /** The configured Pareto share, 0–1. */
  targetShare: string;
  key: {
    count: number;
    /** Key accounts in percent of all ranked accounts, 1 decimal. */
    accountPercent: string;
    revenue: string;
    /** Key set's revenue share (overrides included), 0–1, 4 places. */
    revenueShare: string;
    /** Share of the Pareto accounts alone. */
    paretoShare: string;
    shareReached: boolean;
  };
  /** Every active account, best first. */
  ranking: RankedAccount[];
  /** Key accounts in rank order. */
  keyAccountIds: string[];
  previousEffectiveFrom: string | null;
  changes: KeyStatusChange[];
  /** One per key account, in rank order. */
  segments: SegmentAssignment[];
  segmentCounts: Record<SegmentId, number>;
  /** The configuration's plan for every segment (also those with no account this time). */
  servicePlans: Record<SegmentId, ServicePlan>;
  /** One per key account, in rank order. */
  assignments: ManagerAssignment[];
  workloads: ManagerWorkload[];
  overrides: { applied: OperatorOverride[]; ignored: IgnoredOverride[] };
  /** The record to store: what keyStatusFor and the notice planner read. */
  selection: KeySelectionRecord;
  warnings: string[];
}
