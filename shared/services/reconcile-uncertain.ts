import type { StoredNotice } from '#domain/notices.ts';
import type { NoticeMessage, NoticeQueue, NoticeStore } from './ports/index.ts';

/**
 * How long an UNCERTAIN email waits for the configuration set's events before it is taken as not accepted.
 * SES publishes a Send event for every message it accepts within seconds (minutes at worst); an hour
 * leaves a wide margin, and the schedule that runs this is hourly.
 */
export const DEFAULT_RECONCILE_WINDOW_MS = 60 * 60_000;
/** An email is queued again this many times at most for want of an event: never a loop. */
export const MAX_RECONCILE_REQUEUES = 1;

const REQUEUE_DETAIL = 'queued again: no Send event';

export interface ReconcileResult {
  /** Emails with no provider event past the window: SES did not accept them, so they are queued again. */
  requeued: number;
  /** Emails still inside the window: their events may be on the way. */
  waiting: number;
  /** SMS, and emails already queued again once: left UNCERTAIN for an operator (no event will settle them). */
  leftUncertain: number;
}

/**
 * Settles UNCERTAIN emails from what the configuration set did not say. Every message SES accepts yields a
 * Send event that names its notice (the message tag), and record-delivery moves the notice on at once; an
 * email still UNCERTAIN an hour later was therefore never accepted (its sender stopped before the request
 * left, or the request was lost on the way) and is queued again — the one way it reaches the customer
 * without risking a second copy. An SMS has no such event (SNS reports delivery only to CloudWatch Logs, by
 * message id): it stays UNCERTAIN, counted, for an operator.
 */
export async function reconcileUncertainNotices(
  deps: {
    notices: Pick<NoticeStore, 'listNoticesByStatus' | 'transitionNotice'>;
    queue: NoticeQueue;
    now?: () => Date;
  },
  windowMs: number = DEFAULT_RECONCILE_WINDOW_MS,
): Promise<ReconcileResult> {
  const now = (deps.now ?? (() => new Date()))().getTime();
  const result: ReconcileResult = { requeued: 0, waiting: 0, leftUncertain: 0 };
  const requeued: NoticeMessage[] = [];
  for (const notice of await deps.notices.listNoticesByStatus('UNCERTAIN')) {
    if (notice.channel !== 'email' || requeuesOf(notice) >= MAX_RECONCILE_REQUEUES) {
      result.leftUncertain++;
    } else if (now - Date.parse(notice.updatedAt) < windowMs) {
      result.waiting++;
    } else if (
      await deps.notices.transitionNotice(notice, ['UNCERTAIN'], 'QUEUED', {
        detail: `${REQUEUE_DETAIL} within ${Math.round(windowMs / 60_000)} minutes: SES did not accept it`,
      })
    ) {
      requeued.push({ accountId: notice.accountId, noticeId: notice.noticeId });
      result.requeued++;
    }
  }
  await deps.queue.enqueue(requeued);
  return result;
}

const requeuesOf = (notice: StoredNotice): number =>
  notice.timeline.filter((entry) => entry.detail?.startsWith(REQUEUE_DETAIL) === true).length;
