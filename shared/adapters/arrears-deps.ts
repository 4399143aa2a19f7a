import { ArrearsPolicySchema, DEFAULT_ARREARS_POLICY } from '../domain/arrears/index.ts';
import type { ArrearsDeps } from '../services/arrears.ts';
import { documentClient, requiredEnv } from './clients.ts';
import { sqsNoticeQueue } from './notice-queue.ts';
import { eventBridgeReminderScheduler } from './reminder-scheduler.ts';
import { KeybillRepository } from './repository.ts';

/**
 * What the arrears steps need, from the function's environment. The policy (ladder, lead times, working
 * hours, authority address, payment instructions) is configuration: ARREARS_POLICY holds its JSON.
 */
export function arrearsDepsFromEnv(log?: ArrearsDeps['log']): ArrearsDeps {
  const policy =
    process.env.ARREARS_POLICY === undefined || process.env.ARREARS_POLICY === ''
      ? DEFAULT_ARREARS_POLICY
      : ArrearsPolicySchema.parse(JSON.parse(process.env.ARREARS_POLICY));
  return {
    repository: new KeybillRepository(documentClient(), requiredEnv('TABLE_NAME')),
    queue: sqsNoticeQueue(requiredEnv('NOTICE_QUEUE_URL')),
    scheduler: eventBridgeReminderScheduler({
      groupName: requiredEnv('REMINDER_SCHEDULE_GROUP'),
      targetArn: requiredEnv('REMINDER_TARGET_ARN'),
      roleArn: requiredEnv('REMINDER_ROLE_ARN'),
      ...(process.env.REMINDER_DLQ_ARN ? { deadLetterArn: process.env.REMINDER_DLQ_ARN } : {}),
      timeZone: process.env.TIME_ZONE ?? 'Asia/Shanghai',
    }),
    policy,
    ...(log === undefined ? {} : { log }),
  };
}
