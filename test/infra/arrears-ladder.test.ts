import { describe, expect, it } from 'vitest';
import { actionsOf, environmentOf, statementsOfFunction, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('arrears-chunk', () => {
  it('gets what an arrears step needs: the table, the notices queue and the reminder schedules', () => {
    expect(Object.keys(environmentOf(template, 'arrears-chunk'))).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'NOTICE_QUEUE_URL',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_TARGET_ARN',
      ]),
    );
  });
});

describe('reminder schedules', () => {
  it('creates the reminder schedule group', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: 'keybill-disconnection-reminders',
    });
  });

  it('lets arrears-scan create and delete schedules in that group only, and pass the reminder role to Scheduler only', () => {
    const statements = statementsOfFunction(template, 'arrears-scan');
    const scheduler = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('scheduler:')));
    expect(scheduler).toHaveLength(1);
    expect(actionsOf(scheduler).sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
    expect(JSON.stringify(scheduler[0]!.Resource)).toContain(':schedule/keybill-disconnection-reminders/*');

    const passRole = statements.filter((s) => actionsOf([s]).includes('iam:PassRole'));
    const reminderRoleArn = environmentOf(template, 'arrears-scan').REMINDER_ROLE_ARN;
    expect(passRole).toEqual([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: reminderRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('points reminders at arrears-scan itself, by an ARN built from its name', () => {
    const env = environmentOf(template, 'arrears-scan');
    expect(env.REMINDER_SCHEDULE_GROUP).toBe('keybill-disconnection-reminders');
    expect(JSON.stringify(env.REMINDER_TARGET_ARN)).toContain(':function:keybill-arrears-scan');
  });
});

describe('the official working-day calendar', () => {
  it('alarms when the daily scan reports 60 days or fewer of coverage left', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CalendarCoverageDaysLeft',
      Dimensions: [{ Name: 'service', Value: 'arrears-scan' }],
      Statistic: 'Minimum',
      Threshold: 60,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
    });
  });
});

describe('plan-notices', () => {
  it("may take arrears steps: a customer's confirmed receipt of a disconnection notice is recorded on its plan, which may move with its reminder", () => {
    expect(Object.keys(environmentOf(template, 'plan-notices'))).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'NOTICE_QUEUE_URL',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_TARGET_ARN',
        'REMINDER_ROLE_ARN',
        'TIME_ZONE',
      ]),
    );
    const statements = statementsOfFunction(template, 'plan-notices');
    const scheduler = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('scheduler:')));
    expect(actionsOf(scheduler).sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
    expect(JSON.stringify(scheduler[0]!.Resource)).toContain(':schedule/keybill-disconnection-reminders/*');
    const passRole = statements.filter((s) => actionsOf([s]).includes('iam:PassRole'));
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: environmentOf(template, 'plan-notices').REMINDER_ROLE_ARN,
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    ]);
  });
});

describe('record-delivery', () => {
  it('may take arrears steps: a late delivery of a disconnection notice moves its plan and reminder', () => {
    expect(Object.keys(environmentOf(template, 'record-delivery'))).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'NOTICE_QUEUE_URL',
        'REMINDER_SCHEDULE_GROUP',
        'REMINDER_ROLE_ARN',
      ]),
    );
  });
});
