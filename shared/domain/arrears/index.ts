/*
 * Arrears and advance disconnection warnings (billing-rules.md §7–8): the payment ledger, the late-payment
 * penalty, the escalation ladder, disconnection plans (./disconnection/), their messages and evidence, and
 * a replay over a window. Pure: no clock, no I/O; handlers load the data, call these and store what they
 * return.
 */
export {
  addDays,
  daysBetween,
  daysOfCoverageLeft,
  formatShanghaiTime,
  instantMs,
  isInsideWorkingHours,
  isoWeekday,
  isWorkingDay,
  officialCoverageEnd,
  shanghaiDate,
  shanghaiInstant,
  type WorkingCalendar,
} from '../calendar/index.ts';
export * from './disconnection/index.ts';
export * from './evidence.ts';
export * from './inputs.ts';
export { scanAccount } from './ladder.ts';
export * from './ledger/index.ts';
export * from './messages.ts';
export * from './policy.ts';
export * from './replay.ts';
export {
  type AccountArrearsState,
  type ArrearsEvent,
  type ArrearsEventType,
  type ArrearsOutcome,
  type ArrearsSnapshot,
  type BillProgress,
  emptyArrearsState,
  type LevelReached,
} from './state.ts';
