import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../constructs/acknowledge.ts';
import type { DataTable } from '../constructs/data-table.ts';
import { KeybillFunction, METRICS_NAMESPACE } from '../constructs/keybill-function.ts';
import type { NamedSecret } from '../constructs/named-secret.ts';
import {
  consumeQueue,
  DeadLetterQueue,
  grantSend,
  secureQueue,
  streamFailureDestination,
  watchBacklog,
} from '../constructs/queues.ts';
import { DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD, SmsSpendAlarm } from '../constructs/sms-spend-alarm.ts';
import {
  BATCH_SIZES,
  CONFIGURATION_SET_NAME,
  MAX_CONCURRENCY,
  MAX_RECEIVE_COUNT,
  PLANNER_STREAM_FILTER,
  timeoutSecondsOf,
  VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT,
} from '../wiring-values.ts';

export { CONFIGURATION_SET_NAME };

/**
 * The sender's timeout, from which its claim lease (2×) and its queue's visibility timeout (6×) derive:
 * the lease must outlast a live sender and lapse before a re-delivery (deliver-notice.ts says why).
 */
const SENDER_TIMEOUT = Duration.seconds(timeoutSecondsOf('send-notice'));
const SENDER_CLAIM_LEASE_TIMEOUTS = 2;

/**
 * SES reviews an account whose bounce rate reaches 5 % and may pause its sending at 10 %; for complaints
 * the levels are 0.1 % and 0.5 % (Amazon SES Developer Guide, "Sending review process FAQs" and
 * "Reputation metrics"). The alarms fire below the review levels, so there is time to act, and only over
 * enough sends for a rate to mean something.
 */
export const SES_RATE_ALARMS = {
  bounce: { metricName: 'Bounce', thresholdPercent: 4, reviewPercent: 5, pausePercent: 10 },
  complaint: { metricName: 'Complaint', thresholdPercent: 0.08, reviewPercent: 0.1, pausePercent: 0.5 },
} as const;
/** Sends in the alarms' window below which a rate is not computed (one bounce in 20 sends is not 5 %). */
export const SES_RATE_MINIMUM_SENDS = 100;
const SES_RATE_WINDOW = Duration.hours(6);
/** The CloudWatch dimension SES publishes the configuration set's event counts under. */
const SES_METRIC_DIMENSION = 'ses:configuration-set';

/** The SES events the delivery recorder needs, with the EventBridge detail-type each arrives under. */
const DELIVERY_EVENTS: ReadonlyArray<[EmailSendingEvent, string]> = [
  [EmailSendingEvent.SEND, 'Email Sent'],
  [EmailSendingEvent.DELIVERY, 'Email Delivered'],
  [EmailSendingEvent.BOUNCE, 'Email Bounced'],
  [EmailSendingEvent.COMPLAINT, 'Email Complaint Received'],
  [EmailSendingEvent.REJECT, 'Email Rejected'],
];

export interface NoticesProps {
  readonly table: DataTable;
  /** Recipient keys: the planner names notices with them, the sender and recorder key suppressions. */
  readonly recipientKey: NamedSecret;
  /** The From address of bill previews; its address and its domain are the identities it may send as. */
  readonly sesFromAddress: string;
  /** Create (and DKIM-verify through DNS) the SES domain identity of `sesFromAddress`. @default false */
  readonly createSesIdentity?: boolean;
  /** SNS SMS sender ID (not used in every country); empty for none. @default '' */
  readonly smsSenderId?: string;
  /** Local hours in which no SMS is sent, e.g. '21:00-08:00'. */
  readonly quietHours: string;
  /** IANA time zone of the quiet hours and of every date a customer sees. */
  readonly timeZone: string;
  /**
   * At most this many sender invocations at once. With batches of 10 this is what paces sends to the
   * SES/SNS quota: raise it only with the quota. The SQS event source accepts 2 to 1000.
   * @default MAX_CONCURRENCY['send-notice'] (infra/wiring-values.ts)
   */
  readonly senderMaxConcurrency?: number;
  /** The account's monthly SMS spend limit in USD, for the alarm before SNS stops sending. @default 1 */
  readonly smsMonthlySpendLimitUsd?: number;
  /** The account's SES maximum send rate (emails per second). @default 14 */
  readonly sesMaxSendRate?: number;
  /** The account's SNS SMS rate (messages per second). @default 20 */
  readonly smsMaxSendRate?: number;
}

