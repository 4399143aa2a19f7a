/**
 * Local stack: the AWS services keybill's handlers use, on this machine, for the demo and integration
 * tests. Handlers are not told they are local; only the standard `AWS_ENDPOINT_URL_*` variables, dummy
 * credentials and a region point the AWS SDK here.
 *
 * ```ts
 * const stack = await startLocalStack({ services: ['dynamodb', 's3'], log: console.log });
 * applyEnv(stack.env);             // before any SDK client is constructed (clients read env then)
 * try { ... } finally { await stack.stop(); }
 * ```
 *
 * | service    | engine                                             | variables                                   |
 * |------------|----------------------------------------------------|---------------------------------------------|
 * | `dynamodb` | official DynamoDB Local jar (Java ≥ 17), in memory | AWS_ENDPOINT_URL_DYNAMODB, _DYNAMODB_STREAMS |
 * | `s3`,`sqs` | fauxqs, in process                                 | AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_SQS   |
 * | `ses`      | aws-ses-v2-local, in process                       | AWS_ENDPOINT_URL_SESV2 (and _SES for v1)    |
 * | `sms`      | ./sms-recorder.ts, in process (SNS Publish to phone) | AWS_ENDPOINT_URL_SNS                      |
 * | `scheduler` | ./scheduler-recorder.ts, in process (one-time schedules) | AWS_ENDPOINT_URL_SCHEDULER     |
 * | `secrets`  | ./secrets-manager.ts, in process (named secrets) | AWS_ENDPOINT_URL_SECRETS_MANAGER, + one ARN variable per secret |
 *
 * - Every endpoint is `http://127.0.0.1:<free port>`. An IP-literal endpoint makes the S3 client use
 *   path-style addressing by itself (its endpoint rules cannot put a bucket in front of an IP), so S3 code
 *   needs no `forcePathStyle` and no local switch; a `localhost` endpoint would break (bucket.localhost).
 * - The DynamoDB Local jar is never committed (its licence forbids redistribution): on first use it is
 *   fetched with `npm pack amplify-dynamodb-simulator@2.9.30` and its `package/emulator` folder is moved
 *   atomically into `.local/dynamodb-local/` (gitignored). Nothing is written outside `.local/`.
 * - fauxqs and DynamoDB Local accept connections on all interfaces (neither has a bind option); the SES
 *   emulator and the SMS recorder bind 127.0.0.1 only.
 * - Like any server, a started stack keeps the process alive until `stop()`. No `java` is left behind:
 *   `stop()` kills it and waits for it to exit, a process `exit` hook kills it (uncaught error,
 *   `process.exit`), and a tiny shell watchdog holding a pipe from this process kills it if this process
 *   dies any other way (Ctrl-C, SIGTERM, SIGKILL).
 * - The SES emulator keeps its mailbox in module state, one per process; `startLocalStack` empties it.
 *   It answers GetAccount from `process.env.AWS_SES_ACCOUNT`, which the stack sets unless already set.
 *   `sesInboxUrl` is its HTML inbox for a person; `ses.listEmails()` reads `GET /store`.
 * - Secrets: every secret of LOCAL_SECRETS is created with a fresh random value (as the CDK stack has
 *   Secrets Manager generate it), and its variable is given the secret's ARN, as the stack gives it to the
 *   functions; the value itself is in no variable. `secrets.rotate(name)` plays a rotation.
 */
import type { FauxqsServer } from 'fauxqs';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { startFauxqsServer } from './fauxqs-server.ts';
import { type SchedulerRecorder, startSchedulerRecorder } from './scheduler-recorder.ts';
import { type LocalSecretsManager, randomSecretValue, startLocalSecretsManager } from './secrets-manager.ts';
import { type SesStoredEmail, startSesEmulator } from './ses-emulator.ts';
import { type SmsRecorder, startSmsRecorder } from './sms-recorder.ts';

export type { LocalSecretsManager } from './secrets-manager.ts';
export type { SesStoredEmail } from './ses-emulator.ts';
export type { RecordedSms, SmsFaultKind, SmsMessageAttribute, SmsRecorder } from './sms-recorder.ts';

export type LocalService = 'dynamodb' | 's3' | 'sqs' | 'ses' | 'sms' | 'scheduler' | 'secrets';

/**
 * The named secrets the CDK stack creates, by the variable that gives functions each one's ARN. Each is
 * seeded with its own random value when the stack starts (the local stand-in names it by this name).
 */
export const LOCAL_SECRETS: Readonly<Record<string, string>> = {
  LINK_SIGNING_SECRET_ID: 'keybill-link-signing-key',
  RECIPIENT_KEY_SECRET_ID: 'keybill-recipient-key',
};

export const ALL_LOCAL_SERVICES: readonly LocalService[] = [
  'dynamodb',
  's3',
  'sqs',
  'ses',
  'sms',
  'scheduler',
  'secrets',
];

