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
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { request } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { FauxqsServer } from 'fauxqs';
import { type SchedulerRecorder, startSchedulerRecorder } from './scheduler-recorder.ts';
import { type SmsRecorder, startSmsRecorder } from './sms-recorder.ts';

export type { RecordedSms, SmsFaultKind, SmsMessageAttribute, SmsRecorder } from './sms-recorder.ts';

export type LocalService = 'dynamodb' | 's3' | 'sqs' | 'ses' | 'sms' | 'scheduler';

export const ALL_LOCAL_SERVICES: readonly LocalService[] = [
  'dynamodb',
  's3',
  'sqs',
  'ses',
  'sms',
  'scheduler',
];

/** One email as the SES emulator stores it (`GET /store`). */
export interface SesStoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  headers?: { name: string; value: string }[];
  /** Epoch seconds, as the emulator records it. */
  at: number;
}

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
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOCAL_DIR = join(REPO_ROOT, '.local');
/** The account id fauxqs puts in queue URLs and ARNs. */
const SQS_ACCOUNT_ID = '000000000000';
const DYNAMODB_LOCAL_DIR = join(LOCAL_DIR, 'dynamodb-local');
const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
/** Java start-up on a busy two-core machine is slow; this only bounds a hung start. */
const DYNAMODB_READY_TIMEOUT_MS = 90_000;

/** What `GetAccount` returns from the SES emulator (it reads AWS_SES_ACCOUNT at request time). */
const SES_ACCOUNT = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'keybill local stack',
    WebsiteURL: 'http://127.0.0.1/',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
};

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
    services.has('s3') || services.has('sqs') ? timed('fauxqs', () => startFauxqsServer(log)) : undefined;
  const ses = services.has('ses') ? timed('ses', () => startSesEmulator()) : undefined;
  const sms = services.has('sms') ? timed('sms', () => startSmsRecorder()) : undefined;
  const scheduler = services.has('scheduler')
    ? timed('scheduler', () => startSchedulerRecorder())
    : undefined;

  const results = await Promise.allSettled([dynamodb, fauxqs, ses, sms, scheduler]);
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

// ---------------------------------------------------------------------------------------------------
// fauxqs (S3 + SQS)

async function startFauxqsServer(log: (line: string) => void): Promise<Running & { server: FauxqsServer }> {
  const { startFauxqs, interceptLocalhostDns } = await import('fauxqs');
  if (!(await makeQueueUrlsFollowTheEndpoint())) {
    log(
      '[fauxqs] could not make queue URLs follow the endpoint; resolving *.localhost to 127.0.0.1 in-process',
    );
    interceptLocalhostDns();
  }
  // fauxqs listens on 0.0.0.0 whatever `host` says; `host` only names queue URLs, so it is left out.
  const server = await startFauxqs({ port: 0, logger: false, defaultRegion: REGION });
  let stopped: Promise<void> | undefined;
  return {
    server,
    stop() {
      stopped ??= server.stop();
      return stopped;
    },
  };
}

let queueUrlsPatched: Promise<boolean> | undefined;

/**
 * fauxqs names queues `http://sqs.<region>.localhost:<port>/…`. An SQS client configured by environment
 * sends each call to the origin of its QueueUrl, and `*.localhost` does not resolve here, so a handler
 * handed a queue URL would fail. Queue URLs on the endpoint itself
 * (`http://127.0.0.1:<port>/000000000000/<name>`, built from the request's Host) work from any process.
 * fauxqs 2.4.1 has no option for that (an empty host falls back to `localhost`), so its store's URL builder
 * is replaced; the integration test pins the resulting URL form.
 */
function makeQueueUrlsFollowTheEndpoint(): Promise<boolean> {
  queueUrlsPatched ??= (async () => {
    try {
      const storeModule = pathToFileURL(
        join(REPO_ROOT, 'node_modules', 'fauxqs', 'dist', 'sqs', 'sqsStore.js'),
      );
      const { SqsStore } = (await import(storeModule.href)) as {
        SqsStore?: { prototype: { buildQueueUrl?: (...args: string[]) => string } };
      };
      if (typeof SqsStore?.prototype.buildQueueUrl !== 'function') return false;
      SqsStore.prototype.buildQueueUrl = (queueName: string, _port: string, requestHost: string) =>
        `http://${requestHost}/${SQS_ACCOUNT_ID}/${queueName}`;
      return true;
    } catch {
      return false;
    }
  })();
  return queueUrlsPatched;
}

