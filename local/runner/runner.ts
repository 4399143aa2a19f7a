import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { asFunction } from './aws-call-recorder.ts';
import { dynamoDbStreamEvent, sqsEvent } from './aws-events.ts';
import { invokeWithin, stackTimeoutSeconds } from './lambda-invocation.ts';

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;
type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined | unknown>;

/**
 * Plays the DynamoDB stream → Lambda event source mapping: reads every shard from where it last stopped,
 * applies the mapping's filter, and delivers batches to the handler. A batch whose records fail is
 * retried, as bisect-on-error would, until it succeeds or `maxAttempts` is reached.
 */
export class StreamPump {
  private readonly client = new DynamoDBStreamsClient({});
  private readonly iterators = new Map<string, string | undefined>();

  constructor(
    private readonly streamArn: string,
    private readonly handler: StreamHandler,
    private readonly options: {
      filter: (r: StreamRecord) => boolean;
      batchSize?: number;
      functionName: string;
      /** The function's timeout, enforced on each invocation; default: the stack's (infra/wiring-values.ts). */
      timeoutSeconds?: number;
    },
  ) {}

  /** Delivers everything written so far; returns the number of records delivered. */
  async drain(): Promise<number> {
    let delivered = 0;
    for (let idle = 0; idle < 2; ) {
      // The mapping reads the stream under the function's role: its calls are the function's.
      const records = await asFunction(this.options.functionName, () => this.poll());
      if (records.length === 0) {
        idle++;
        continue;
      }
      idle = 0;
      const matching = records.filter(this.options.filter);
      const size = this.options.batchSize ?? 100;
      for (let i = 0; i < matching.length; i += size) {
        await this.deliver(matching.slice(i, i + size));
        delivered += Math.min(size, matching.length - i);
      }
    }
    return delivered;
  }

  /**
   * Reads past everything written so far without delivering it: what a mapping created after those
   * writes (a migration's load) never sees. Returns the number of records passed over.
   */
  async skip(): Promise<number> {
    let skipped = 0;
    for (let idle = 0; idle < 2; ) {
      const records = await asFunction(this.options.functionName, () => this.poll());
      if (records.length === 0) idle++;
      else idle = 0;
      skipped += records.length;
    }
    return skipped;
  }

  private async deliver(batch: StreamRecord[]) {
    for (let attempt = 1; ; attempt++) {
      const { functionName } = this.options;
      const timeout = this.options.timeoutSeconds ?? stackTimeoutSeconds(functionName);
      const response = (await invokeWithin(functionName, timeout, (context) =>
        this.handler(dynamoDbStreamEvent(batch, this.streamArn), context),
      )) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
      const failed = response?.batchItemFailures ?? [];
      if (failed.length === 0) return;
      if (attempt >= 3)
        throw new Error(`stream batch still failing after ${attempt} attempts: ${failed.length} records`);
      // Like the real mapping, retry from the first failed record on.
      const first = batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed[0]?.itemIdentifier);
      batch = batch.slice(Math.max(0, first));
    }
  }

  private async poll(): Promise<StreamRecord[]> {
    const description = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    const records: StreamRecord[] = [];
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (!this.iterators.has(shardId)) {
        const out = await this.client.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        this.iterators.set(shardId, out.ShardIterator);
      }
      const iterator = this.iterators.get(shardId);
      if (iterator === undefined) continue; // a closed shard, read to its end
      const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      this.iterators.set(shardId, out.NextShardIterator);
      records.push(...(out.Records ?? []));
    }
    return records;
  }

  close(): void {
    this.client.destroy();
  }
}

/** One drain of a queue, as its lanes share it. */
interface Drain {
  deadline: number;
  /** Every lane started, settled (never rejected) when it stops; a lane starts others while it runs. */
  lanes: Promise<void>[];
  /** Lanes still working; the last one alone waits out the messages in flight. */
  working: number;
  /** What made lanes fail; the first one stops the others before their next batch. */
  failures: unknown[];
  /** Messages handled successfully, all lanes together. */
  handled: number;
  onBatch?: (count: number) => void;
}