/**
 * Notices to customers, from a new bill version to a recorded delivery: the table stream feeds the
 * planner, which writes notice items (the outbox) and queues them; the sender claims and sends each
 * through SES or SNS at a bounded pace; SES reports what happened through EventBridge to the recorder.
 * Other concerns queue their own notices (arrears warnings, ranking digests) on the same queue.
 */
export class Notices extends Construct {
  readonly planner: KeybillFunction;
  readonly sender: KeybillFunction;
  readonly recorder: KeybillFunction;
  readonly noticeQueue: Queue;
  readonly noticeDeadLetters: DeadLetterQueue;
  readonly plannerFailures: DeadLetterQueue;
  readonly configurationSet: ConfigurationSet;
  readonly emailIdentity?: EmailIdentity;

  constructor(scope: Construct, id: string, props: NoticesProps) {
    super(scope, id);
    const { table } = props;
    const { maxConcurrency, fromDomain } = checkedSenderSettings(props);

    this.configurationSet = this.previewConfigurationSet();
    if (props.createSesIdentity === true) this.emailIdentity = this.sendingIdentity(fromDomain);

    // ---- Sender: SQS notices queue → send-notice, paced by maximum concurrency.
    this.sender = new KeybillFunction(this, 'SendNotice', {
      handlerName: 'send-notice',
      description: 'Claims a planned notice and sends it by email (SES) or SMS (SNS)',
      environment: {
        TABLE_NAME: table.tableName,
        SES_FROM_ADDRESS: props.sesFromAddress,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        SMS_SENDER_ID: props.smsSenderId ?? '',
        QUIET_HOURS: props.quietHours,
        TIME_ZONE: props.timeZone,
        // Each instance paces to its share of the quota, so all instances together stay under it.
        EMAIL_RATE_PER_SECOND: String((props.sesMaxSendRate ?? 14) / maxConcurrency),
        SMS_RATE_PER_SECOND: String((props.smsMaxSendRate ?? 20) / maxConcurrency),
        // A claim outlives any live sender (its timeout) and lapses well before the message's visibility
        // timeout (below): the first re-delivery after a crash takes the claim over (deliver-notice.ts).
        NOTICE_CLAIM_LEASE_SECONDS: String(SENDER_CLAIM_LEASE_TIMEOUTS * SENDER_TIMEOUT.toSeconds()),
      },
      timeout: SENDER_TIMEOUT,
    });
    const senderTimeout = SENDER_TIMEOUT;
    this.noticeDeadLetters = new DeadLetterQueue(this, 'NoticeDeadLetters', {
      purpose: 'Notices queue: a notice message failed 5 receives',
    });
    this.noticeQueue = secureQueue(this, 'NoticeQueue', {
      visibilityTimeout: Duration.seconds(
        senderTimeout.toSeconds() * VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT,
      ),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.noticeDeadLetters.queue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.sender.function.addEventSource(
      consumeQueue(this.noticeQueue, {
        batchSize: BATCH_SIZES['send-notice'],
        reportBatchItemFailures: true,
        maxConcurrency,
      }),
    );
    watchBacklog(this.noticeQueue, 'Notices queue');
    // A failed notice is a customer who was not told (SES or SNS refused it for good); the sender counts
    // them as NoticesFailed under its Powertools service dimension.
    new Alarm(this, 'NoticesFailing', {
      alarmDescription:
        'send-notice: at least one notice failed for good (SES or SNS refused it); see its logs.',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'NoticesFailed',
        dimensionsMap: { service: this.sender.serviceName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    new SmsSpendAlarm(this, 'SmsSpend', {
      monthlySpendLimitUsd: props.smsMonthlySpendLimitUsd ?? DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD,
    });
    table.grantItemAccess(this.sender);
    props.recipientKey.grantRead(this.sender);
    this.grantSendAsPreviewSender(props.sesFromAddress, fromDomain);

    // ---- Planner: table stream (new BILL items only) → plan-notices.
    this.planner = new KeybillFunction(this, 'PlanNotices', {
      handlerName: 'plan-notices',
      description: 'Plans the notices of each new bill version (outbox items) and queues them',
      environment: { TABLE_NAME: table.tableName, NOTICE_QUEUE_URL: this.noticeQueue.queueUrl },
    });
    this.plannerFailures = new DeadLetterQueue(this, 'PlannerFailures', {
      purpose: 'plan-notices: stream records that failed every retry (the bill has no notices yet)',
    });
    this.planner.function.addEventSource(newBillVersions(table, this.plannerFailures));
    table.grantItemAccess(this.planner);
    props.recipientKey.grantRead(this.planner);
    grantSend(this.noticeQueue, this.planner.function);

    // ---- Recorder: SES configuration-set events on the default bus → record-delivery.
    this.recorder = new KeybillFunction(this, 'RecordDelivery', {
      handlerName: 'record-delivery',
      description: 'Records SES delivery events (sent, delivered, bounced, complained, rejected) on notices',
      environment: { TABLE_NAME: table.tableName },
      asyncInvoke: {},
    });
    table.grantItemAccess(this.recorder);
    props.recipientKey.grantRead(this.recorder);
    new Rule(this, 'DeliveryEvents', {
      description: `SES events of the ${CONFIGURATION_SET_NAME} configuration set to record-delivery`,
      eventPattern: {
        source: ['aws.ses'],
        detailType: DELIVERY_EVENTS.map(([, detailType]) => detailType),
        // Other configuration sets of the account publish to the same default bus.
        detail: { mail: { tags: { 'ses:configuration-set': [CONFIGURATION_SET_NAME] } } },
      },
      targets: [this.recorder.asRuleTarget()],
    });
  }

  /** Every preview is sent through this configuration set; its events go to the default bus. */
  private previewConfigurationSet(): ConfigurationSet {
    const configurationSet = new ConfigurationSet(this, 'PreviewConfigurationSet', {
      configurationSetName: CONFIGURATION_SET_NAME,
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: DELIVERY_EVENTS.map(([event]) => event),
    });
    // The same sends, bounces and complaints counted in CloudWatch (AWS/SES, by configuration set), for the
    // rate alarms: SES judges an account by these rates.
    configurationSet.addEventDestination('ToCloudWatch', {
      destination: EventDestination.cloudWatchDimensions([
        {
          name: SES_METRIC_DIMENSION,
          source: CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: CONFIGURATION_SET_NAME,
        },
      ]),
      events: [EmailSendingEvent.SEND, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    for (const [kind, rate] of Object.entries(SES_RATE_ALARMS)) this.rateAlarm(kind, rate);
    return configurationSet;
  }

  /** An alarm on the configuration set's bounce or complaint rate, in percent of sends. */
  private rateAlarm(kind: string, rate: (typeof SES_RATE_ALARMS)[keyof typeof SES_RATE_ALARMS]): Alarm {
    const count = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { [SES_METRIC_DIMENSION]: CONFIGURATION_SET_NAME },
        statistic: 'Sum',
        period: SES_RATE_WINDOW,
      });
    const title = kind[0]!.toUpperCase() + kind.slice(1);
    return new Alarm(this, `Ses${title}Rate`, {
      alarmDescription:
        `SES ${kind} rate of ${CONFIGURATION_SET_NAME} above ${rate.thresholdPercent} % over ${SES_RATE_WINDOW.toHours()} h ` +
        `(SES reviews the account at ${rate.reviewPercent} % and may pause sending at ${rate.pausePercent} %).`,
      metric: new MathExpression({
        expression: `IF(sends >= ${SES_RATE_MINIMUM_SENDS}, 100 * FILL(events, 0) / sends, 0)`,
        usingMetrics: { sends: count('Send'), events: count(rate.metricName) },
        period: SES_RATE_WINDOW,
        label: `${kind} rate (%)`,
      }),
      threshold: rate.thresholdPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** The SES domain identity of the From address, with the DKIM records to add to its DNS as outputs. */
  private sendingIdentity(fromDomain: string): EmailIdentity {
    const identity = new EmailIdentity(this, 'SendingIdentity', {
      identity: Identity.domain(fromDomain),
      configurationSet: this.configurationSet,
    });
    identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        description: `CNAME to add to the DNS of ${fromDomain} for SES DKIM`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });
    return identity;
  }

  /** send-notice may send email as the From address only, and publish SMS. */
  private grantSendAsPreviewSender(sesFromAddress: string, fromDomain: string): void {
    this.sender.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          this.sesArn('identity', sesFromAddress),
          this.sesArn('identity', fromDomain),
          this.sesArn('configuration-set', this.configurationSet.configurationSetName),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': sesFromAddress } },
      }),
    );
    const smsPublish = new Policy(this, 'SmsPublishPolicy', {
      // The sender checks a number's opt-out before it publishes (shared/adapters/providers.ts).
      statements: [
        new PolicyStatement({
          actions: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'],
          resources: ['*'],
        }),
      ],
    });
    smsPublish.attachToRole(this.sender.role);
    acknowledge(
      smsPublish,
      'AwsSolutions-IAM5[Resource::*]',
      'SMS are published straight to phone numbers, not to a topic; SNS authorises such a Publish only ' +
        'against Resource "*", and CheckIfPhoneNumberIsOptedOut has no resource at all. The policy grants ' +
        'those two actions alone.',
    );
  }

  private sesArn(resource: 'identity' | 'configuration-set', name: string): string {
    return Stack.of(this).formatArn({ service: 'ses', resource, resourceName: name });
  }
}

/** The sender's settings, refused at synthesis when SQS or SES would refuse them at deployment. */
function checkedSenderSettings(props: NoticesProps): { maxConcurrency: number; fromDomain: string } {
  const maxConcurrency = props.senderMaxConcurrency ?? MAX_CONCURRENCY['send-notice'];
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
    throw new Error(`senderMaxConcurrency must be an integer from 2 to 1000, got ${maxConcurrency}`);
  }
  const fromDomain = props.sesFromAddress.split('@')[1];
  if (fromDomain === undefined || fromDomain === '') {
    throw new Error(`sesFromAddress must be an email address, got '${props.sesFromAddress}'`);
  }
  return { maxConcurrency, fromDomain };
}

/**
 * The table stream as the planner reads it: new bill versions, and customers' answers and follow-ups
 * (what follows them: review marks, evidence, the managers' emails), failures to a dead-letter queue.
 */
function newBillVersions(table: DataTable, failures: DeadLetterQueue): DynamoEventSource {
  return new DynamoEventSource(table.table, {
    // From the oldest record the stream still holds: a bill must not miss its notices after an outage.
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: BATCH_SIZES['plan-notices'],
    bisectBatchOnError: true,
    retryAttempts: 5,
    reportBatchItemFailures: true,
    onFailure: streamFailureDestination(failures.queue),
    // Only new bill versions reach the function; reads, runs and notices cost nothing.
    filters: [FilterCriteria.filter(PLANNER_STREAM_FILTER)],
  });
}
