import type { BillDocument } from '#domain/bill.ts';
import { computeBillWithoutAdvice } from '#domain/billing/compute-bill.ts';
import { billSummary } from '#domain/billing/index.ts';
import { shiftPeriod } from '#domain/calendar/index.ts';
import type { SegmentId } from '#domain/key-accounts/config.ts';
import { MeterReadRowSchema } from '#domain/meter-read.ts';
import type { Tariff } from '#domain/tariff.ts';
import {
  type BandShares,
  type GeneratedAccount,
  generateAccounts,
  generateMeterReadRows,
} from './fixtures.ts';

/*
 * The demo's bill history: the twelve periods before the billed one, shaped per account so that every
 * usage segment of the key-account ranking occurs (billing-rules.md §9). Each history period repeats the
 * billed period's generated reads (same seed, so the same noise) scaled by the account's energy factor for
 * that month, so month-on-month and year-on-year changes are what the shape says, and no change comes
 * near the plausibility policy's factor of 3: only the estimated read is held.
 */

export const HISTORY_PERIODS = 12;

/** How an account's history and usage look so that it lands in a segment. */
interface SegmentShape {
  /** Energy of the period `monthsBack` before the billed one, against the billed period's. */
  energyFactor?: (monthsBack: number) => number;
  powerFactor?: number;
  bandShares?: BandShares;
  /** Set with the load factor: maximum demand as a share of capacity. */
  load?: { loadFactor: number; maxDemandShare: number };
}

const SHAPES: Record<SegmentId, SegmentShape> = {
  // A stoppage this month: the period before used 1.8 times as much (−44 %, past the −40 % threshold).
  'sudden-drop': { energyFactor: () => 1.8 },
  // A slow decline: each month back 2.5 % more, a year back 30 % more (−23 % year on year).
  shrinking: { energyFactor: (back) => 1 + 0.025 * back, powerFactor: 0.95 },
  'power-factor-risk': { powerFactor: 0.85 },
  'peak-heavy': { powerFactor: 0.95, bandShares: { sharp: 0.1, peak: 0.42, flat: 0.28 } },
  // High peaks for little energy: load factor about 0.24 against the 0.30 threshold.
  'low-load-factor': { powerFactor: 0.95, load: { loadFactor: 0.25, maxDemandShare: 0.95 } },
  // Growth: each month back 2 % less, a year back 24 % less (+32 % year on year).
  expanding: { energyFactor: (back) => 1 - 0.02 * back, powerFactor: 0.95 },
  // Round the clock with a good valley share: load factor about 0.74, valley 40 %.
  'steady-baseload': {
    powerFactor: 0.95,
    bandShares: { sharp: 0.03, peak: 0.22, flat: 0.35 },
    load: { loadFactor: 0.7, maxDemandShare: 0.85 },
  },
  balanced: { powerFactor: 0.95, bandShares: { sharp: 0.05, peak: 0.3, flat: 0.4 } },
};

/** The segments in the order the largest accounts are given them (shapes that lower revenue go first). */
const SHAPED_ORDER: readonly SegmentId[] = [
  'expanding',
  'low-load-factor',
  'steady-baseload',
  'balanced',
  'peak-heavy',
  'power-factor-risk',
  'shrinking',
  'sudden-drop',
];

/**
 * An unshaped account's season: a yearly wave of its own amplitude (4–28 %) and phase, equal to the billed
 * month a year back (no growth), so the previous period's bills differ by up to about ±15 %.
 */
const seasonal = (g: GeneratedAccount, back: number): number => {
  const k = Number(g.account.accountId) % 7;
  const amplitude = 0.04 * (k + 1);
  return 1 + amplitude * (Math.sin((back * Math.PI) / 6 + k) - Math.sin(k));
};

export interface ShapedAccount extends GeneratedAccount {
  /** The segment the account's history and usage were shaped for; none for the others. */
  shapedFor?: SegmentId;
}

/**
 * Gives the largest accounts (by expected energy) one segment's shape each, leaving out `untouched` (the
 * accounts the demo holds or leaves out of the drop, whose story is their own).
 */