export interface LocalStack {
  /** Endpoint variables for the started services, plus region and dummy credentials. */
  env: Record<string, string>;
  /** Base URL of each started service. */
  endpoints: Partial<Record<LocalService, string>>;
  /** The SES emulator's HTML inbox (open in a browser). */
  sesInboxUrl?: string;
  ses?: { listEmails(): Promise<SesStoredEmail[]>; clear(): Promise<void> };
  sms?: SmsRecorder;
  /** One-time schedules created through EventBridge Scheduler's API. */
  scheduler?: SchedulerRecorder;
  /** Secrets Manager's stand-in, seeded with every secret of LOCAL_SECRETS (rotate one with `rotate`). */
  secrets?: LocalSecretsManager;
  /** The in-process S3/SQS emulator, for the local runner and tests (queue inspection, reset). */
  fauxqs?: FauxqsServer;
  /** Stops everything this stack started; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartLocalStackOptions {
  /** Defaults to all of them. */
  services?: LocalService[];
  log?: (line: string) => void;
}

const REGION = 'us-east-1';

interface Running {
  stop(): Promise<void>;
}

export async function startLocalStack(opts: StartLocalStackOptions = {}): Promise<LocalStack> {
  const services = new Set(opts.services ?? ALL_LOCAL_SERVICES);
  const log = opts.log ?? (() => {});
  const startedAt = Date.now();
  const running: Running[] = [];
  const timings: string[] = [];
  const timed = async <T extends Running>(name: string, start: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const service = await start();
    running.push(service);
    timings.push(`${name} ${Date.now() - t0} ms`);
    return service;
  };

  const dynamodb = services.has('dynamodb') ? timed('dynamodb', () => startDynamoDbLocal(log)) : undefined;
  const fauxqs =
    services.has('s3') || services.has('sqs')
      ? timed('fauxqs', () => startFauxqsServer(log, REGION))
      : undefined;
  const ses = services.has('ses') ? timed('ses', () => startSesEmulator()) : undefined;
  const sms = services.has('sms') ? timed('sms', () => startSmsRecorder()) : undefined;
  const scheduler = services.has('scheduler')
    ? timed('scheduler', () => startSchedulerRecorder())
    : undefined;

  const secrets = services.has('secrets')
    ? timed('secrets', () => startLocalSecretsManager({ region: REGION }))
    : undefined;

  const results = await Promise.allSettled([dynamodb, fauxqs, ses, sms, scheduler, secrets]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) {
    await Promise.allSettled(running.map((s) => s.stop()));
    throw failure.reason;
  }

  const env: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const endpoints: LocalStack['endpoints'] = {};
  const stack: Omit<LocalStack, 'stop'> = { env, endpoints };

  const dynamodbLocal = await dynamodb;
  if (dynamodbLocal !== undefined) {
    endpoints.dynamodb = dynamodbLocal.url;
    env.AWS_ENDPOINT_URL_DYNAMODB = dynamodbLocal.url;
    env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = dynamodbLocal.url;
  }
  const fauxqsServer = await fauxqs;
  if (fauxqsServer !== undefined) {
    const url = `http://127.0.0.1:${fauxqsServer.server.port}`;
    stack.fauxqs = fauxqsServer.server;
    if (services.has('s3')) {
      endpoints.s3 = url;
      env.AWS_ENDPOINT_URL_S3 = url;
    }
    if (services.has('sqs')) {
      endpoints.sqs = url;
      env.AWS_ENDPOINT_URL_SQS = url;
    }
  }
  const sesEmulator = await ses;
  if (sesEmulator !== undefined) {
    endpoints.ses = sesEmulator.url;
    env.AWS_ENDPOINT_URL_SESV2 = sesEmulator.url;
    env.AWS_ENDPOINT_URL_SES = sesEmulator.url;
    stack.sesInboxUrl = `${sesEmulator.url}/`;
    stack.ses = { listEmails: sesEmulator.listEmails, clear: sesEmulator.clear };
  }
  const smsRecorder = await sms;
  if (smsRecorder !== undefined) {
    endpoints.sms = smsRecorder.url;
    env.AWS_ENDPOINT_URL_SNS = smsRecorder.url;
    stack.sms = smsRecorder;
  }

  const schedulerRecorder = await scheduler;
  if (schedulerRecorder !== undefined) {
    env.AWS_ENDPOINT_URL_SCHEDULER = schedulerRecorder.url;
    stack.scheduler = schedulerRecorder;
  }

  const secretsManager = await secrets;
  if (secretsManager !== undefined) {
    endpoints.secrets = secretsManager.url;
    env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsManager.url;
    for (const [variable, name] of Object.entries(LOCAL_SECRETS)) {
      env[variable] = secretsManager.put(name, randomSecretValue());
    }
    stack.secrets = secretsManager;
  }

  log(`[stack] ready in ${Date.now() - startedAt} ms (${timings.join(', ')})`);
  for (const [service, url] of Object.entries(endpoints)) log(`[stack] ${service}: ${url}`);
  if (stack.sesInboxUrl !== undefined) log(`[stack] email inbox: ${stack.sesInboxUrl}`);

  let stopping: Promise<void> | undefined;
  return {
    ...stack,
    stop() {
      stopping ??= (async () => {
        const t0 = Date.now();
        const outcomes = await Promise.allSettled(running.map((s) => s.stop()));
        const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
        log(`[stack] stopped in ${Date.now() - t0} ms`);
        if (errors.length > 0) throw new AggregateError(errors, 'some local services did not stop cleanly');
      })();
      return stopping;
    },
  };
}

/** Copies variables into process.env; SDK clients read them when constructed, so call this first. */
export function applyEnv(env: Record<string, string>): void {
  Object.assign(process.env, env);
}
