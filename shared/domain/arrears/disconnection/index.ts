/*
 * Disconnection for arrears (欠费停电, billing-rules.md §8): the plan and its states, the responsible
 * manager's approval, its timetable (notice 3–7 days ahead on working days of the official calendar, at
 * least the minimum lead plus margin after the notice's delivery, final reminder 30 minutes before), the
 * final reminder and the disconnection time, cancellation and restoration when the arrears (charges and
 * penalty) are cleared, and the operator's commands.
 */
export type { PreApproval } from './approval.ts';
export {
  type CancelledStep,
  type PlanCancellation,
  recordPayments,
  stepId,
} from './cancellation.ts';
export { ArrearsCommandError, applyArrearsCommand } from './commands.ts';
export { checkNoticeDelivery, type DeliveryReport, recordNoticeDelivery } from './delivery.ts';
export type { DeliverySource, NoticeDelivery } from './delivery-model.ts';
export { fireFinalReminder, reachDisconnectionTime } from './final-reminder.ts';
export {
  ACTIVE_PLAN_STATUSES,
  activePlan,
  awaitsDelivery,
  type DisconnectionPlan,
  type Exemption,
  type PlanRevision,
  type PlanStateChange,
  type PlanStatus,
  type RevisionEndReason,
} from './plan.ts';
export {
  type CalendarGap,
  type DisconnectionDateProblem,
  type DisconnectionTimes,
  deliveryCheckSchedule,
  deliveryCheckScheduleName,
  disconnectionTimesOn,
  isCalendarGap,
  minimumLeadMs,
  noticeTimeFor,
  planDisconnectionTimes,
  type ReminderSchedule,
  reminderScheduleName,
  scanMsOn,
} from './timetable.ts';
