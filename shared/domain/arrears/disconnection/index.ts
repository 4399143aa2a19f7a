/*
 * Disconnection for arrears (欠费停电, billing-rules.md §8): the plan and its states, its timetable (notice
 * 3–7 days ahead inside working hours, final reminder 30 minutes before), the final reminder and the
 * disconnection time, cancellation when the arrears are cleared, and the operator's commands.
 */
export {
  type CancelledStep,
  type PlanCancellation,
  recordPayments,
  stepId,
} from './cancellation.ts';
export { ArrearsCommandError, applyArrearsCommand } from './commands.ts';
export { fireFinalReminder, reachDisconnectionTime } from './final-reminder.ts';
export {
  ACTIVE_PLAN_STATUSES,
  activePlan,
  type DisconnectionPlan,
  type Exemption,
  type PlanRevision,
  type PlanStatus,
  type RevisionEndReason,
} from './plan.ts';
export {
  type DisconnectionDateProblem,
  type DisconnectionTimes,
  disconnectionTimesOn,
  noticeTimeFor,
  planDisconnectionTimes,
  type ReminderSchedule,
  reminderScheduleName,
  scanMsOn,
} from './timetable.ts';
