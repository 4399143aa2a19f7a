/** One-time schedules for final reminders (EventBridge Scheduler in AWS and, through its endpoint, locally). */
export interface ReminderScheduler {
  create(reminder: { name: string; at: string; input: unknown }): Promise<void>;
  delete(name: string): Promise<void>;
}
