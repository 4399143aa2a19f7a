import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BillChunkTally,
  type BillingOutcomes,
  type BillingReject,
  type RunRecord,
  type RunStatus,
  startedBilling,
} from '#domain/run.ts';
import type { RunStore } from '#services/ports/stores.ts';
import { keys, keysOfIndexes } from './keys.ts';
import type { DynamoTable } from './table.ts';

const BILLING_COUNTERS = [
  'accountsBilled',
  'billsCreated',
  'billsUnchanged',
  'continuityBreaks',
  'rowsRejected',
  'billsHeld',
  'accountsNotBilled',
] as const satisfies readonly (keyof BillChunkTally)[];

/** What a chunk marker may hold of its rejected rows: well inside DynamoDB's 400 KB item limit. */
const MAX_STORED_REJECTS_BYTES = 300_000;

/**
 * A chunk's rejected rows as stored: the raw text is cut shorter and shorter until they fit (the drop
 * itself keeps every row whole; row number, column and reason are never cut).
 */
export function rejectsThatFit(rejects: readonly BillingReject[]): BillingReject[] {
  for (const maxRaw of [1024, 256, 64, 0]) {
    const cut = rejects.map((r) => ({
      ...r,
      raw: r.raw.length > maxRaw ? `${r.raw.slice(0, maxRaw)}…` : r.raw,
    }));
    if (Buffer.byteLength(JSON.stringify(cut)) <= MAX_STORED_REJECTS_BYTES) return cut;
  }
  throw new Error(`${rejects.length} rejected rows do not fit in one chunk marker; use smaller chunks`);
}

/** What a chunk marker may hold of its held and not-billed accounts, beside its rejects. */
const MAX_STORED_OUTCOMES_BYTES = 80_000;
const MAX_OUTCOME_TEXT = [500, 200, 80];

/**
 * A chunk's held and not-billed accounts as stored: reasons are cut shorter until they fit (ids,
 * periods, versions and rules are never cut).
 */
export function outcomesThatFit(outcomes: BillingOutcomes): BillingOutcomes {
  const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
  let cut = outcomes;
  for (const max of MAX_OUTCOME_TEXT) {
    cut = {
      held: outcomes.held.map((h) => ({
        ...h,
        reasons: h.reasons.map((r) => ({ rule: r.rule, message: clip(r.message, max) })),
      })),
      notBilled: outcomes.notBilled.map((n) => ({ ...n, reason: clip(n.reason, max) })),
    };
    if (Buffer.byteLength(JSON.stringify(cut)) <= MAX_STORED_OUTCOMES_BYTES) return cut;
  }
  return cut;
}

/** Runs and their billing chunks: a drop's processing, claimed by its content. */
export class DynamoRunStore implements RunStore {
  constructor(private readonly table: DynamoTable) {}

