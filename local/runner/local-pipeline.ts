import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import type { BillDocument } from '#domain/bill.ts';
import type { Stores } from '#services/ports/index.ts';
import type { KeyAccountRunResult } from '#services/rank-key-accounts.ts';
import { type MeterReadDropResult, meterReadDropResultOf } from '#services/run-meter-read-drop.ts';
import {
  BATCH_SIZES,
  BUCKET_PREFIXES,
  CONFIGURATION_SET_NAME,
  MAX_CONCURRENCY,
  REMINDER_SCHEDULE_GROUP,
  TIME_ZONE_NAME,
} from '../../infra/wiring-values.ts';
import { type AnswerEndpoint, type AnswerHandler, startAnswerEndpoint } from '../answer-endpoint.ts';
import type { LocalStack } from '../stack.ts';
import { applyEnv } from '../stack.ts';
import { s3ObjectCreatedEvent } from './aws-events.ts';
import { invokeWithin, stackTimeoutSeconds } from './lambda-invocation.ts';
import {
  assertRouted,
  localVisibilitySeconds,
  passesFilters,
  pumpOptionsOf,
  type QueueSource,
  queueSource,
  streamSource,
  type TemplateWiring,
} from './pipeline-wiring.ts';
import { createBucket, createQueueWithDeadLetters, createTable } from './resources.ts';
import { QueuePump, StreamPump } from './runner.ts';
import { firingsAt, scheduledInput } from './schedule-firing.ts';

export type { TemplateWiring } from './pipeline-wiring.ts';

export const LOCAL_NAMES = {
  table: 'keybill-local',
  bucket: 'keybill-drops-local',
  queue: 'keybill-notices-local',
  billChunkQueue: 'keybill-bill-chunks-local',
  arrearsChunkQueue: 'keybill-arrears-chunks-local',
} as const;

/** The functions the stack's schedules invoke, which the pipeline can fire. */
const SCHEDULED_FUNCTIONS = ['keybill-arrears-scan', 'keybill-rank-accounts', 'keybill-operator'];

/** How long the runner waits for a queue of work chunks to drain: its own patience, not the stack's. */
const CHUNK_DRAIN_PATIENCE_MS = 600_000;

