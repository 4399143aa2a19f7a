import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withSendOutcomeErrors, withTypedTransientErrors } from './aws-errors.ts';

/*
 * Clients are created once per process (Lambda execution environment), lazily so that a process that
 * never talks to a service never configures it. Endpoints come from the standard AWS_ENDPOINT_URL_*
 * variables, so the same code talks to AWS or to local emulators. Each is traced (its calls appear as
 * subsegments in X-Ray; a no-op where tracing is off) and throws TransientError for transient failures.
 */

// Every `once(…)` below is marked pure: a function bundle then keeps only the clients its handler reaches
// (esbuild cannot know that calling `once` does nothing until the client is asked for).
const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

// Made with the first client, not on import: a tracer reads its environment when constructed, and
// importing this module must not fix the configuration of a process that sets it up later (the local
// stack, tests). Its subsegments join the handler's segment like those of observability's tracer.
const tracer = /* @__PURE__ */ once(() => new Tracer());

const prepared = <C extends Parameters<typeof withTypedTransientErrors>[0]>(client: C): C =>
  tracer().captureAWSv3Client(withTypedTransientErrors(client));

export const documentClient = /* @__PURE__ */ once(() =>
  DynamoDBDocumentClient.from(prepared(new DynamoDBClient({ maxAttempts: 8 })), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

export const s3Client = /* @__PURE__ */ once(() =>
  // Path-style addressing is a configuration knob for S3-compatible endpoints, not a local switch.
  prepared(new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' })),
);

/*
 * The clients that send (SES SendEmail, SNS Publish) make exactly one attempt: an SDK retry after a lost
 * answer would send the message a second time, unseen. A clear refusal (throttling) is a TransientError
 * the queue retries; an answer lost after the request left is an AmbiguousSendError the sender settles by
 * the notice's kind (aws-errors.ts classifies them). A request still unanswered after SEND_TIMEOUT_MS is
 * given up as ambiguous, well inside the sender's function timeout, so a hung provider ends in a recorded
 * outcome instead of a killed invocation. The opt-out check is a read and keeps the SDK's retries.
 */
const SEND_TIMEOUT_MS = 10_000;
/** A sending client's options: one attempt, given up (an error, not the SDK's warning) after `timeoutMs`. */
export const sendingClientOptions = (timeoutMs = SEND_TIMEOUT_MS) =>
  ({
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeoutMs, throwOnRequestTimeout: true },
  }) as const;
const preparedSender = <C extends Parameters<typeof withSendOutcomeErrors>[0]>(client: C): C =>
  tracer().captureAWSv3Client(withSendOutcomeErrors(client));
export const sesSendClient = /* @__PURE__ */ once(() =>
  preparedSender(new SESv2Client(sendingClientOptions())),
);
export const snsSendClient = /* @__PURE__ */ once(() =>
  preparedSender(new SNSClient(sendingClientOptions())),
);
export const snsClient = /* @__PURE__ */ once(() => prepared(new SNSClient({})));
export const sqsClient = /* @__PURE__ */ once(() => prepared(new SQSClient({})));
export const schedulerClient = /* @__PURE__ */ once(() => prepared(new SchedulerClient({})));
export const secretsManagerClient = /* @__PURE__ */ once(() => prepared(new SecretsManagerClient({})));
