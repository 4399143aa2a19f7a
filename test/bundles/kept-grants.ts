import { type GrantLine, wildcardMatches } from './role-policies.ts';

/*
 * The grants the bundles run does not use, kept on purpose, each with why: the one place that says so.
 * The run (deployed-path.test.ts) fails on any granted action × resource that no recorded call used and
 * no entry here explains, and on an entry that explains no grant of its functions (a stale reason).
 * `resource` is a wildcard pattern over the grant's resource as resolved from the template (logical IDs
 * for names; `arn:*:` for any partition); `functions` are handler names (functions/<name>/).
 */

export interface KeptGrant {
  readonly functions: readonly string[] | 'every function';
  readonly actions: readonly string[];
  readonly resource: string;
  readonly reason: string;
}

/** The functions that take arrears steps (ArrearsLadder.grantArrearsSteps). */
const ARREARS_STEPPERS = [
  'arrears-scan',
  'arrears-chunk',
  'ingest-drop',
  'operator',
  'plan-notices',
  'record-delivery',
];
const WITH_TABLE = [...ARREARS_STEPPERS, 'bill-chunk', 'send-notice', 'rank-accounts', 'answers'];

export const KEPT_GRANTS: readonly KeptGrant[] = [
  {
    functions: 'every function',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resource: 'arn:*:logs:*:log-group:*',
    reason:
      "Lambda writes the function's output to its own log group with the function's role; locally the " +
      'output goes to the test process.',
  },
  {
    functions: 'every function',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    resource: '*',
    reason:
      "Active tracing: Lambda sends the function's trace segments with its role (no resource-level " +
      'permission exists); no X-Ray daemon runs locally.',
  },
  {
    functions: WITH_TABLE,
    actions: ['kms:Encrypt', 'kms:DescribeKey', 'kms:Decrypt', 'kms:GenerateDataKey'],
    resource: 'arn:*:kms:*:key/*',
    reason:
      "DynamoDB uses the table's customer managed key with the caller's credentials (kms:ViaService " +
      'dynamodb): DynamoDB Local encrypts nothing, so these are never recorded. The actions are those of ' +
      "AWS's documented key policy for DynamoDB, less ReEncrypt and CreateGrant (TABLE_KEY_ACTIONS).",
  },
  {
    functions: WITH_TABLE,
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ],
    resource: 'arn:*:dynamodb:*:table/*',
    reason:
      'Each function is granted the item actions its bundle can call (infra/constructs/table-access.ts, ' +
      'checked against the store methods in every bundle by table-access.test.ts); one cycle reaches a ' +
      'part of them (no contention, no holds, no bounces, no arrears plans).',
  },
  {
    functions: ['plan-notices'],
    actions: ['dynamodb:ListStreams'],
    resource: '*',
    reason:
      "Lambda's stream poller lists the table's streams (AWSLambdaDynamoDBExecutionRole); the local poller " +
      'reads the stream by its ARN. ListStreams has no resource-level permission.',
  },
  {
    functions: [
      'record-delivery',
      'arrears-scan',
      'rank-accounts',
      'ingest-drop',
      'operator',
      'plan-notices',
    ],
    actions: ['sqs:SendMessage'],
    resource: 'arn:*:sqs:*:*Fail*Queue*',
    reason:
      'Lambda leaves an asynchronous event that failed every retry (or a stream batch that did) in this ' +
      "queue with the function's role: a failure path the run does not provoke.",
  },
  {
    functions: ARREARS_STEPPERS,
    actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'iam:PassRole'],
    resource: '*',
    reason:
      "A plan's final reminder is scheduled when an account reaches the disconnection step and deleted " +
      "when a payment, an operator or a confirmed delivery ends the plan; the run's accounts never get " +
      'that far (the arrears integration tests do, from the sources).',
  },
  {
    functions: ARREARS_STEPPERS,
    actions: ['sqs:SendMessage'],
    resource: 'arn:*:sqs:*:NotificationsNoticeQueue*',
    reason:
      'The arrears ladder queues warnings and reminders on the notices queue; the run takes one step ' +
      'with nothing to warn about from these functions.',
  },
  {
    functions: ARREARS_STEPPERS,
    actions: ['secretsmanager:GetSecretValue'],
    resource: 'arn:*:secretsmanager:*:secret:RecipientKeySecret*',
    reason:
      'Recipient keys are read at first use: to suppress a bounced address (record-delivery), to name a ' +
      "warning's recipient (arrears steps), by migrate-recipient-keys (operator).",
  },
  {
    functions: ['bill-chunk', 'operator'],
    actions: ['s3:GetObject', 's3:PutObject'],
    resource: 'arn:*:s3:::*/rejects/*',
    reason:
      "A drop with rejected rows gets a reject report, which the run's finishing chunk extends; the " +
      "test's drop has no rejected row.",
  },
  {
    functions: ['send-notice'],
    actions: ['ses:SendEmail'],
    resource: 'arn:*:ses:*:identity/*@*',
    reason:
      'SES authorises a send on the From address identity when the address itself, not its domain, is the ' +
      'verified identity; either may be.',
  },
  {
    functions: ['operator'],
    actions: ['sqs:SendMessage'],
    resource: 'arn:*:sqs:*:*ChunksQueue*',
    reason:
      "run-drop queues a new drop's chunks (the run re-runs a drop already billed); redrive: SQS's " +
      'message-move task sends to the source queue as the caller, or in China the function itself.',
  },
  ...['arn:*:sqs:*:*DeadLetters*', 'arn:*:sqs:*:*Fail*Queue*'].map((resource) => ({
    functions: ['operator'],
    actions: [
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:StartMessageMoveTask',
      'sqs:ListMessageMoveTasks',
    ],
    resource,
    reason:
      'list-dead-letters counts and samples every dead-letter queue (the local stack has three of them, and ' +
      'samples only non-empty ones); redrive starts a message-move task (not emulated locally), which reads ' +
      'and deletes as the caller, or in China receives and deletes itself; the run redrives nothing.',
  })),
];

/** The entries that explain a grant of this function, by its handler name. */
export const keptFor = (handlerName: string): readonly KeptGrant[] =>
  KEPT_GRANTS.filter((k) => k.functions === 'every function' || k.functions.includes(handlerName));

/** Whether an entry explains a grant: one of its actions (wildcards allowed) and its resource pattern. */
export const explains = (kept: KeptGrant, grant: GrantLine): boolean =>
  kept.actions.some((a) => wildcardMatches(a, grant.action, true)) &&
  wildcardMatches(kept.resource, grant.resource);

/** A function's unused grants split into those kept on purpose (with the reason) and the rest. */
export function explainUnused(handlerName: string, unused: readonly GrantLine[]) {
  const entries = keptFor(handlerName);
  const keptOnPurpose: { grant: string; reason: string }[] = [];
  const unexplained: string[] = [];
  for (const grant of unused) {
    const entry = entries.find((k) => explains(k, grant));
    const line = `${grant.action} on ${grant.resource}`;
    if (entry === undefined) unexplained.push(line);
    else keptOnPurpose.push({ grant: line, reason: entry.reason });
  }
  return { keptOnPurpose, unexplained };
}

/** Entries (by their first action) that explain no grant of this function at all: stale reasons. */
export function staleEntries(handlerName: string, grants: readonly GrantLine[]): string[] {
  return keptFor(handlerName)
    .filter((k) => !grants.some((g) => explains(k, g)))
    .map((k) => `${handlerName}: ${k.actions.join(', ')} on ${k.resource}`);
}
