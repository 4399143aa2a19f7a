import type { AwsCall, RecordedRequest } from './aws-call-recorder.ts';
import { arnIn } from './aws-partition.ts';

/*
 * One recorded HTTP request → the IAM action(s) and resource ARNs AWS evaluates it against, per the
 * service authorization reference: a DynamoDB Query on an index is authorised on the index's ARN, a
 * batch or transaction on every table it names, an SQS batch as its single action, an S3 HeadObject as
 * s3:GetObject, an SES v2 SendEmail on its sending identity and configuration set, an SNS Publish to a
 * phone number on "*" (SNS has no resource for a phone number: "*" is the documented resource), a
 * Scheduler CreateSchedule also as iam:PassRole on the schedule's role, and a Secrets Manager call on the
 * secret its SecretId names.
 */

type Call = Omit<AwsCall, 'functionName' | 'requestBytes' | 'responseBytes'>;
type Scope = { region: string; account: string };

/** The SigV4 signing name in the Authorization header's credential scope: the service AWS authorises. */
export function signingService(headers: Record<string, string>): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '')?.[1];
}

export function awsCallsOf(request: RecordedRequest, scope: Scope): Call[] {
  const service = signingService(request.headers);
  switch (service) {
    case undefined:
      return [];
    case 'dynamodb':
      return dynamodb(request, scope);
    case 'sqs':
      return sqs(request, scope);
    case 's3':
      return s3(request, scope);
    case 'ses':
      return ses(request, scope);
    case 'sns':
      return sns(request);
    case 'scheduler':
      return scheduler(request, scope);
    case 'secretsmanager':
      return secretsManager(request, scope);
    default:
      return [{ action: `${service}:${targetOperation(request) ?? 'Unknown'}`, resources: ['*'] }];
  }
}

const json = (request: RecordedRequest): Record<string, unknown> => {
  try {
    return JSON.parse(request.body || '{}');
  } catch {
    return {};
  }
};

/** `DynamoDB_20120810.Query` → `Query`. */
const targetOperation = (request: RecordedRequest) => request.headers['x-amz-target']?.split('.').at(-1);

/** GetRecords names a shard iterator, not its stream: it is authorised on the stream last described. */
let lastStreamArn = '*';

function dynamodb(request: RecordedRequest, scope: Scope): Call[] {
  const operation = targetOperation(request) ?? 'Unknown';
  const body = json(request);
  if (typeof body.StreamArn === 'string') {
    lastStreamArn = body.StreamArn;
    return [{ action: `dynamodb:${operation}`, resources: [body.StreamArn] }];
  }
  if (operation === 'GetRecords') return [{ action: 'dynamodb:GetRecords', resources: [lastStreamArn] }];
  const table = (name: string) => arnIn(scope, 'dynamodb', `table/${name}`);
  const tables = new Set<string>();
  if (typeof body.TableName === 'string') {
    tables.add(
      typeof body.IndexName === 'string'
        ? `${table(body.TableName)}/index/${body.IndexName}`
        : table(body.TableName),
    );
  }
  for (const name of Object.keys((body.RequestItems as object | undefined) ?? {})) tables.add(table(name));
  if (Array.isArray(body.TransactItems)) return transactionParts(body.TransactItems, table);
  return [{ action: `dynamodb:${operation}`, resources: [...tables] }];
}

/**
 * A transaction is not an IAM action: AWS authorises each of its parts as the single-item action on its
 * table (Put → PutItem, Update → UpdateItem, Delete → DeleteItem, ConditionCheck → ConditionCheckItem,
 * Get → GetItem).
 */
function transactionParts(
  items: Record<string, { TableName?: string }>[],
  table: (name: string) => string,
): Call[] {
  return items.flatMap((item) =>
    Object.entries(item).map(([part, request]) => ({
      action: `dynamodb:${part === 'Get' ? 'GetItem' : part === 'ConditionCheck' ? 'ConditionCheckItem' : `${part}Item`}`,
      resources: [table(request.TableName ?? '')],
    })),
  );
}

/** Batch APIs are authorised as their single-message action. */
const SQS_BATCH: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function sqs(request: RecordedRequest, scope: Scope): Call[] {
  const operation = targetOperation(request) ?? 'Unknown';
  const queueUrl = json(request).QueueUrl;
  const name = typeof queueUrl === 'string' ? queueUrl.split('/').at(-1) : undefined;
  return [
    {
      action: `sqs:${SQS_BATCH[operation] ?? operation}`,
      resources: name === undefined ? ['*'] : [arnIn(scope, 'sqs', name)],
    },
  ];
}

