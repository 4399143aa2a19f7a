import { Duration, Stack } from 'aws-cdk-lib';
import { CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type CfnSchedule, type Schedule, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { type IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_QUIET_HOURS, parseQuietHours } from '#domain/calendar/index.ts';
import type { DataTable } from '../constructs/data-table.ts';
import type { DropBucket } from '../constructs/drop-bucket.ts';
import { KeybillFunction } from '../constructs/keybill-function.ts';
import { type DeadLetterQueue, grantSend } from '../constructs/queues.ts';
import type { RecurringSchedules } from '../constructs/recurring-schedules.ts';
import type { ArrearsLadder } from './arrears-ladder.ts';
import { WHOLE_DROP_SIZING } from './drop-ingest.ts';
import {
  operatorTestEvents,
  TEST_EVENT_REGISTRY,
  testEventSchemaDocument,
  testEventSchemaName,
} from './operator-test-events.ts';

export interface OperatorConsoleProps {
  readonly table: DataTable;
  /** `run-drop` reads a drop and writes its reject report, as ingest-drop does. */
  readonly drops: DropBucket;
  readonly billChunks: IQueue;
  readonly noticeQueue: IQueue;
  /** Operators approve, defer or exempt disconnection plans. */
  readonly arrears: ArrearsLadder;
  /** Local hours without SMS, e.g. '21:00-08:00' (context `quietHours`); empty for none. */
  readonly quietHours: string;
  /** The release of deferred SMS goes on this calendar, in its time zone. */
  readonly calendar: RecurringSchedules;
}

/**
 * What operators do by hand, through the operator function (console test events): run a drop, list runs,
 * show bills and notices, decide on disconnection plans; the same services as the automatic path. The
 * calendar also uses it to put SMS deferred for quiet hours back on the queue when the quiet hours end.
 */
export class OperatorConsole extends Construct {
  readonly operator: KeybillFunction;
  readonly releaseDeferredSms: Schedule;
  readonly reconcileUncertain: Schedule;
  /** The operator function's shareable console test events, one per command. */
  readonly testEvents: CfnSchema;

  constructor(scope: Construct, id: string, props: OperatorConsoleProps) {
    super(scope, id);
    // 'Default': CDK leaves this id out of logical IDs, so the function keeps those it was deployed with
    // before this construct wrapped it (see KeybillStack).
    this.operator = new KeybillFunction(this, 'Default', {
      handlerName: 'operator',
      description: 'Operator commands (console test events): run a drop, list runs, show bills and notices',
      // `run-drop` does what ingest-drop does, so it gets the same room.
      ...WHOLE_DROP_SIZING,
      // Schedules invoke it asynchronously (release-deferred); failures land in its dead-letter queue.
      asyncInvoke: {},
      environment: {
        TABLE_NAME: props.table.tableName,
        DROP_BUCKET: props.drops.bucketName,
        NOTICE_QUEUE_URL: props.noticeQueue.queueUrl,
        BILL_CHUNK_QUEUE_URL: props.billChunks.queueUrl,
      },
    });
    const fn = this.operator.function;
    props.table.grantItemAccess(this.operator);
    grantSend(props.billChunks, fn);
    props.drops.grantReadDrops(fn);
    props.drops.grantWriteRejects(fn);
    // get-run and check-drops write the run report (reports/runs/), from the reject report.
    props.drops.grantReadRejects(fn);
    props.drops.grantWriteReports(fn);
    grantSend(props.noticeQueue, fn);
    props.arrears.grantArrearsSteps(this.operator);

    // The commands, ready to click in the console's Test tab: a schema in the registry the console reads
    // shareable test events from. Only the schema, not the registry: the registry is one per account and
    // region, shared by every function, and the console creates it the first time anyone saves a
    // shareable event; CloudFormation cannot create it "if absent", so owning it here would fail the
    // deployment wherever it exists and delete every other function's events with this stack. Where it was
    // never created, save one shareable event in the console (or create the registry) before deploying.
    this.testEvents = new CfnSchema(this, 'TestEvents', {
      registryName: TEST_EVENT_REGISTRY,
      schemaName: testEventSchemaName(this.operator.physicalName),
      type: 'OpenApi3',
      description: 'keybill operator commands, one shareable test event per command',
      content: Stack.of(this).toJsonString(
        testEventSchemaDocument(operatorTestEvents(props.drops.bucketName)),
      ),
    });

    // SMS deferred for quiet hours go back on the queue when the quiet hours end (08:00 by default).
    const quietEnd = quietHoursEnd(props.quietHours, props.calendar.timeZone.timezoneName);
    const [hour, minute] = quietEnd.split(':').map(Number);
    this.releaseDeferredSms = props.calendar.add('ReleaseDeferredSms', {
      name: 'release-deferred-sms',
      description: `Re-queue SMS deferred for quiet hours, daily at ${quietEnd} China Standard Time`,
      cron: { minute: String(minute), hour: String(hour) },
      target: this.operator,
      maxEventAge: Duration.hours(1),
      input: ScheduleTargetInput.fromObject({ command: 'release-deferred' }),
    });
    // The logical ID it was deployed with, when it was defined in the stack itself: the schedule has a
    // fixed name, so under a new ID CloudFormation would create a second schedule of that name and fail.
    (this.releaseDeferredSms.node.defaultChild as CfnSchedule).overrideLogicalId(
      'ReleaseDeferredSms936C03D5',
    );

    // Emails left UNCERTAIN that no Send event confirmed within the hour go out again (reconcile-uncertain).
    this.reconcileUncertain = props.calendar.add('ReconcileUncertain', {
      name: 'reconcile-uncertain',
      description: 'Re-queue UNCERTAIN emails that no SES Send event confirmed within an hour, hourly',
      cron: { minute: '20', hour: '*' },
      target: this.operator,
      maxEventAge: Duration.hours(1),
      input: ScheduleTargetInput.fromObject({ command: 'reconcile-uncertain' }),
    });
  }
}

/**
 * The dead-letter queues `list-dead-letters` reads and `redrive` empties (DEAD_LETTER_QUEUES), each by
 * its label; a queue is redrivable when it is the dead-letter queue of an SQS queue of `root` (SQS moves
 * its messages back there), not of a function's failed invocations or a stream's records.
 */
export function manageDeadLetters(
  console: OperatorConsole,
  deadLetterQueues: readonly { dlq: DeadLetterQueue; name: string }[],
  root: Construct,
): void {
  const sources = new Map<IQueue, Queue>();
  for (const c of root.node.findAll()) {
    if (c instanceof Queue && c.deadLetterQueue !== undefined) sources.set(c.deadLetterQueue.queue, c);
  }
  const fn = console.operator.function;
  const entries = deadLetterQueues.map(({ dlq, name }) => {
    const source = sources.get(dlq.queue);
    dlq.queue.grant(fn, 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage');
    if (source !== undefined) {
      // A message-move task: started on the dead-letter queue, which SQS then reads, deletes from and
      // sends to the source queue on the caller's behalf.
      dlq.queue.grant(fn, 'sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks', 'sqs:DeleteMessage');
      fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [source.queueArn] }));
    }
    // The source queue's URL for a redrive where SQS has no message-move task (China): the function moves
    // the messages itself with the same grants (receive and delete here, send there).
    return source === undefined
      ? { name, url: dlq.queue.queueUrl, redrivable: false }
      : { name, url: dlq.queue.queueUrl, redrivable: true, sourceUrl: source.queueUrl };
  });
  fn.addEnvironment('DEAD_LETTER_QUEUES', Stack.of(console).toJsonString(entries));
}

/** When the quiet hours end, HH:MM; the domain's parser validates the setting (the sender reads the same). */
function quietHoursEnd(quietHours: string, timeZone: string): string {
  try {
    return (parseQuietHours(quietHours, timeZone) ?? DEFAULT_QUIET_HOURS).end;
  } catch (error) {
    throw new Error(`quietHours must be HH:MM-HH:MM, got '${quietHours}': ${(error as Error).message}`);
  }
}