/** How often a lane filling its batch within a batching window asks the queue again. */
const BATCHING_WINDOW_POLL_MS = 50;

/**
 * Plays the SQS → Lambda event source: receives batches, invokes the handler, deletes what succeeded.
 * Failed records are not deleted, so the queue itself re-delivers them after the visibility timeout and,
 * past maxReceiveCount, moves them to the dead-letter queue — the real behaviour, not a simulation.
 *
 * Up to `maximumConcurrency` invocations run at once, as the mapping's ScalingConfig lets Lambda run them:
 * each lane receives its own batch, invokes, and deletes what succeeded. Lanes scale with the queue as
 * Lambda's do: the drain starts one, a lane that receives messages starts another while the maximum is not
 * reached, and a lane that finds nothing to receive stops while another still works; the last one waits
 * out the messages in flight, so a failed one is received again. (Starting every lane at once would poll
 * an idle queue N times per drain, which the cost of a cycle would count as per-account requests.)
 *
 * With `prefetch`, a lane behaves like Lambda's pollers, which keep reading the queue while an invocation
 * runs: the next batch is received (really received: in flight, its visibility timeout running, its receive
 * count raised) during the current invocation, and handed over as soon as that returns, while the succeeded
 * records are deleted. Without it, each batch is received only after the previous one is deleted.
 *
 * The lanes invoke the one handler they are given: a process plays the function's concurrent instances
 * with one loaded module, so a handler must keep no per-invocation state at module level.
 */
export class QueuePump {
  private readonly client = new SQSClient({});

  constructor(
    private readonly queueUrl: string,
    private readonly queueArn: string,
    private readonly handler: QueueHandler,
    private readonly options: {
      batchSize?: number;
      functionName: string;
      /** Invocations at once, the mapping's maximum concurrency (default 1). */
      maximumConcurrency?: number;
      /**
       * How long a lane waits for a batch to fill once it has received part of one, the mapping's
       * MaximumBatchingWindowInSeconds in local milliseconds (default 0: the batch goes as received).
       */
      maximumBatchingWindowMs?: number;
      /** Fault injection: called per received message; true = deliver it to the handler twice. */
      duplicate?: (message: Message) => boolean;
      /** Receive the next batch while the handler runs, as Lambda's pollers do (default false). */
      prefetch?: boolean;
      /** The function's timeout, enforced on each invocation; default: the stack's (infra/wiring-values.ts). */
      timeoutSeconds?: number;
      /**
       * The mapping's ReportBatchItemFailures (default true): without it Lambda ignores the response's
       * batchItemFailures and deletes the whole batch of an invocation that returned.
       */
      reportBatchItemFailures?: boolean;
    },
  ) {
    const lanes = options.maximumConcurrency ?? 1;
    if (!Number.isInteger(lanes) || lanes < 1)
      throw new RangeError(`maximumConcurrency must be a positive integer, got ${lanes}`);
  }

  /**
   * Runs until the queue holds nothing, visible or in flight (a failed message waiting out its
   * visibility timeout still counts), or until `timeoutMs` passes. A lane that fails stops the others
   * before their next batch; the drain then fails with its error.
   */
  async drain(options: { timeoutMs?: number; onBatch?: (count: number) => void } = {}): Promise<number> {
    const drain: Drain = {
      deadline: Date.now() + (options.timeoutMs ?? 120_000),
      lanes: [],
      working: 0,
      failures: [],
      handled: 0,
      ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
    };
    this.startLane(drain);
    // A lane is listed before the lane that started it stops: waiting in order waits for every one.
    for (let i = 0; i < drain.lanes.length; i++) await drain.lanes[i];
    if (drain.failures.length > 0) throw drain.failures[0];
    return drain.handled;
  }

  private startLane(drain: Drain): void {
    drain.working++;
    drain.lanes.push(
      this.lane(drain).then(
        () => {},
        (error: unknown) => {
          drain.failures.push(error);
        },
      ),
    );
  }