function s3(request: RecordedRequest, scope: Scope): Call[] {
  const url = new URL(request.path, 'http://local');
  const [bucket, ...keyParts] = url.pathname.slice(1).split('/');
  const key = keyParts.map(decodeURIComponent).join('/');
  const object = arnIn(scope, 's3', `${bucket}/${key}`);
  if (key === '') {
    if (request.method === 'GET')
      return [{ action: 's3:ListBucket', resources: [arnIn(scope, 's3', bucket!)] }];
    return [{ action: `s3:${request.method}Bucket`, resources: [arnIn(scope, 's3', bucket!)] }];
  }
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return [{ action: 's3:GetObject', resources: [object] }];
    case 'PUT': {
      const source = request.headers['x-amz-copy-source'];
      return [
        { action: 's3:PutObject', resources: [object] },
        ...(source === undefined
          ? []
          : [
              {
                action: 's3:GetObject',
                resources: [arnIn(scope, 's3', decodeURIComponent(source).replace(/^\//, ''))],
              },
            ]),
      ];
    }
    case 'DELETE':
      return [{ action: 's3:DeleteObject', resources: [object] }];
    default:
      return [{ action: `s3:${request.method}`, resources: [object] }];
  }
}

/**
 * SES v2 SendEmail is authorised on the identity that sends and the configuration set it names. The stack
 * verifies the From address's domain, so the domain identity is the one AWS evaluates.
 */
function ses(request: RecordedRequest, scope: Scope): Call[] {
  const body = json(request);
  if (request.method === 'POST' && request.path.startsWith('/v2/email/outbound-emails')) {
    const from = String(body.FromEmailAddress ?? '');
    const domain = from.replace(/^.*<|>.*$/g, '').split('@')[1] ?? from;
    const arn = (resource: string) => arnIn(scope, 'ses', resource);
    return [
      {
        action: 'ses:SendEmail',
        resources: [
          arn(`identity/${domain}`),
          ...(typeof body.ConfigurationSetName === 'string'
            ? [arn(`configuration-set/${body.ConfigurationSetName}`)]
            : []),
        ],
      },
    ];
  }
  return [{ action: `ses:${request.method}${request.path.split('?')[0]}`, resources: ['*'] }];
}

function sns(request: RecordedRequest): Call[] {
  const form = new URLSearchParams(request.body);
  const action = form.get('Action') ?? 'Unknown';
  const topic = form.get('TopicArn') ?? form.get('TargetArn');
  // A Publish to a phone number has no resource of its own: "*" is what SNS authorises it against.
  return [{ action: `sns:${action}`, resources: [topic ?? '*'] }];
}

const SCHEDULER_ACTION: Record<string, string> = {
  POST: 'CreateSchedule',
  PUT: 'UpdateSchedule',
  DELETE: 'DeleteSchedule',
  GET: 'GetSchedule',
};

function scheduler(request: RecordedRequest, scope: Scope): Call[] {
  const url = new URL(request.path, 'http://local');
  const name = decodeURIComponent(url.pathname.split('/schedules/')[1] ?? '');
  const body = json(request);
  const group = (body.GroupName as string | undefined) ?? url.searchParams.get('groupName') ?? 'default';
  const action = SCHEDULER_ACTION[request.method] ?? request.method;
  const calls: Call[] = [
    {
      action: `scheduler:${action}`,
      resources: [arnIn(scope, 'scheduler', `schedule/${group}/${name}`)],
    },
  ];
  const roleArn = (body.Target as { RoleArn?: string } | undefined)?.RoleArn;
  if (roleArn !== undefined) calls.push({ action: 'iam:PassRole', resources: [roleArn] });
  return calls;
}

/**
 * A Secrets Manager call is authorised on the secret's ARN, which ends in a random six-character suffix
 * AWS adds to the name. A SecretId that is an ARN is that resource. A bare name does not say the suffix
 * (AWS finds it), so the call is recorded as `secret:<name>-??????`, the pattern AWS documents for granting
 * a secret by name: a policy with that pattern or a wider one allows it, a policy naming only the whole
 * ARN is reported — hand the function the ARN, as the stack does, to have that grant evaluated.
 */
function secretsManager(request: RecordedRequest, scope: Scope): Call[] {
  const body = json(request);
  const ids = [
    ...(typeof body.SecretId === 'string' ? [body.SecretId] : []),
    ...(Array.isArray(body.SecretIdList) ? body.SecretIdList.filter((id) => typeof id === 'string') : []),
  ] as string[];
  const arnOf = (id: string) =>
    id.startsWith('arn:') ? id : arnIn(scope, 'secretsmanager', `secret:${id}-??????`);
  return [
    {
      action: `secretsmanager:${targetOperation(request) ?? 'Unknown'}`,
      resources: ids.length === 0 ? ['*'] : ids.map(arnOf),
    },
  ];
}
