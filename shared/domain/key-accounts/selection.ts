import { z } from 'zod';
import type { Dec } from '../money.ts';
import { dec } from '../money.ts';
import { IsoDate, Period } from '../primitives.ts';
import { SegmentId } from './config.ts';
import type { KeyStatusOverride } from './overrides.ts';

/*
 * Which accounts are key. A selection is a record with the day it takes effect: notices and plans ask
 * "was this account key on day D?" (keyStatusFor), never "is it key now?", so a later selection changes
 * what is planned from its effective day on and never what was planned or sent before it.
 */

export const KeySelectionRecordSchema = z.object({
  period: Period,
  /** First day this selection applies; it applies until the next selection's effectiveFrom. */
  effectiveFrom: IsoDate,
  configVersion: z.string().min(1),
  keyAccounts: z.array(
    z.object({ accountId: z.string().min(1), segmentId: SegmentId, managerId: z.string().nullable() }),
  ),
});
export type KeySelectionRecord = z.infer<typeof KeySelectionRecordSchema>;

/** The selection that applies on `date`: the latest effectiveFrom on or before it. */
export function selectionInEffect(
  date: string,
  selections: readonly KeySelectionRecord[],
): KeySelectionRecord | undefined {
  let found: KeySelectionRecord | undefined;
  for (const s of selections) {
    if (s.effectiveFrom <= date && (found === undefined || s.effectiveFrom >= found.effectiveFrom)) found = s;
  }
  return found;
}

/** Whether the account was key on `date` (false before the first selection took effect). */
export function keyStatusFor(
  accountId: string,
  date: string,
  selections: readonly KeySelectionRecord[],
): boolean {
  return selectionInEffect(date, selections)?.keyAccounts.some((k) => k.accountId === accountId) ?? false;
}

export type KeyBasis = 'pareto' | 'override-always';

export interface ParetoCandidate {
  accountId: string;
  revenue: Dec;
}

export interface ParetoSelection {
  /** Key accounts with why each is key. */
  key: Map<string, KeyBasis>;
  /** Accounts a never-key override kept out of the Pareto set (they would otherwise have been in it). */
  excludedByOverride: Set<string>;
  /** Revenue share of the key set (overrides included), 0–1. */
  revenueShare: Dec;
  /** Revenue share of the Pareto accounts alone. */
  paretoShare: Dec;
  keyRevenue: Dec;
  totalRevenue: Dec;
  /** False when the accounts not excluded cannot reach the target share. */
  shareReached: boolean;
  /** Cumulative revenue share down the ranking (all accounts), by account. */
  cumulativeShare: Map<string, Dec>;
}

/**
 * The shortest head of the ranking (in ranking order, never-key accounts skipped) whose revenue reaches
 * `targetShare` of the total, plus the always-key accounts. Always-key accounts are added on top: their
 * revenue does not shorten the Pareto head, so an override never pushes a ranked account out.
 */
export function selectParetoSet(
  ranked: readonly ParetoCandidate[],
  targetShare: string,
  keyOverrides: ReadonlyMap<string, KeyStatusOverride>,
): ParetoSelection {
  const total = ranked.reduce((acc, c) => acc.plus(c.revenue), dec(0));
  const target = total.times(targetShare);
  const key = new Map<string, KeyBasis>();
  const excluded = new Set<string>();
  const cumulativeShare = new Map<string, Dec>();
  let running = dec(0);
  for (const c of ranked) {
    running = running.plus(c.revenue);
    cumulativeShare.set(c.accountId, total.isZero() ? dec(0) : running.div(total));
  }

  let pareto = dec(0);
  let reached = false;
  // Without revenue there is no Pareto head: only overrides make accounts key.
  for (const c of total.isZero() ? [] : ranked) {
    if (reached) break;
    if (keyOverrides.get(c.accountId)?.status === 'never') {
      excluded.add(c.accountId);
      continue;
    }
    key.set(c.accountId, 'pareto');
    pareto = pareto.plus(c.revenue);
    reached = pareto.gte(target);
  }
  let keyRevenue = pareto;
  const revenueOf = new Map(ranked.map((c) => [c.accountId, c.revenue]));
  for (const [accountId, o] of keyOverrides) {
    if (o.status !== 'always' || key.has(accountId) || !revenueOf.has(accountId)) continue;
    key.set(accountId, 'override-always');
    keyRevenue = keyRevenue.plus(revenueOf.get(accountId)!);
  }
  return {
    key,
    excludedByOverride: excluded,
    revenueShare: total.isZero() ? dec(0) : keyRevenue.div(total),
    paretoShare: total.isZero() ? dec(0) : pareto.div(total),
    keyRevenue,
    totalRevenue: total,
    shareReached: reached,
    cumulativeShare,
  };
}

export type KeyStatusChangeKind = 'newly-key' | 'no-longer-key';

export interface KeyStatusChange {
  accountId: string;
  change: KeyStatusChangeKind;
  /** The day the change applies from (the new selection's effectiveFrom). */
  effectiveFrom: string;
  reason: string;
}

/** Accounts that became key and that stopped being key since the previous selection. */
export function diffSelections(
  previous: KeySelectionRecord | undefined,
  currentKeyIds: ReadonlySet<string>,
  effectiveFrom: string,
  reasonFor: (accountId: string, change: KeyStatusChangeKind) => string,
): KeyStatusChange[] {
  if (previous === undefined) return [];
  const before = new Set(previous.keyAccounts.map((k) => k.accountId));
  const changes: KeyStatusChange[] = [];
  for (const id of currentKeyIds) {
    if (!before.has(id))
      changes.push({ accountId: id, change: 'newly-key', effectiveFrom, reason: reasonFor(id, 'newly-key') });
  }
  for (const id of before) {
    if (!currentKeyIds.has(id)) {
      changes.push({
        accountId: id,
        change: 'no-longer-key',
        effectiveFrom,
        reason: reasonFor(id, 'no-longer-key'),
      });
    }
  }
  return changes;
}