  /**
   * Claims a run for a drop's content. Returns false when a run for the same content already
   * succeeded, so a re-delivered drop has no further effect.
   */
  async claimRun(
    run: RunRecord,
    options: { staleAfterMs: number },
  ): Promise<{ claimed: boolean; existing?: RunRecord }> {
    const staleBefore = new Date(Date.now() - options.staleAfterMs).toISOString();
    const claimed = await this.table.putIf({
      Item: runItem(run),
      // A run that failed, or that has been reading or billing for longer than it can take (its Lambda
      // crashed, or a chunk ended in the dead-letter queue), may be taken over and run again.
      ConditionExpression:
        'attribute_not_exists(pk) OR #status = :failed OR (#status IN (:running, :billing) AND startedAt < :stale)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':failed': 'FAILED',
        ':running': 'RUNNING',
        ':billing': 'BILLING',
        ':stale': staleBefore,
      },
    });
    if (claimed) return { claimed: true };
    const existing = await this.getRun(run.runId);
    return existing === undefined ? { claimed: false } : { claimed: false, existing };
  }

  async finishRun(run: RunRecord): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.name, Item: runItem(run) }));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: keys.run(runId), ConsistentRead: true }),
    );
    return out.Item === undefined ? undefined : toRunRecord(out.Item);
  }

  async listRunsByStatus(status: RunStatus): Promise<RunRecord[]> {
    const items = await this.table.queryIndex('gsi2', keysOfIndexes.runsWithStatus(status), {
      newestFirst: true,
    });
    return items.map(toRunRecord);
  }

  async listRunsByPeriod(period: string): Promise<RunRecord[]> {
    const items = await this.table.queryIndex('gsi1', keysOfIndexes.runsOfPeriod(period), {
      newestFirst: true,
    });
    return items.map(toRunRecord);
  }

  /** Hands a read drop to the billing fan-out: BILLING, with the number of chunks to wait for. */
  async startBilling(run: RunRecord, chunksTotal: number): Promise<RunRecord> {
    const billing = startedBilling(run.startedAt, chunksTotal);
    const started: RunRecord = { ...run, status: 'BILLING', billing };
    await this.table.client.send(
      new PutCommand({ TableName: this.table.name, Item: { ...runItem(started), ...billing } }),
    );
    return started;
  }

  /**
   * Adds a billed chunk to its run, once: the chunk's marker item and the run's counters are written in
   * one transaction, so a re-delivered chunk message changes nothing. 'stale' when the run is no
   * longer billing this attempt (it finished, or was taken over and fanned out again).
   */
  async recordBillChunk(
    runId: string,
    attempt: string,
    chunk: number,
    tally: BillChunkTally,
    rejects: readonly BillingReject[],
    outcomes: BillingOutcomes = { held: [], notBilled: [] },
  ): Promise<'recorded' | 'already-recorded' | 'stale'> {
    const marker = {
      ...keys.runChunk(runId, attempt, chunk),
      entity: 'RUN_CHUNK',
      chunk,
      tally,
      rejects: JSON.stringify(rejectsThatFit(rejects)),
      outcomes: JSON.stringify(outcomesThatFit(outcomes)),
      recordedAt: new Date().toISOString(),
    };
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table.name,
                Item: marker,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table.name,
                Key: keys.run(runId),
                UpdateExpression: `ADD chunksDone :one, ${BILLING_COUNTERS.map((c) => `${c} :${c}`).join(', ')}`,
                ConditionExpression: '#status = :billing AND attempt = :attempt',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':one': 1,
                  ':billing': 'BILLING',
                  ':attempt': attempt,
                  ...Object.fromEntries(BILLING_COUNTERS.map((c) => [`:${c}`, tally[c]])),
                },
              },
            },
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'already-recorded';
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'stale';
      throw error;
    }
  }

  /** The rows every chunk of an attempt rejected while billing, in row order. */
  async listBillingRejects(runId: string, attempt: string): Promise<BillingReject[]> {
    const items = await this.table.queryPrefix(keys.run(runId).pk, keys.runChunkPrefix(attempt), {
      consistent: true,
    });
    return items
      .flatMap((i) => JSON.parse(i.rejects as string) as BillingReject[])
      .sort((a, b) => a.rowNumber - b.rowNumber);
  }

  /** The accounts every chunk of an attempt held or could not bill, by account. */
  async listBillingOutcomes(runId: string, attempt: string): Promise<BillingOutcomes> {
    const items = await this.table.queryPrefix(keys.run(runId).pk, keys.runChunkPrefix(attempt), {
      consistent: true,
    });
    const chunks = items
      .filter((i) => typeof i.outcomes === 'string')
      .map((i) => JSON.parse(i.outcomes as string) as BillingOutcomes);
    const byAccount = <T extends { accountId: string; period: string }>(a: T, b: T) =>
      a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : a.period < b.period ? -1 : 1;
    return {
      held: chunks.flatMap((c) => c.held).sort(byAccount),
      notBilled: chunks.flatMap((c) => c.notBilled).sort(byAccount),
    };
  }

  /** Ends a billing run; false when another chunk's finisher got there first. */
  finishBilling(run: RunRecord): Promise<boolean> {
    return this.table.putIf({
      Item: { ...runItem(run), ...run.billing },
      ConditionExpression: '#status = :billing AND attempt = :attempt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':billing': 'BILLING', ':attempt': run.billing?.attempt ?? '' },
    });
  }
}

function runItem(run: RunRecord) {
  return {
    ...keys.run(run.runId),
    ...keys.runIndex(run.period ?? 'unknown', run.status, run.startedAt),
    entity: 'RUN',
    status: run.status,
    startedAt: run.startedAt,
    run,
  };
}

function toRunRecord(item: Record<string, unknown>): RunRecord {
  const run = item.run as RunRecord;
  if (typeof item.attempt !== 'string') return run;
  const count = (name: string) => Number(item[name] ?? 0);
  return {
    ...run,
    // The counters live beside the record, where chunks ADD to them.
    status: item.status as RunStatus,
    billing: {
      attempt: item.attempt,
      chunksTotal: count('chunksTotal'),
      chunksDone: count('chunksDone'),
      accountsBilled: count('accountsBilled'),
      billsCreated: count('billsCreated'),
      billsUnchanged: count('billsUnchanged'),
      continuityBreaks: count('continuityBreaks'),
      rowsRejected: count('rowsRejected'),
      billsHeld: count('billsHeld'),
      accountsNotBilled: count('accountsNotBilled'),
    },
  };
}
