import { CreateScheduleCommand, DeleteScheduleCommand } from '@aws-sdk/client-scheduler';
import { wallClockIn, wallClockIso } from '#domain/calendar/index.ts';
import type { ReminderScheduler } from '#services/ports/scheduler.ts';
import { schedulerClient } from './clients.ts';

export interface ReminderSchedulerConfig {
  groupName: string;
  /** The function the schedule invokes, the role it assumes to do so, and where failures go. */
  targetArn: string;
  roleArn: string;
  deadLetterArn?: string;
  timeZone: string;
}

/** `at(...)` takes a local wall-clock time in the schedule's time zone, without offset. */
const atExpression = (instant: string, timeZone: string): string =>
  `at(${wallClockIso(wallClockIn(new Date(instant), timeZone))})`;

/** One-time EventBridge Scheduler schedules, each named by its plan: creating or deleting twice is harmless. */
export const eventBridgeReminderScheduler = (config: ReminderSchedulerConfig): ReminderScheduler => ({
  async create({ name, at, input }) {
    try {
      await schedulerClient().send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: config.groupName,
          ScheduleExpression: atExpression(at, config.timeZone),
          ScheduleExpressionTimezone: config.timeZone,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: config.targetArn,
            RoleArn: config.roleArn,
            Input: JSON.stringify(input),
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
            ...(config.deadLetterArn === undefined
              ? {}
              : { DeadLetterConfig: { Arn: config.deadLetterArn } }),
          },
        }),
      );
    } catch (error) {
      // The plan is the natural key of its reminder: a schedule that already exists was created by a retry.
      if ((error as Error).name !== 'ConflictException') throw error;
    }
  },
  async delete(name) {
    try {
      await schedulerClient().send(new DeleteScheduleCommand({ Name: name, GroupName: config.groupName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  },
});