export function shapeForSegments(
  accounts: readonly GeneratedAccount[],
  untouched: ReadonlySet<string>,
): ShapedAccount[] {
  const expectedEnergy = (g: GeneratedAccount) => Number(g.account.capacityKva) * g.loadFactor;
  const largest = accounts
    .filter((g) => !untouched.has(g.account.accountId))
    .toSorted((a, b) => expectedEnergy(b) - expectedEnergy(a));
  const segmentOf = new Map(SHAPED_ORDER.map((segment, i) => [largest[i]?.account.accountId, segment]));
  return accounts.map((g) => {
    const segment = segmentOf.get(g.account.accountId);
    if (segment === undefined) return g;
    const shape = SHAPES[segment];
    return {
      ...g,
      shapedFor: segment,
      ...(shape.powerFactor === undefined ? {} : { powerFactor: shape.powerFactor }),
      ...(shape.bandShares === undefined ? {} : { bandShares: shape.bandShares }),
      ...(shape.load === undefined ? {} : shape.load),
    };
  });
}

const energyFactorOf = (g: ShapedAccount, back: number): number => {
  const shaped = g.shapedFor === undefined ? undefined : SHAPES[g.shapedFor].energyFactor;
  return shaped === undefined ? seasonal(g, back) : shaped(back);
};

/**
 * The accounts' bills of the `periods` periods before `period`, oldest first, computed by the engine
 * (without advice) from shaped reads. A tariff's earliest version stands for the tariff before it too,
 * so every history period has a tariff in force.
 */
export function generateBillHistory(
  accounts: readonly ShapedAccount[],
  period: string,
  tariffs: readonly Tariff[],
  periods = HISTORY_PERIODS,
): BillDocument[] {
  const backdated = backdateEarliestVersions(tariffs);
  const earlier = new Map<string, BillDocument[]>();
  const bills: BillDocument[] = [];
  for (let back = periods; back >= 1; back--) {
    const historyPeriod = shiftPeriod(period, -back);
    const rows = generateMeterReadRows(accounts, historyPeriod, {
      energyFactor: (g) => energyFactorOf(g, back),
    });
    for (const bill of billsOf(accounts, rows, historyPeriod, backdated, earlier)) {
      bills.push(bill);
      earlier.set(bill.accountId, [...(earlier.get(bill.accountId) ?? []), bill]);
    }
  }
  return bills;
}

/** Each account's bill of `period` from its rows, compared with its earlier bills. */
export function billsOf(
  accounts: readonly GeneratedAccount[],
  rows: readonly Record<string, string>[],
  period: string,
  tariffs: readonly Tariff[],
  earlier: ReadonlyMap<string, readonly BillDocument[]> = new Map(),
): BillDocument[] {
  return accounts.map((g) => {
    const history = earlier.get(g.account.accountId) ?? [];
    return computeBillWithoutAdvice({
      account: g.account,
      tariffs,
      reads: rows.filter((r) => r.account_id === g.account.accountId).map((r) => MeterReadRowSchema.parse(r)),
      period,
      firstPeriod: history.length === 0,
      history: history.map(billSummary),
    });
  });
}

function backdateEarliestVersions(tariffs: readonly Tariff[]): Tariff[] {
  const earliest = new Map<string, Tariff>();
  for (const t of tariffs) {
    const known = earliest.get(t.tariffId);
    if (known === undefined || t.effectiveFrom < known.effectiveFrom) earliest.set(t.tariffId, t);
  }
  return tariffs.map((t) => (earliest.get(t.tariffId) === t ? { ...t, effectiveFrom: '2000-01-01' } : t));
}

/** The account whose read the demo's metering system estimates (held), and the one it leaves out of the drop. */
export function heldAndLeftOut(accounts: readonly GeneratedAccount[]): {
  estimated: GeneratedAccount | undefined;
  leftOut: GeneratedAccount;
} {
  const estimated = accounts.findLast((g) => g.meters.length === 1);
  const leftOut = accounts.findLast((g) => g !== estimated);
  if (leftOut === undefined) throw new Error('the demo needs at least two accounts');
  return { estimated, leftOut };
}

/** The demo's accounts: generated, the largest shaped for the segments (not the held or left-out one). */
export function demoAccounts(count: number, tariffIds: readonly string[]): ShapedAccount[] {
  const generated = generateAccounts(count, { tariffIds });
  const { estimated, leftOut } = heldAndLeftOut(generated);
  const untouched = new Set([leftOut.account.accountId]);
  if (estimated !== undefined) untouched.add(estimated.account.accountId);
  return shapeForSegments(generated, untouched);
}
