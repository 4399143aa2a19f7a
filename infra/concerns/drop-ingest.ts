import { Duration } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DataTable } from '../constructs/data-table.ts';
import { BUCKET_PREFIXES, type DropBucket } from '../constructs/drop-bucket.ts';
import { KeybillFunction, ONE_VCPU_MB } from '../constructs/keybill-function.ts';
import { grantSend } from '../constructs/queues.ts';
import { timeoutSecondsOf } from '../wiring-values.ts';
import type { ArrearsLadder } from './arrears-ladder.ts';

/**
 * One full vCPU and the 15-minute ceiling: reading and staging run at several million rows per run
 * (README "Scale"); billing is fanned out.
 */
export const WHOLE_DROP_SIZING = {
  memorySize: ONE_VCPU_MB,
  timeout: Duration.seconds(timeoutSecondsOf('ingest-drop')),
} as const;

export interface DropIngestProps {
  readonly table: DataTable;
  /** The bucket the drops arrive in; reject reports are written next to them. */
  readonly drops: DropBucket;
  /** A meter-read drop's accounts are billed chunk by chunk from this queue. */
  readonly billChunks: IQueue;
  /** A payment drop settles arrears at once: cleared arrears cancel warnings and reminder schedules. */
  readonly arrears: ArrearsLadder;
}

/**
 * Meter-read and payment drops: S3 reports each object created under `drops/reads/` or `drops/payments/`
 * to EventBridge, and a rule hands it to ingest-drop, which streams and validates the CSV, stores the
 * payments or stages the reads and queues their accounts for billing, and writes a reject report.
 */
export class DropIngest extends Construct {
  readonly ingestDrop: KeybillFunction;

  constructor(scope: Construct, id: string, props: DropIngestProps) {
    super(scope, id);
    // 'Default': CDK leaves this id out of logical IDs, so the function keeps those it was deployed with
    // before this construct wrapped it (see KeybillStack).
    this.ingestDrop = new KeybillFunction(this, 'Default', {
      handlerName: 'ingest-drop',
      description: 'Streams a dropped CSV, validates it, stores payments or stages reads for bill-chunk',
      ...WHOLE_DROP_SIZING,
      environment: { TABLE_NAME: props.table.tableName, BILL_CHUNK_QUEUE_URL: props.billChunks.queueUrl },
      asyncInvoke: {},
    });
    const fn = this.ingestDrop.function;
    props.table.grantItemAccess(this.ingestDrop);
    grantSend(props.billChunks, fn);
    props.drops.grantReadDrops(fn);
    props.drops.grantWriteRejects(fn);
    props.drops.onObjectCreated(
      'DropCreated',
      [BUCKET_PREFIXES.meterReads, BUCKET_PREFIXES.payments],
      this.ingestDrop.asRuleTarget(),
      'A meter-read or payment drop arrived: ingest it',
    );
    props.arrears.grantArrearsSteps(this.ingestDrop);
  }
}
