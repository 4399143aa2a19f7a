import { Duration } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DataTable } from '../constructs/data-table.ts';
import type { DropBucket } from '../constructs/drop-bucket.ts';
import { KeybillFunction } from '../constructs/keybill-function.ts';
import { ChunkQueue, type DeadLetterQueue } from '../constructs/queues.ts';
import { MAX_CONCURRENCY, timeoutSecondsOf } from '../wiring-values.ts';

export interface BillingFanOutProps {
  readonly table: DataTable;
  readonly drops: DropBucket;
  /**
   * Chunk billers at once: bounds the load on the table and on the stream → plan-notices path.
   * @default MAX_CONCURRENCY['bill-chunk'] (infra/wiring-values.ts)
   */
  readonly maxConcurrency?: number;
}

/**
 * Phase two of a meter-read drop. ingest-drop reads and stages the rows and puts the drop's accounts on
 * the bill-chunk queue in chunks; bill-chunk bills each chunk's accounts, and the chunk that completes
 * the run finishes it. The queue is what lets a month-end drop of a whole province be billed in minutes
 * by many instances, where one Lambda would run out of its 15 minutes.
 */
export class BillingFanOut extends Construct {
  readonly biller: KeybillFunction;
  /** ingest-drop and the operator's run-drop put a drop's accounts here, chunk by chunk. */
  readonly chunkQueue: Queue;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: BillingFanOutProps) {
    super(scope, id);
    const maxConcurrency = props.maxConcurrency ?? MAX_CONCURRENCY['bill-chunk'];

    this.biller = new KeybillFunction(this, 'BillChunk', {
      handlerName: 'bill-chunk',
      description: "Bills one chunk of a meter-read drop's accounts from their staged rows",
      timeout: Duration.seconds(timeoutSecondsOf('bill-chunk')),
      environment: { TABLE_NAME: props.table.tableName },
    });
    const chunks = new ChunkQueue(this, 'Chunks', {
      consumer: this.biller,
      maxConcurrency,
      // Staged rows live 14 days; a chunk must not outlive them.
      retentionPeriod: Duration.days(4),
      purpose: 'Bill-chunk queue: a chunk of accounts failed 5 receives; its drop run stays BILLING',
    });
    this.chunkQueue = chunks.queue;
    this.deadLetters = chunks.deadLetters;
    props.table.grantItemAccess(this.biller);
    // The chunk that finishes a run adds the rows billing refused to the drop's reject report.
    props.drops.grantReadRejects(this.biller.function);
    props.drops.grantWriteRejects(this.biller.function);
  }
}
