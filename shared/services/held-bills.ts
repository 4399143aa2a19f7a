import type { BillHold } from '#domain/bill-hold.ts';
import { OperatorRefusal } from './operator-run-drop.ts';
import { type PlanNoticesDeps, planBillNotices } from './plan-bill-notices.ts';
import type { BillHoldStore, BillStore, NoticeQueue } from './ports/index.ts';

/*
 * The operator's side of held bills (issue #12 items 3 and 5): list what is held and why, and release a
 * held version after review — recorded with who and why, and sending its preview exactly once.
 */

export interface HeldBillDeps extends Omit<PlanNoticesDeps, 'queue' | 'holds' | 'bills'> {
  holds: Pick<BillHoldStore, 'getHold' | 'listHolds' | 'listHoldsByStatus' | 'releaseHold'>;
  bills: Pick<BillStore, 'getBill' | 'getLatestBill'>;
  /** The notices queue: a release plans and enqueues the previews. */
  queue?: NoticeQueue | undefined;
}

/** Most held bills one answer lists (a console answer stays small; `count` is whole). */
export const LISTED_HELD_BILLS = 500;

/** `list-held-bills`: every version waiting for an operator, optionally of one period, with its reasons. */
export async function listHeldBills(period: string | undefined, deps: Pick<HeldBillDeps, 'holds'>) {
  const held = await deps.holds.listHoldsByStatus('HELD', period);
  return {
    count: held.length,
    ...(held.length > LISTED_HELD_BILLS ? { truncated: true } : {}),
    heldBills: held.slice(0, LISTED_HELD_BILLS).map((h) => ({
      accountId: h.accountId,
      period: h.period,
      version: h.version,
      heldAt: h.heldAt,
      policyVersion: h.policyVersion,
      ...(h.runId === undefined ? {} : { runId: h.runId }),
      reasons: h.reasons,
    })),
  };
}

export interface ReleaseBillCommand {
  accountId: string;
  period: string;
  /** Default: the latest version of the period. */
  version?: number | undefined;
  by: string;
  reason: string;
}

/**
 * `release-bill`: HELD → RELEASED (who, why, when), then the version's previews are planned as for any new
 * version. Releasing again changes nothing and sends nothing more: the notices are keyed by version,
 * channel and recipient; a release that stopped between the two steps is completed by the next attempt.
 */
export async function releaseHeldBill(command: ReleaseBillCommand, deps: HeldBillDeps) {
  const { accountId, period } = command;
  const queue = deps.queue;
  if (queue === undefined)
    throw new OperatorRefusal('release-bill needs the notices queue (NOTICE_QUEUE_URL)', 'not-configured');
  if ((await deps.accounts.getAccount(accountId)) === undefined)
    throw new OperatorRefusal(`account ${accountId} does not exist`, 'no-such-account');
  const hold = await holdToRelease(command, deps);
  const ref = { accountId, period, version: hold.version };
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const release = { by: command.by, reason: command.reason, at };
  const released = hold.status === 'HELD' && (await deps.holds.releaseHold(ref, release));
  // Planned in either case: it sends nothing a first release already planned.
  const previews = await planBillNotices(ref, { ...deps, queue });
  if (!released) {
    const earlier = (await deps.holds.getHold(accountId, period, hold.version))?.release;
    throw new OperatorRefusal(
      `bill ${accountId} ${period} version ${hold.version} was already released${earlier === undefined ? '' : ` by ${earlier.by} at ${earlier.at}`}; its previews are planned once, never again`,
      'already-released',
    );
  }
  return {
    released: { ...ref, ...release },
    previewsPlanned: previews.planned,
    previewsEnqueued: previews.enqueued,
  };
}

/** The hold the command names: the given version's, else the latest version's; refused when there is none. */
async function holdToRelease(command: ReleaseBillCommand, deps: HeldBillDeps): Promise<BillHold> {
  const { accountId, period } = command;
  const latest = await deps.bills.getLatestBill(accountId, period);
  const version = command.version ?? latest?.version;
  const named = command.version === undefined ? '' : ` version ${command.version}`;
  if (latest === undefined || version === undefined || version > latest.version)
    throw new OperatorRefusal(`no bill of account ${accountId} for ${period}${named}`, 'no-such-bill');
  const hold = await deps.holds.getHold(accountId, period, version);
  if (hold === undefined)
    throw new OperatorRefusal(
      `bill ${accountId} ${period} version ${version} is not held: its previews were planned when it was stored`,
      'not-held',
    );
  if (hold.status === 'SUPERSEDED' || (hold.status === 'HELD' && version < latest.version))
    throw new OperatorRefusal(
      `bill ${accountId} ${period} version ${version} was replaced by version ${hold.supersededBy ?? latest.version}; release that one if it is held`,
      'superseded',
    );
  return hold;
}