// ---------------------------------------------------------------------------------------------------
// SES v2 emulator

type StartSes = (config?: Partial<{ host: string; port: number }>) => Promise<Server>;

interface SesEmulator extends Running {
  url: string;
  listEmails(): Promise<SesStoredEmail[]>;
  clear(): Promise<void>;
}

async function startSesEmulator(): Promise<SesEmulator> {
  const mod: unknown = await import('aws-ses-v2-local');
  const startSes = findDefaultFunction(mod) as StartSes | undefined;
  if (startSes === undefined) throw new Error('aws-ses-v2-local: could not find its default export');
  // The emulator (this process) answers GetAccount from this variable; clients never read it.
  process.env.AWS_SES_ACCOUNT ??= JSON.stringify(SES_ACCOUNT);
  const server = await startSes({ port: 0, host: '127.0.0.1' });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('aws-ses-v2-local: no TCP address');
  const url = `http://127.0.0.1:${address.port}`;

  const clear = async (): Promise<void> => {
    const res = await fetch(`${url}/clear-store`, { method: 'POST' });
    if (!res.ok) throw new Error(`SES emulator: clear-store answered ${res.status}`);
  };
  // Its mailbox is module state shared by every emulator in this process: start empty.
  await clear();

  let stopped: Promise<void> | undefined;
  return {
    url,
    clear,
    async listEmails() {
      const res = await fetch(`${url}/store`);
      if (!res.ok) throw new Error(`SES emulator: /store answered ${res.status}`);
      const store = (await res.json()) as { emails: SesStoredEmail[] };
      return store.emails;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** The package is CommonJS with `exports.default`; loaders differ on whether they unwrap it. */
function findDefaultFunction(mod: unknown): unknown {
  let candidate: unknown = mod;
  for (let depth = 0; depth < 3 && candidate !== null && candidate !== undefined; depth++) {
    if (typeof candidate === 'function') return candidate;
    candidate = (candidate as { default?: unknown }).default;
  }
  return typeof candidate === 'function' ? candidate : undefined;
}

// ---------------------------------------------------------------------------------------------------
// DynamoDB Local

interface DynamoDbLocal extends Running {
  url: string;
  pid: number;
}

/** Children to kill when this process exits, whatever stop() did or did not get to do. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

async function startDynamoDbLocal(log: (line: string) => void): Promise<DynamoDbLocal> {
  const java = await findJava();
  const dir = await ensureDynamoDbLocal(log);
  let lastError: unknown;
  // A port found free can be taken before Java binds it; try a fresh one.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await findFreePort();
    try {
      return await launchDynamoDbLocal(java, dir, port, log);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortInUseError)) throw error;
      log(`[dynamodb] port ${port} was taken, retrying`);
    }
  }
  throw lastError;
}

class PortInUseError extends Error {}

async function launchDynamoDbLocal(
  java: string,
  dir: string,
  port: number,
  log: (line: string) => void,
): Promise<DynamoDbLocal> {
  const child = spawn(
    java,
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  trackChild(child);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null && spawnError === undefined;

  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 50) output.shift();
      log(`[dynamodb] ${line}`);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid);

  const kill = async () => {
    if (isRunning()) child.kill('SIGKILL');
    await exited;
    // Only after Java is gone: the watchdog must never fire at a reused pid.
    watchdog?.kill('SIGKILL');
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + DYNAMODB_READY_TIMEOUT_MS;
  while (!(await answersListTables(port))) {
    if (!isRunning()) {
      await kill();
      const text = output.join('\n');
      if (spawnError !== undefined) throw new Error(`could not start ${java}: ${spawnError.message}`);
      if (/BindException|Address already in use/i.test(text)) throw new PortInUseError(`port ${port} in use`);
      throw new Error(`DynamoDB Local exited during start-up (code ${child.exitCode}):\n${text}`);
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(
        `DynamoDB Local did not answer within ${DYNAMODB_READY_TIMEOUT_MS} ms:\n${output.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    pid: child.pid ?? -1,
    stop() {
      stopped ??= kill();
      return stopped;
    },
  };
}

/**
 * A shell that blocks reading a pipe from this process. The pipe closes when this process dies, however
 * it dies (SIGKILL included, where no exit hook runs), and the shell then kills Java.
 */
function startWatchdog(pid: number): ChildProcess {
  const watchdog = spawn(
    '/bin/sh',
    ['-c', 'read line; kill -9 "$1" 2>/dev/null', 'keybill-java-watchdog', String(pid)],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  watchdog.on('error', () => {});
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  trackChild(watchdog);
  return watchdog;
}

/** A raw signed-looking ListTables call: DynamoDB Local wants an Authorization header, not a valid one. */
function answersListTables(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        timeout: 2_000,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: `AWS4-HMAC-SHA256 Credential=local/20250101/${REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end('{}');
  });
}

async function findJava(): Promise<string> {
  const candidates: string[] = [];
  if (process.env.JAVA_HOME) candidates.push(join(process.env.JAVA_HOME, 'bin', 'java'));
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir !== '') candidates.push(join(dir, 'java'));
  for (const candidate of candidates) {
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(
    'DynamoDB Local needs Java 17 or later and no `java` was found on PATH (or in JAVA_HOME). ' +
      'Install it, e.g. `apt-get install -y default-jre-headless`, or start the stack without "dynamodb".',
  );
}

let dynamoDbLocalReady: Promise<string> | undefined;

/** The jar folder, fetched once per checkout; concurrent processes race safely on the final rename. */
function ensureDynamoDbLocal(log: (line: string) => void): Promise<string> {
  dynamoDbLocalReady ??= fetchDynamoDbLocal(log).catch((error: unknown) => {
    dynamoDbLocalReady = undefined;
    throw error;
  });
  return dynamoDbLocalReady;
}

async function fetchDynamoDbLocal(log: (line: string) => void): Promise<string> {
  const jar = join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal.jar');
  if (await isFile(jar)) return DYNAMODB_LOCAL_DIR;
  await mkdir(LOCAL_DIR, { recursive: true });
  const work = await mkdtemp(join(LOCAL_DIR, 'dynamodb-local.download-'));
  const run = promisify(execFile);
  try {
    log(`[dynamodb] first use: fetching DynamoDB Local (npm pack ${DYNAMODB_LOCAL_PACKAGE}, ~56 MB)`);
    const t0 = Date.now();
    try {
      await run('npm', ['pack', DYNAMODB_LOCAL_PACKAGE, '--silent'], {
        cwd: work,
        timeout: 600_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      throw new Error(
        `could not fetch DynamoDB Local with \`npm pack ${DYNAMODB_LOCAL_PACKAGE}\` (is the npm registry reachable?): ${(error as Error).message}`,
      );
    }
    const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${DYNAMODB_LOCAL_PACKAGE} produced no tarball`);
    await run('tar', ['-xzf', join(work, tarball), '-C', work, 'package/emulator'], { timeout: 120_000 });
    const extracted = join(work, 'package', 'emulator');
    if (!(await isFile(join(extracted, 'DynamoDBLocal.jar')))) {
      throw new Error(`${DYNAMODB_LOCAL_PACKAGE} has no package/emulator/DynamoDBLocal.jar`);
    }
    try {
      await rename(extracted, DYNAMODB_LOCAL_DIR);
    } catch (error) {
      if (await isFile(jar)) return DYNAMODB_LOCAL_DIR; // another process finished first
      // Renames only ever publish complete folders, so one without the jar is debris: replace it.
      await rm(DYNAMODB_LOCAL_DIR, { recursive: true, force: true });
      try {
        await rename(extracted, DYNAMODB_LOCAL_DIR);
      } catch {
        if (!(await isFile(jar))) throw error;
      }
    }
    log(`[dynamodb] DynamoDB Local ready in ${DYNAMODB_LOCAL_DIR} (${Date.now() - t0} ms)`);
    return DYNAMODB_LOCAL_DIR;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
