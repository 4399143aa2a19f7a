import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventBridgeReminderScheduler } from '#adapters/reminder-scheduler.ts';

const scheduler = mockClient(SchedulerClient);
const CONFIG = {
  groupName: 'keybill-reminders',
  targetArn: 'arn:aws-cn:lambda:cn-north-1:111122223333:function:keybill-arrears-scan',
  roleArn: 'arn:aws-cn:iam::111122223333:role/keybill-reminders',
  timeZone: 'Asia/Shanghai',
};

beforeAll(() => {
  vi.stubEnv('AWS_REGION', 'cn-north-1');
});
afterEach(() => scheduler.reset());

const createdExpression = () => scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;

describe('the final reminder as an EventBridge Scheduler one-time schedule', () => {
  it.each([
    ['2026-11-23T11:15:00+08:00', 'Asia/Shanghai', 'at(2026-11-23T11:15:00)'],
    ['2026-11-23T03:15:00Z', 'Asia/Shanghai', 'at(2026-11-23T11:15:00)'],
    ['2026-12-31T23:30:00+08:00', 'UTC', 'at(2026-12-31T15:30:00)'],
    ['2027-01-01T00:05:00+08:00', 'Asia/Shanghai', 'at(2027-01-01T00:05:00)'],
  ])('schedules %s in %s as %s, the wall clock of its own time zone', async (at, timeZone, expression) => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await eventBridgeReminderScheduler({ ...CONFIG, timeZone }).create({ name: 'p1', at, input: {} });
    expect(createdExpression()).toMatchObject({
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: timeZone,
      ActionAfterCompletion: 'DELETE',
    });
  });

  it('takes a schedule that already exists as the one a retry created', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    await expect(
      eventBridgeReminderScheduler(CONFIG).create({ name: 'p1', at: '2026-11-23T11:15:00+08:00', input: {} }),
    ).resolves.toBeUndefined();
  });

  it('takes a schedule already gone as deleted', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await expect(eventBridgeReminderScheduler(CONFIG).delete('p1')).resolves.toBeUndefined();
  });

  it('refuses an instant that is not one, sending nothing', async () => {
    await expect(
      eventBridgeReminderScheduler(CONFIG).create({ name: 'p1', at: 'tomorrow at ten', input: {} }),
    ).rejects.toThrow(RangeError);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });
});
