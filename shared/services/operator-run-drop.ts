import { OperatorRefusal } from './operator/refusal.ts';
import { RUN_DROP_PREFIXES } from './operator-command-schema.ts';
import type {
  AccountStore,
  BillChunkQueue,
  DropObjectLookup,
  DropRef,
  PaymentStore,
  RunStore,
} from './ports/index.ts';
import { type RunDropDeps, runMeterReadDrop } from './run-meter-read-drop.ts';
import { runPaymentDrop } from './run-payment-drop.ts';

export { OperatorRefusal } from './operator/refusal.ts';

export interface OperatorDropDeps extends Omit<RunDropDeps, 'chunks' | 'runs' | 'accounts'> {
  runs: Pick<RunStore, 'claimRun' | 'finishRun' | 'startBilling'>;
  accounts: Pick<AccountStore, 'getAccount' | 'getAccounts'>;
  /** The stack's drop bucket (DROP_BUCKET): the only bucket run-drop reads. */
  dropBucket?: string | undefined;
  /** Whether the named drop is there, asked before anything is claimed or read. */
  dropObjects: DropObjectLookup;
  /** Needed by a meter-read drop (its accounts are billed by bill-chunk). */
  chunks?: BillChunkQueue | undefined;
  /** Needed by a payment drop. */
  payments?: Pick<PaymentStore, 'putPayment'> | undefined;
  /** Payments that clear arrears cancel warnings and plans at once, as ingest-drop does (where configured). */
  onPaymentsStored?: ((accountIds: string[], at: string) => Promise<unknown>) | undefined;
}

/**
 * `run-drop`: what ingest-drop does for an object created, for a drop named by an operator — only in the
 * stack's drop bucket, only under the feeds' prefixes (the schema checked the key's form), and only once
 * the object is found to be there.
 */
export async function runDropForOperator(ref: DropRef, deps: OperatorDropDeps) {
  await checkOperatorDrop(ref, deps);
  if (ref.key.startsWith(RUN_DROP_PREFIXES.payments)) {
    if (deps.payments === undefined) throw new Error('run-drop of a payment drop needs the payment store');
    return runPaymentDrop(ref, {
      ...deps,
      payments: deps.payments,
      ...(deps.onPaymentsStored === undefined ? {} : { onPaymentsStored: deps.onPaymentsStored }),
    });
  }
  if (deps.chunks === undefined) {
    throw new OperatorRefusal('run-drop needs the bill-chunk queue (BILL_CHUNK_QUEUE_URL)', 'not-configured');
  }
  return runMeterReadDrop(ref, { ...deps, chunks: deps.chunks });
}

/** run-drop reads only the stack's drop bucket, and only a drop that is there (asked before anything is read). */
export async function checkOperatorDrop(
  ref: DropRef,
  deps: Pick<OperatorDropDeps, 'dropBucket' | 'dropObjects'>,
): Promise<void> {
  if (deps.dropBucket === undefined) {
    throw new OperatorRefusal('run-drop needs the drop bucket (DROP_BUCKET)', 'not-configured');
  }
  if (ref.bucket !== deps.dropBucket) {
    throw new OperatorRefusal(
      `bucket ${ref.bucket} is not the drop bucket (${deps.dropBucket}): run-drop reads only the drop bucket`,
      'wrong-bucket',
    );
  }
  if (!(await deps.dropObjects.exists(ref))) {
    throw new OperatorRefusal(
      `no drop s3://${ref.bucket}/${ref.key} (no such object, or not one the operator may read)`,
      'no-such-drop',
    );
  }
}