export interface LocalPipeline {
  env: Record<string, string>;
  /** The table's stores, as the handlers see them (for loading fixtures and checking outcomes). */
  stores: Stores;
  queues: { queueUrl: string; dlqUrl: string; queueArn: string };
  /** Puts a drop into the local bucket; returns what the EventBridge event will carry. */
  putDrop(
    key: string,
    body: string | Uint8Array,
    metadata?: Record<string, string>,
  ): Promise<{ size: number; etag: string }>;
  /**
   * Delivers S3 "Object Created" via EventBridge for the key to ingest-drop, as AWS would; for a
   * meter-read drop handed to billing, then plays the bill-chunk queue → bill-chunk until it is empty and
   * answers with the finished run (MeterReadDropResult). Payment drops answer PaymentDropResult.
   */
  deliverDrop(
    key: string,
    options?: {
      duplicateChunks?: (m: Message) => boolean;
      /** Leave the chunks on the queue (to bill them later with billChunks): answers ingest-drop's result. */
      leaveChunks?: boolean;
    },
  ): Promise<unknown>;
  /** The bill-chunk queue → bill-chunk until the queue is empty; returns the chunks handled. */
  billChunks(options?: { duplicate?: (m: Message) => boolean }): Promise<number>;
  /** The table stream → plan-notices; returns the number of new bills delivered. */
  planNotices(): Promise<number>;
  /**
   * Stores earlier periods' bills as billing stores them, as a migration before go-live would: the
   * stream → plan-notices mapping does not see them, so no preview is planned for the past.
   */
  loadBillHistory(bills: readonly BillDocument[]): Promise<void>;
  /** The notices queue → send-notice until the queue is empty (in-flight messages included). */
  sendNotices(options?: {
    onBatch?: (n: number) => void;
    duplicate?: (m: Message) => boolean;
  }): Promise<number>;
  /**
   * A schedule's invocation of arrears-scan (the daily scan, or a plan's final reminder); for the daily
   * scan, then plays the arrears-chunk queue → arrears-chunk until it is empty.
   */
  arrearsScan(input: unknown): Promise<unknown>;
  /** The monthly schedule's invocation of rank-accounts. */
  rankAccounts(input: { asOf: string; period?: string }): Promise<KeyAccountRunResult>;
  /**
   * A schedule of the template (by name) fires on a day of its time zone, as Scheduler would: its target
   * invoked at each instant its expression gives that day, with its input; answers each invocation's result.
   * With a template only: the schedules are the template's. Given an instant (`…T…Z`) rather than a day, the
   * one firing at that instant, which must be one the expression gives.
   */
  fireSchedule(scheduleName: string, dayOrInstant: string): Promise<unknown[]>;
  /** The public answer endpoint (the answers handler behind an HTTP API stand-in). */
  answers: AnswerEndpoint;
  close(): void;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers take each their own event type.
type AnyHandler = (event: any, context: Context) => Promise<unknown>;

/** Where the pipeline loads a function's handler from, by its folder under `functions/`. */
export type HandlerSource = (handlerName: string) => Promise<{ handler: AnyHandler }>;

/** The TypeScript sources, as the demo and the integration tests run them. */
export const handlersFromSources: HandlerSource = (name) => import(`../../functions/${name}/handler.ts`);

/**
 * Invokes a handler as Lambda would, the AWS calls it makes recorded as this function's, within its timeout
 * (the template's when given, else the stack's: infra/wiring-values.ts).
 */
export function invoke(
  handler: AnyHandler,
  event: unknown,
  functionName: string,
  timeoutSeconds = stackTimeoutSeconds(functionName),
): Promise<unknown> {
  return invokeWithin(functionName, timeoutSeconds, (context) => handler(event, context));
}

/**
 * Creates locally what the stack creates in AWS and loads the deployed handlers against it (from the
 * sources, or from the synthesized bundles with `handlers`). The runner plays EventBridge, the stream
 * mapping and the SQS event source with the real event shapes.
 */
export async function prepareLocalPipeline(
  stack: LocalStack,
  extraEnv: Record<string, string> = {},
  handlers: HandlerSource = handlersFromSources,
  /**
   * The template's wiring (the bundle tests): rule patterns, filters, batch sizes, visibility timeouts,
   * redrive counts, timeouts, environment. Without it, the values the stack is built from.
   */
  template?: TemplateWiring,
): Promise<LocalPipeline> {
  const timeoutOf = (functionName: string) =>
    template?.byFunction(functionName).timeoutSeconds ?? stackTimeoutSeconds(functionName);
  applyEnv(stack.env);
  // The answer endpoint first: the links the sender renders point at it (ANSWER_BASE_URL).
  const answerEndpoint = await startAnswerEndpoint(
    async () => (await handlers('answers')).handler as AnswerHandler,
    timeoutOf('keybill-answers'),
  );
  const { streamArn } = await createTable(LOCAL_NAMES.table);
  await createBucket(LOCAL_NAMES.bucket);
  const noticeSource = queueSource(template, 'keybill-send-notice', {
    batchSize: BATCH_SIZES['send-notice'],
    maximumConcurrency: MAX_CONCURRENCY['send-notice'],
  });
  const billChunkSource = queueSource(template, 'keybill-bill-chunk', {
    batchSize: BATCH_SIZES.chunk,
    maximumConcurrency: MAX_CONCURRENCY['bill-chunk'],
  });
  const arrearsChunkSource = queueSource(template, 'keybill-arrears-chunk', {
    batchSize: BATCH_SIZES.chunk,
    maximumConcurrency: MAX_CONCURRENCY['arrears-chunk'],
  });
  const localQueue = (name: string, source: QueueSource) =>
    createQueueWithDeadLetters(name, {
      visibilityTimeoutSeconds: localVisibilitySeconds(source.visibilityTimeoutSeconds),
      maxReceiveCount: source.maxReceiveCount,
    });
  const queues = await localQueue(LOCAL_NAMES.queue, noticeSource);
  const chunkQueues = await localQueue(LOCAL_NAMES.billChunkQueue, billChunkSource);
  const arrearsQueues = await localQueue(LOCAL_NAMES.arrearsChunkQueue, arrearsChunkSource);
  const env = {
    // What the template sets and the local stack has no value of its own for (constants, ARNs).
    ...template?.environment,
    // The local stack's own values (its secrets' ARNs among them) win over the template's.
    ...stack.env,
    TABLE_NAME: LOCAL_NAMES.table,
    DROP_BUCKET: LOCAL_NAMES.bucket,
    NOTICE_QUEUE_URL: queues.queueUrl,
    BILL_CHUNK_QUEUE_URL: chunkQueues.queueUrl,
    ARREARS_CHUNK_QUEUE_URL: arrearsQueues.queueUrl,
    SES_FROM_ADDRESS: 'billing@keybill-power.example.cn',
    SES_CONFIGURATION_SET: CONFIGURATION_SET_NAME,
    SMS_SENDER_ID: 'KEYBILL',
    POWERTOOLS_SERVICE_NAME: 'keybill-local',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    REPORT_BUCKET: LOCAL_NAMES.bucket,
    REPORT_PREFIX: BUCKET_PREFIXES.reports,
    REMINDER_SCHEDULE_GROUP,
    REMINDER_TARGET_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:keybill-arrears-scan',
    REMINDER_ROLE_ARN: 'arn:aws:iam::000000000000:role/keybill-reminders',
    TIME_ZONE: TIME_ZONE_NAME,
    // list-dead-letters and redrive, as the stack names its queues (infra/concerns/operator-console.ts).
    DEAD_LETTER_QUEUES: JSON.stringify([
      {
        name: 'Notifications/NoticeDeadLetters',
        url: queues.dlqUrl,
        redrivable: true,
        sourceUrl: queues.queueUrl,
      },
      {
        name: 'Chunks/DeadLetters',
        url: chunkQueues.dlqUrl,
        redrivable: true,
        sourceUrl: chunkQueues.queueUrl,
      },
      {
        name: 'ArrearsChunks/DeadLetters',
        url: arrearsQueues.dlqUrl,
        redrivable: true,
        sourceUrl: arrearsQueues.queueUrl,
      },
    ]),
    // Late and partial drops are mailed here (the SES emulator's inbox).
    OPERATIONS_EMAIL: 'ops@keybill-power.example.cn',
    // The integration tests replay drops of fixed 2026 periods whatever today's date: a local stack
    // accepts periods up to ten years old (the window's other bounds, and its unit tests, are unchanged).
    METER_READ_MAX_AGE_MONTHS: '120',
    ANSWER_BASE_URL: answerEndpoint.url,
    ...extraEnv,
  };
  applyEnv(env);

  // Handlers read their configuration when loaded, as in Lambda: import them after the environment is set.
  const ingestDrop = await handlers('ingest-drop');
  const planNotices = await handlers('plan-notices');
  const sendNotice = await handlers('send-notice');
  const billChunk = await handlers('bill-chunk');

  const s3 = new S3Client({});
  const { tableStores } = await import('#wiring/index.ts');
  const stores = tableStores();
  const planner = streamSource(template, 'keybill-plan-notices');
  const streamPump = new StreamPump(streamArn, planNotices.handler, {
    filter: passesFilters(planner.filters, streamArn),
    batchSize: planner.batchSize,
    timeoutSeconds: planner.timeoutSeconds,
    functionName: 'keybill-plan-notices',
  });
  const heads = new Map<string, { size: number; etag: string }>();
  const billChunks: LocalPipeline['billChunks'] = async (options = {}) => {
    return drainQueue(
      chunkQueues,
      billChunk.handler,
      {
        ...pumpOptionsOf(billChunkSource),
        ...(options.duplicate === undefined ? {} : { duplicate: options.duplicate }),
      },
      { timeoutMs: CHUNK_DRAIN_PATIENCE_MS },
    );
  };

  const pipeline: LocalPipeline = {
    env,
    stores,
    queues,
    async putDrop(key, body, metadata) {
      await s3.send(
        new PutObjectCommand({
          Bucket: LOCAL_NAMES.bucket,
          Key: key,
          Body: body,
          Metadata: metadata,
          ContentType: 'text/csv',
        }),
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }));
      const info = { size: head.ContentLength ?? 0, etag: (head.ETag ?? '').replaceAll('"', '') };
      heads.set(key, info);
      return info;
    },
    async deliverDrop(key, options = {}) {
      const head = heads.get(key);
      if (head === undefined) throw new Error(`${key} was not put through this pipeline`);
      const event = s3ObjectCreatedEvent({ bucket: LOCAL_NAMES.bucket, key, ...head });
      assertRouted(template?.byFunction('keybill-ingest-drop').rulePatterns, event, key);
      const read = (await invoke(
        ingestDrop.handler,
        event,
        'keybill-ingest-drop',
        timeoutOf('keybill-ingest-drop'),
      )) as MeterReadDropResult | undefined;
      if (read?.outcome !== 'billing' || options.leaveChunks === true) return read;
      await billChunks(options.duplicateChunks === undefined ? {} : { duplicate: options.duplicateChunks });
      const run = await stores.runs.getRun(read.runId);
      if (run === undefined) throw new Error(`run ${read.runId} vanished`);
      return meterReadDropResultOf(run);
    },
    billChunks,
    planNotices: () => streamPump.drain(),
    async loadBillHistory(bills) {
      const SAVED_AT_ONCE = 25;
      for (let i = 0; i < bills.length; i += SAVED_AT_ONCE) {
        await Promise.all(
          bills.slice(i, i + SAVED_AT_ONCE).map((bill) => stores.bills.saveBill(bill, 'bill-history')),
        );
      }
      await streamPump.skip();
    },
    async sendNotices(options = {}) {
      return drainQueue(
        queues,
        sendNotice.handler,
        {
          ...pumpOptionsOf(noticeSource),
          ...(options.duplicate === undefined ? {} : { duplicate: options.duplicate }),
        },
        options.onBatch === undefined ? {} : { onBatch: options.onBatch },
      );
    },
    async arrearsScan(input) {
      const arrears = await handlers('arrears-scan');
      const result = await invoke(
        arrears.handler,
        input,
        'keybill-arrears-scan',
        timeoutOf('keybill-arrears-scan'),
      );
      if ((input as { task?: string }).task !== 'daily-arrears-scan') return result;
      const arrearsChunk = await handlers('arrears-chunk');
      await drainQueue(arrearsQueues, arrearsChunk.handler, pumpOptionsOf(arrearsChunkSource), {
        timeoutMs: CHUNK_DRAIN_PATIENCE_MS,
      });
      return result;
    },
    async rankAccounts(input) {
      const rank = await handlers('rank-accounts');
      return (await invoke(
        rank.handler,
        input,
        'keybill-rank-accounts',
        timeoutOf('keybill-rank-accounts'),
      )) as KeyAccountRunResult;
    },
    async fireSchedule(scheduleName, dayOrInstant) {
      const found = SCHEDULED_FUNCTIONS.flatMap((functionName) =>
        (template?.byFunction(functionName).schedules ?? []).map((schedule) => ({ functionName, schedule })),
      ).find((s) => s.schedule.name === scheduleName);
      if (found === undefined) {
        throw new Error(
          template === undefined
            ? 'fireSchedule plays the schedules of a template: this pipeline runs without one'
            : `the template has no schedule ${scheduleName} invoking ${SCHEDULED_FUNCTIONS.join(', ')}`,
        );
      }
      const results: unknown[] = [];
      for (const at of firingsAt(found.schedule, dayOrInstant)) {
        const input = scheduledInput(found.schedule, at);
        if (found.functionName === 'keybill-arrears-scan') results.push(await pipeline.arrearsScan(input));
        else if (found.functionName === 'keybill-rank-accounts')
          results.push(await pipeline.rankAccounts(input as { asOf: string }));
        else {
          const operator = await handlers('operator');
          results.push(
            await invoke(operator.handler, input, 'keybill-operator', timeoutOf('keybill-operator')),
          );
        }
      }
      return results;
    },
    answers: answerEndpoint,
    close() {
      s3.destroy();
      streamPump.close();
      void answerEndpoint.stop();
    },
  };
  return pipeline;
}

/** Plays one queue's event source until the queue holds nothing, in flight included. */
async function drainQueue(
  queue: { queueUrl: string; queueArn: string },
  handler: ConstructorParameters<typeof QueuePump>[2],
  pumpOptions: ConstructorParameters<typeof QueuePump>[3],
  drainOptions: Parameters<QueuePump['drain']>[0] = {},
): Promise<number> {
  const pump = new QueuePump(queue.queueUrl, queue.queueArn, handler, pumpOptions);
  try {
    return await pump.drain(drainOptions);
  } finally {
    pump.close();
  }
}
