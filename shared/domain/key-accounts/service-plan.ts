import type { BillAdviceKind } from '../bill.ts';
import { addDays } from '../calendar/index.ts';
import type { NoticeStatus } from '../notices.ts';
import type { KeyAccountConfig, PreviewChannel, SegmentId } from './config.ts';
import { type KeySelectionRecord, type KeyStatusChange, selectionInEffect } from './selection.ts';

/*
 * How a bill preview is sent, decided once, when the preview is planned, from the key status and segment
 * in effect on that day. The plan is a pure function of (bill, plannedOn, selections): a selection that
 * takes effect later cannot change it, so re-planning (a retried event) gives the same answer and a
 * change of key status never reaches back into notices already planned or sent.
 */

export interface PreviewPlanInput {
  accountId: string;
  bill: { period: string; dueDate: string };
  /** The day the preview is planned (YYYY-MM-DD): key status and segment are taken as of this day. */
  plannedOn: string;
  selections: readonly KeySelectionRecord[];
  config: KeyAccountConfig;
}

export interface PreviewServicePlan {
  accountId: string;
  period: string;
  plannedOn: string;
  isKey: boolean;
  /** The selection the plan was taken from; null when none was in effect on plannedOn. */
  selectionEffectiveFrom: string | null;
  segmentId: SegmentId | null;
  leadAdvice: BillAdviceKind | null;
  channels: PreviewChannel[];
  daysBeforeDue: number;
  /** dueDate − daysBeforeDue, or plannedOn when that day has already passed. */
  sendOn: string;
}

/** The later of two YYYY-MM-DD dates (they compare as strings). */
function laterDate(a: string, b: string): string {
  if (a >= b) return a;
  return b;
}

export function planPreviewService(input: PreviewPlanInput): PreviewServicePlan {
  const selection = selectionInEffect(input.plannedOn, input.selections);
  const entry = selection?.keyAccounts.find((k) => k.accountId === input.accountId);
  const plan =
    entry === undefined ? input.config.nonKeyServicePlan : input.config.servicePlans[entry.segmentId];
  const target = addDays(input.bill.dueDate, -plan.daysBeforeDue);
  return {
    accountId: input.accountId,
    period: input.bill.period,
    plannedOn: input.plannedOn,
    isKey: entry !== undefined,
    selectionEffectiveFrom: selection?.effectiveFrom ?? null,
    segmentId: entry?.segmentId ?? null,
    leadAdvice: plan.leadAdvice,
    channels: [...plan.channels],
    daysBeforeDue: plan.daysBeforeDue,
    sendOn: laterDate(target, input.plannedOn),
  };
}

/**
 * Whether a change of key status may withdraw a notice that exists. Never: a notice, once planned, is
 * the customer's (queued ones still go out, sent ones stand); the change applies from its effective day
 * to notices planned from then on. Kept as a function so callers state the rule instead of assuming it.
 */
export function mayRetractNotice(_notice: { status: NoticeStatus }, _change: KeyStatusChange): false {
  return false;
}