  /** One of the mapping's concurrent invocations, batch after batch. */
  private async lane(drain: Drain): Promise<void> {
    let next: Promise<Message[]> | undefined;
    let deleting: Promise<void> = Promise.resolve();
    try {
      while (drain.failures.length === 0) {
        if (Date.now() > drain.deadline) throw new Error(`queue ${this.queueUrl} did not drain in time`);
        const messages = await (next ?? this.receiveBatch());
        next = undefined;
        if (messages.length === 0) {
          // Checked and counted down in one turn: of lanes finding nothing at once, one stays.
          if (drain.working > 1) {
            drain.working--;
            return;
          }
          // Nothing visible: done if nothing is in flight either; else wait for a visibility timeout to lapse.
          await deleting;
          if (await this.isEmpty()) return;
          await sleep(200);
          continue;
        }
        if (drain.working < (this.options.maximumConcurrency ?? 1)) this.startLane(drain);
        if (this.options.prefetch === true) {
          next = this.receiveBatch();
          // Awaited above on the next turn; not an unhandled rejection if the drain ends first.
          next.catch(() => {});
        }
        const succeeded = await this.invoke(messages);
        // With a prefetched batch waiting, the next invocation does not wait for the deletes either.
        const previous = deleting;
        deleting = this.delete(succeeded).then(() => previous);
        if (this.options.prefetch !== true) await deleting;
        // Awaited before the queue is found empty; not an unhandled rejection meanwhile.
        else deleting.catch(() => {});
        drain.handled += succeeded.length;
        drain.onBatch?.(succeeded.length);
      }
    } finally {
      // A batch received after the drain failed is left in flight: the queue re-delivers it after its
      // visibility timeout, as for any consumer that stops.
      await next?.catch(() => {});
      await deleting.catch(() => {});
    }
  }

  /** Invokes the handler with a batch as Lambda would; answers the messages that succeeded. */
  private async invoke(messages: readonly Message[]): Promise<Message[]> {
    const delivered = messages.flatMap((m) => (this.options.duplicate?.(m) === true ? [m, m] : [m]));
    // A thrown error (e.g. Powertools' FullBatchFailureError) or a timeout fails the whole batch, as in
    // Lambda.
    const { functionName } = this.options;
    const timeout = this.options.timeoutSeconds ?? stackTimeoutSeconds(functionName);
    const wholeBatch = {
      batchItemFailures: messages.map((m) => ({ itemIdentifier: m.MessageId ?? '' })),
    };
    const response = (await invokeWithin(functionName, timeout, (context) =>
      this.handler(sqsEvent(delivered, this.queueArn), context),
    ).then(
      (returned) => (this.options.reportBatchItemFailures === false ? undefined : returned),
      () => wholeBatch,
    )) as SQSBatchResponse | undefined;
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    return messages.filter((m) => !failed.has(m.MessageId ?? ''));
  }

  /**
   * A batch as the mapping gathers it: what one receive gives, and with a batching window, more receives
   * until the batch is full or the window has passed. A lane finding nothing at all does not wait.
   */
  private async receiveBatch(): Promise<Message[]> {
    const size = this.options.batchSize ?? 10;
    const batch = await this.receive(size);
    const windowEnds = Date.now() + (this.options.maximumBatchingWindowMs ?? 0);
    while (batch.length > 0 && batch.length < size && Date.now() < windowEnds) {
      await sleep(Math.min(BATCHING_WINDOW_POLL_MS, windowEnds - Date.now()));
      batch.push(...(await this.receive(size - batch.length)));
    }
    return batch;
  }

  // The event source polls, deletes and inspects the queue under the function's role: its calls are the
  // function's (receive, delete and isEmpty).
  private async receive(count: number): Promise<Message[]> {
    const out = await this.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: count,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    return out.Messages ?? [];
  }

  private async delete(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    await this.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }

  private async isEmpty(): Promise<boolean> {
    const out = await this.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    const a = out.Attributes ?? {};
    return (
      Number(a.ApproximateNumberOfMessages ?? 0) +
        Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(a.ApproximateNumberOfMessagesDelayed ?? 0) ===
      0
    );
  }

  private send: SQSClient['send'] = ((command: Parameters<SQSClient['send']>[0]) =>
    asFunction(this.options.functionName, () => this.client.send(command))) as SQSClient['send'];

  close(): void {
    this.client.destroy();
  }
}
