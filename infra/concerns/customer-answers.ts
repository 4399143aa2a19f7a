import { CfnOutput, Duration } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { acknowledge } from '../constructs/acknowledge.ts';
import { ContactDataKey } from '../constructs/data-key.ts';
import type { DataTable } from '../constructs/data-table.ts';
import { KeybillFunction } from '../constructs/keybill-function.ts';
import type { NamedSecret } from '../constructs/named-secret.ts';
import type { RecurringSchedules } from '../constructs/recurring-schedules.ts';
import { TIME_ZONE_NAME, timeoutSecondsOf } from '../wiring-values.ts';

export interface CustomerAnswersProps {
  readonly table: DataTable;
  readonly linkSigningKey: NamedSecret;
  /** The overdue follow-ups are escalated through the operator function, every working hour. */
  readonly operator: KeybillFunction;
  readonly calendar: RecurringSchedules;
}

/** Requests per second the public endpoint takes before API Gateway answers 429 (and its burst). */
export const ANSWER_RATE_LIMIT = { rateLimit: 20, burstLimit: 40 } as const;

/**
 * The customers' one-click answers: a public HTTP API (GET shows a page, POST records) in front of the
 * answers function, throttled at the stage and by the function's reserved concurrency. No WAF: the
 * endpoint takes only signed tokens and short codes, a forged one costs one GetItem and records nothing,
 * and the throttle bounds what a flood can cost (a WAF web ACL can be associated later without a change
 * here, at its own monthly price). The function reads what a page shows and writes answers and
 * follow-ups only: items whose partition key starts with ANSWER# or FOLLOWUP#.
 */
export class CustomerAnswers extends Construct {
  readonly answers: KeybillFunction;
  readonly api: HttpApi;
  readonly escalateFollowUps: Schedule;

  constructor(scope: Construct, id: string, props: CustomerAnswersProps) {
    super(scope, id);
    this.answers = new KeybillFunction(this, 'Answers', {
      handlerName: 'answers',
      description: "Customers' one-click answers to previews and warnings: pages (GET) and answers (POST)",
      memorySize: 512,
      timeout: Duration.seconds(timeoutSecondsOf('answers')),
      environment: { TABLE_NAME: props.table.tableName, TIME_ZONE: TIME_ZONE_NAME },
    });
    const fn = this.answers.function;
    props.linkSigningKey.grantRead(this.answers);
    this.grantReadsAndAnswerWrites(props.table);

    this.api = new HttpApi(this, 'Api', {
      description: "keybill customers' answer links",
      createDefaultStage: true,
    });
    const integration = new HttpLambdaIntegration('AnswersIntegration', fn);
    for (const path of ['/a/{token}', '/s/{code}']) {
      this.api.addRoutes({ path, methods: [HttpMethod.GET, HttpMethod.POST], integration });
    }
    this.throttleAndLog();
    acknowledge(
      this.api,
      'AwsSolutions-APIG4',
      'Public by design: customers open links from their email or SMS without an account. Each request is authorised by the signed, expiring token (or the SMS code) in its path; anything else gets a page and records nothing',
    );

    // Overdue follow-ups are escalated once each, every hour of the working day.
    this.escalateFollowUps = props.calendar.add('EscalateFollowUps', {
      name: 'escalate-follow-ups',
      description:
        'Escalate customers follow-ups past their due time, hourly 09:00-17:00 China Standard Time',
      cron: { minute: '0', hour: '9-17', weekDay: 'MON-FRI' },
      target: props.operator,
      maxEventAge: Duration.hours(1),
      input: ScheduleTargetInput.fromObject({ command: 'escalate-follow-ups' }),
    });

    new CfnOutput(this, 'AnswerBaseUrl', { value: this.api.apiEndpoint });
  }

  /** The endpoint's base URL, for the links the sender renders (ANSWER_BASE_URL). */
  get baseUrl(): string {
    return this.api.apiEndpoint;
  }

  private grantReadsAndAnswerWrites(table: DataTable): void {
    const fn = this.answers.function;
    table.grantKeyUse(fn);
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadWhatAPageShows',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [table.table.tableArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'WriteAnswersAndFollowUpsOnly',
        actions: ['dynamodb:PutItem'],
        resources: [table.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ANSWER#*', 'FOLLOWUP#*'] } },
      }),
    );
  }

  private throttleAndLog(): void {
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    // The access log holds callers' addresses and paths: under the contact-data key like the functions' logs.
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      encryptionKey: ContactDataKey.of(this).key,
    });
    stage.defaultRouteSettings = {
      throttlingRateLimit: ANSWER_RATE_LIMIT.rateLimit,
      throttlingBurstLimit: ANSWER_RATE_LIMIT.burstLimit,
    };
    // No address or token in the log: the route key, status and timing only.
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        time: '$context.requestTime',
      }),
    };
  }
}
