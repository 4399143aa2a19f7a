import type { NoticeQueue } from '../adapters/notice-queue.ts';
import type { KeybillRepository } from '../adapters/repository.ts';
import { planBillPreviewNotices } from '../domain/notices.ts';

export interface BillRef {
  accountId: string;
  period: string;
  version: number;
}

/**
 * Creates the bill-preview notices for a new bill version (the table is the outbox: a notice exists as
 * an item before any message or provider call) and puts a reference to each on the queue. Safe to repeat:
 * existing notices are not recreated, and only those still waiting are enqueued again.
 */
export async function planBillNotices(
  bill: BillRef,
  deps: { repository: KeybillRepository; queue: NoticeQueue },
): Promise<{ planned: number; enqueued: number }> {
  const account = await deps.repository.getAccount(bill.accountId);
  if (account === undefined)
    throw new Error(`bill ${bill.accountId} ${bill.period} v${bill.version}: account not found`);
  const plans = planBillPreviewNotices(account, bill);
  const toEnqueue = [];
  for (const plan of plans) {
    const { notice } = await deps.repository.createNotice(plan);
    if (notice.status === 'QUEUED') toEnqueue.push({ accountId: plan.accountId, noticeId: plan.noticeId });
  }
  await deps.queue.enqueue(toEnqueue);
  return { planned: plans.length, enqueued: toEnqueue.length };
}
