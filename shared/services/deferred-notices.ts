import { isQuietTime, type QuietHours, quietHoursEnd } from '#domain/calendar/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import type { NoticeMessage, NoticeQueue, NoticeStore } from './ports/index.ts';

/* Notices that wait instead of going out now (a preview's planned day, an SMS in quiet hours), and their release. */

/**
 * When a claimed notice must wait instead of going out now: a preview planned for a later day (the
 * segment's days before the due date) waits for the daily release, an SMS in quiet hours for their end.
 * Warnings are produced when due (by the scan or their schedule) and go out at once.
 */
export function deferral(
  notice: StoredNotice,
  at: Date,
  quiet: QuietHours | null | undefined,
): { until: string; detail: string } | undefined {
  if (
    notice.kind === 'bill-preview' &&
    notice.sendAt !== undefined &&
    Date.parse(notice.sendAt) > at.getTime()
  )
    return { until: notice.sendAt, detail: `scheduled for ${notice.sendAt}` };
  if (notice.channel === 'sms' && quiet != null && isQuietTime(at, quiet)) {
    const until = quietHoursEnd(at, quiet).toISOString();
    return { until, detail: `quiet hours until ${until}` };
  }
  return undefined;
}

/**
 * Puts SMS deferred for quiet hours back on the queue once the hours are over (run by a schedule at their
 * end, and safe to run at any time: a notice still inside quiet hours is simply deferred again).
 */
export async function releaseDeferredNotices(deps: {
  notices: Pick<NoticeStore, 'listNoticesByStatus' | 'transitionNotice'>;
  queue: NoticeQueue;
}): Promise<number> {
  const deferred = await deps.notices.listNoticesByStatus('DEFERRED');
  const released: NoticeMessage[] = [];
  for (const notice of deferred) {
    if (
      await deps.notices.transitionNotice(notice, ['DEFERRED'], 'QUEUED', {
        detail: 'released after quiet hours',
      })
    ) {
      released.push({ accountId: notice.accountId, noticeId: notice.noticeId });
    }
  }
  await deps.queue.enqueue(released);
  return released.length;
}
