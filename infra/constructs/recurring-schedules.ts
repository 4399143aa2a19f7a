import { type Duration, Stack, type TimeZone } from 'aws-cdk-lib';
import type { CronOptions } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, type ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.ts';
import type { KeybillFunction } from './keybill-function.ts';

export interface RecurringSchedulesProps {
  /** The wall clock every schedule fires on (the customers' and operators' time zone). */
  readonly timeZone: TimeZone;
}

export interface RecurringJob {
  /** The schedule is named `<stack name>-<name>`. */
  readonly name: string;
  readonly description: string;
  /** When it fires, on the calendar's wall clock. */
  readonly cron: CronOptions;
  /**
   * The function invoked. It must have been created with `asyncInvoke`: what Scheduler cannot deliver goes
   * to its dead-letter queue.
   */
  readonly target: KeybillFunction;
  readonly input: ScheduleTargetInput;
  /** How long Scheduler keeps retrying an invocation it could not deliver. */
  readonly maxEventAge: Duration;
}

/**
 * The product's calendar: recurring EventBridge Scheduler jobs in the customers' time zone, all run by one
 * role. The concerns put their jobs on it (the daily arrears scan, the monthly ranking, the release of
 * deferred SMS); the role gets permission to invoke each job's function and nothing else.
 */
export class RecurringSchedules extends Construct {
  /** The role the recurring schedules run as. */
  readonly role: Role;
  readonly timeZone: TimeZone;

  constructor(scope: Construct, id: string, props: RecurringSchedulesProps) {
    super(scope, id);
    this.timeZone = props.timeZone;
    this.role = new Role(this, 'SchedulerRole', {
      description: 'Runs the recurring keybill schedules',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
  }

  /** A recurring job: invokes its function asynchronously, with two retries, on the calendar's wall clock. */
  add(id: string, job: RecurringJob): Schedule {
    const stack = Stack.of(this);
    const deadLetters = job.target.requireDeadLetterQueue();
    deadLetters.grantKeyToSenders(this.role);
    const schedule = new Schedule(this, id, {
      scheduleName: `${stack.stackName}-${job.name}`,
      description: job.description,
      schedule: ScheduleExpression.cron({ ...job.cron, timeZone: this.timeZone }),
      target: new LambdaInvoke(job.target.function, {
        role: this.role,
        deadLetterQueue: deadLetters.queue,
        retryAttempts: 2,
        maxEventAge: job.maxEventAge,
        input: job.input,
      }),
    });
    // LambdaInvoke grants the role lambda:InvokeFunction on the function and on `<arn>:*` (its versions
    // and aliases); the schedules invoke the unqualified function only.
    const functionId = stack.getLogicalId(job.target.function.node.defaultChild as CfnFunction);
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      `Added by the Scheduler LambdaInvoke target (grantInvoke covers versions and aliases of ${job.target.serviceName}); ` +
        'the wildcard stays within that one function.',
    );
    return schedule;
  }
}
