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

/**
 * Plays the SQS → Lambda event source: receives batches, invokes the handler, deletes what succeeded.
 * Failed records are not deleted, so the queue itself re-delivers them after the visibility timeout and,
 * past maxReceiveCount, moves them to the dead-letter queue — the real behaviour, not a simulation.
 *
 * With `prefetch`, it behaves like Lambda's pollers, which keep reading the queue while an invocation runs:
 * the next batch is received (really received: in flight, its visibility timeout running, its receive count
 * raised) during the current invocation, and handed over as soon as that returns, while the succeeded
 * records are deleted. Without it, each batch is received only after the previous one is deleted.
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
  ) {}

  /**
   * Runs until the queue holds nothing, visible or in flight (a failed message waiting out its
   * visibility timeout still counts), or until `timeoutMs` passes.
   */
  async drain(options: { timeoutMs?: number; onBatch?: (count: number) => void } = {}): Promise<number> {
    let handled = 0;
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    let next: Promise<Message[]> | undefined;
    let deleting: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        if (Date.now() > deadline) throw new Error(`queue ${this.queueUrl} did not drain in time`);
        const messages = await (next ?? this.receive());
        next = undefined;
        if (messages.length === 0) {
          // Nothing visible: done if nothing is in flight either; else wait for a visibility timeout to lapse.
          await deleting;
          if (await this.isEmpty()) break;
          await sleep(200);
          continue;
        }
        if (this.options.prefetch === true) {
          next = this.receive();
          // Awaited above on the next turn; not an unhandled rejection if the drain ends first.
          next.catch(() => {});
        }
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
        const succeeded = messages.filter((m) => !failed.has(m.MessageId ?? ''));
        // With a prefetched batch waiting, the next invocation does not wait for the deletes either.
        const previous = deleting;
        deleting = this.delete(succeeded).then(() => previous);
        if (this.options.prefetch !== true) await deleting;
        // Awaited before the queue is found empty; not an unhandled rejection meanwhile.
        else deleting.catch(() => {});
        handled += succeeded.length;
        options.onBatch?.(succeeded.length);
      }
    } finally {
      // A batch received after the drain failed is left in flight: the queue re-delivers it after its
      // visibility timeout, as for any consumer that stops.
      await next?.catch(() => {});
    }
    return handled;
  }

  // The event source polls, deletes and inspects the queue under the function's role: its calls are the
  // function's (receive, delete and isEmpty).
  private async receive(): Promise<Message[]> {
    const out = await this.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: this.options.batchSize ?? 10,
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
