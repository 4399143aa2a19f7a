/*
 * How the stack's services hand work to its functions, and the names both sides use, as plain values
 * written once: the CDK constructs build the template from them (infra/concerns, infra/constructs), and
 * the local runner plays them when it runs without a template (the demo, the source-level integration
 * tests). With a template (the bundle tests) the runner reads the same values back from cdk.out instead
 * (local/runner/template-wiring.ts). No aws-cdk-lib here, so local/ imports this without loading the CDK.
 */

const WHOLE_DROP_SECONDS = 15 * 60;

/**
 * Lambda timeouts in seconds, by handler (folder under functions/); a handler not named here gets
 * DEFAULT_TIMEOUT_SECONDS.
 */
export const FUNCTION_TIMEOUT_SECONDS: Readonly<Record<string, number>> = {
  // Lambda's 15-minute ceiling: reading and staging a drop of several million rows (README "Scale");
  // the operator's run-drop does what ingest-drop does, so it gets the same room.
  'ingest-drop': WHOLE_DROP_SECONDS,
  operator: WHOLE_DROP_SECONDS,
  // A chunk of ~50 accounts takes seconds; the margin covers a throttled table's retries.
  'bill-chunk': 300,
  // Listing ~100,000 accounts and queueing their chunks takes seconds; the margin is for throttling.
  'arrears-scan': 300,
  // ~100 accounts of a few round trips each; the margin covers a throttled table's retries.
  'arrears-chunk': 300,
  'rank-accounts': 600,
  // A customer waits on the page.
  answers: 10,
  // The claim lease (2×) and the notice queue's visibility timeout (6×) derive from it (deliver-notice.ts).
  'send-notice': 30,
};
export const DEFAULT_TIMEOUT_SECONDS = 30;

export const timeoutSecondsOf = (handlerName: string): number =>
  FUNCTION_TIMEOUT_SECONDS[handlerName] ?? DEFAULT_TIMEOUT_SECONDS;

/**
 * A queue feeding a function keeps a received message invisible for this many of the function's timeouts
 * (AWS's rule for a Lambda source), so a message is not handed to a second instance while the first may
 * still be working on it.
 */
export const VISIBILITY_TIMEOUTS_PER_FUNCTION_TIMEOUT = 6;

/** A message received this many times without success goes to its queue's dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** Records per invocation, by the function an event source feeds. */
export const BATCH_SIZES = {
  /** Planned notices per send-notice invocation. */
  'send-notice': 10,
  /** One work chunk (bill-chunk, arrears-chunk) per invocation. */
  chunk: 1,
  /** Stream records per plan-notices invocation. */
  'plan-notices': 25,
} as const;

/**
 * Invocations at once per queue event source (the mapping's ScalingConfig.MaximumConcurrency), by the
 * function it feeds. The sender's is a default: the stack's context `senderMaxConcurrency` overrides it.
 */
export const MAX_CONCURRENCY = {
  /** With batches of 10, what paces sends to the SES/SNS quota (each instance paces to its share). */
  'send-notice': 2,
  /** Bounds the load on the table and on the stream → plan-notices path. */
  'bill-chunk': 20,
  'arrears-chunk': 10,
} as const;

/**
 * The table-stream → plan-notices filter, in Lambda's filter-criteria (EventBridge pattern) syntax: new
 * bill versions, customers' answers and follow-ups reach the planner; reads, runs and notices cost nothing.
 */
export const PLANNER_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: ['BILL', 'ANSWER', 'FOLLOWUP'] } } },
} as const;

/** Customers and operators live in China Standard Time; every schedule and local date uses it. */
export const TIME_ZONE_NAME = 'Asia/Shanghai';

/** The SES configuration set every preview is sent through (its events are recorded on the notices). */
export const CONFIGURATION_SET_NAME = 'keybill-previews';

/** The Scheduler group of the plans' one-time schedules (final reminders, delivery checks). */
export const REMINDER_SCHEDULE_GROUP = 'keybill-disconnection-reminders';

/** Where things live in the bucket; the upstream systems write under `drops/`, the product under the rest. */
export const BUCKET_PREFIXES = {
  meterReads: 'drops/reads/',
  payments: 'drops/payments/',
  drops: 'drops/',
  rejects: 'rejects/',
  reports: 'reports/',
} as const;
