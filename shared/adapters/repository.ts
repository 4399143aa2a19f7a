import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Account } from '../domain/account.ts';
import type { BillDocument } from '../domain/bill.ts';
import type { MeterReadRow } from '../domain/meter-read.ts';
import type { NoticeChannel, NoticePlan, NoticeStatus } from '../domain/notices.ts';
import type { PaymentRow } from '../domain/payment.ts';
import type { Tariff } from '../domain/tariff.ts';
import { batchPutAll } from './batch-write.ts';
import { keys } from './table-keys.ts';

export interface StoredBill {
  accountId: string;
  period: string;
  version: number;
  contentHash: string;
  document: BillDocument;
  runId?: string;
  createdAt: string;
}

export interface RunRecord {
  runId: string;
  feed: 'meter-reads' | 'payments';
  bucket: string;
  key: string;
  etag?: string;
  period?: string;
  /**
   * RUNNING: the drop is being read. BILLING (meter reads): its rows are staged and account chunks are
   * being billed by bill-chunk. Then SUCCEEDED, REJECTED (a file-level problem) or FAILED.
   */
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  counts?: {
    rows: number;
    accepted: number;
    rejected: number;
    accountsBilled?: number;
    billsCreated?: number;
    billsUnchanged?: number;
    continuityBreaks?: number;
    paymentsCreated?: number;
    paymentsDuplicate?: number;
  };
  rejectReportKey?: string;
  /**
   * Length in bytes of the reject report as reading the drop left it; billing appends after it (a
   * finisher that runs twice rewrites the same report rather than appending twice).
   */
  readingRejectsBytes?: number;
  reason?: string;
  /** Meter-read runs: the billing fan-out's progress, while BILLING and after. */
  billing?: BillingProgress;
}

export const RUN_STATUSES = ['RUNNING', 'BILLING', 'SUCCEEDED', 'REJECTED', 'FAILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What one billing chunk adds to its run. */
export interface BillChunkTally {
  accountsBilled: number;
  billsCreated: number;
  billsUnchanged: number;
  continuityBreaks: number;
  /** Rows of accounts that could not be billed (they move from accepted to rejected). */
  rowsRejected: number;
}

export interface BillingProgress extends BillChunkTally {
  /** The claim this fan-out belongs to (the run's startedAt): chunks of an earlier attempt are ignored. */
  attempt: string;
  chunksTotal: number;
  chunksDone: number;
}

/** A valid row staged between reading a drop and billing its account. */
export interface StagedRead {
  rowNumber: number;
  row: MeterReadRow;
}

/** A row rejected while billing (its account is unknown, or the engine refused its reads). */
export interface BillingReject {
  rowNumber: number;
  column: string | null;
  reason: string;
  raw: string;
}

const BILLING_COUNTERS = [
  'accountsBilled',
  'billsCreated',
  'billsUnchanged',
  'continuityBreaks',
  'rowsRejected',
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

export interface StoredNotice extends NoticePlan {
  status: NoticeStatus;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  providerMessageId?: string;
  lastError?: string;
  timeline: { at: string; status: NoticeStatus; detail?: string }[];
}

export type SaveBillResult =
  | { outcome: 'created'; version: number }
  | { outcome: 'unchanged'; version: number; runId?: string };

/** A stable hash of a bill's content: a re-delivered drop recomputes the same bill and changes nothing. */
export const billContentHash = (bill: BillDocument): string =>
  createHash('sha256').update(JSON.stringify(bill)).digest('hex');

/** The project's only door to the table: every access pattern of the README's data model is a method here. */
export class KeybillRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async putAccounts(accounts: readonly Account[]): Promise<void> {
    const now = new Date().toISOString();
    await batchPutAll(
      this.client,
      this.tableName,
      accounts.map((account) => ({
        ...keys.account(account.accountId),
        ...keys.accountIndex(account.accountId),
        entity: 'ACCOUNT',
        account,
        updatedAt: now,
      })),
    );
  }

  async getAccounts(accountIds: readonly string[]): Promise<Map<string, Account>> {
    const found = new Map<string, Account>();
    const unique = [...new Set(accountIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tableName]: { Keys: unique.slice(i, i + 100).map((id) => keys.account(id)) },
      };
      for (let round = 0; request !== undefined && Object.keys(request).length > 0; round++) {
        if (round > 8) throw new Error('BatchGetItem left keys unprocessed after 8 rounds');
        const out = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const account = item.account as Account;
          found.set(account.accountId, account);
        }
        request = out.UnprocessedKeys as typeof request;
        if (request !== undefined && Object.keys(request).length > 0) {
          await new Promise((r) => setTimeout(r, Math.random() * 50 * 2 ** round));
        }
      }
    }
    return found;
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.account(accountId) }),
    );
    return out.Item?.account as Account | undefined;
  }

  async putTariffs(tariffs: readonly Tariff[]): Promise<void> {
    await batchPutAll(
      this.client,
      this.tableName,
      tariffs.map((tariff) => ({
        ...keys.tariff(tariff.tariffId, tariff.effectiveFrom),
        entity: 'TARIFF',
        tariff,
      })),
    );
  }

  /** Every version of the given tariffs. */
  async getTariffs(tariffIds: readonly string[]): Promise<Tariff[]> {
    const tariffs: Tariff[] = [];
    for (const tariffId of new Set(tariffIds)) {
      const pk = keys.tariff(tariffId, '').pk;
      for (const item of await this.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      })) {
        tariffs.push(item.tariff as Tariff);
      }
    }
    return tariffs;
  }

  async putMeterReads(rows: readonly MeterReadRow[], runId: string): Promise<void> {
    await batchPutAll(
      this.client,
      this.tableName,
      rows.map((row) => ({
        ...keys.meterRead(row.accountId, row.period, row.meterId, row.readType),
        entity: 'READ',
        runId,
        row,
      })),
    );
  }

  async getMeterReads(accountId: string, period: string): Promise<MeterReadRow[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.account(accountId).pk,
        ':prefix': keys.meterReadPrefix(period),
      },
    });
    return items.map((i) => i.row as MeterReadRow);
  }

  /** Stores a payment once: the collection system's payment id is its natural key. */
  async putPayment(payment: PaymentRow, runId: string): Promise<'created' | 'duplicate'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.payment(payment.accountId, payment.paymentId), entity: 'PAYMENT', runId, payment },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'duplicate';
      throw error;
    }
  }

  async listPayments(accountId: string): Promise<PaymentRow[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':prefix': 'PAYMENT#' },
    });
    return items.map((i) => i.payment as PaymentRow);
  }

  async getLatestBill(accountId: string, period: string): Promise<StoredBill | undefined> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':prefix': keys.billPrefix(period) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item === undefined ? undefined : toStoredBill(item);
  }

  async getBill(accountId: string, period: string, version: number): Promise<StoredBill | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.bill(accountId, period, version) }),
    );
    return out.Item === undefined ? undefined : toStoredBill(out.Item);
  }

  /** Earlier bills of an account (latest version of each period), newest first. */
  async getBillHistory(accountId: string, beforePeriod: string, limit = 24): Promise<StoredBill[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.account(accountId).pk,
        ':from': 'BILL#',
        ':to': keys.billPrefix(beforePeriod),
      },
      ScanIndexForward: false,
    });
    const latestByPeriod = new Map<string, StoredBill>();
    for (const item of items) {
      const bill = toStoredBill(item);
      if (bill.period < beforePeriod && !latestByPeriod.has(bill.period))
        latestByPeriod.set(bill.period, bill);
    }
    return [...latestByPeriod.values()].slice(0, limit);
  }

  /**
   * Stores a bill as a new version unless the latest version has the same content. Versions are kept,
   * never overwritten: a corrected drop supersedes, and the notices can say "corrected".
   */
  async saveBill(bill: BillDocument, runId: string): Promise<SaveBillResult> {
    const contentHash = billContentHash(bill);
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.getLatestBill(bill.accountId, bill.period);
      if (latest?.contentHash === contentHash) {
        return {
          outcome: 'unchanged',
          version: latest.version,
          ...(latest.runId === undefined ? {} : { runId: latest.runId }),
        };
      }
      const version = (latest?.version ?? 0) + 1;
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.bill(bill.accountId, bill.period, version),
              ...keys.billIndex(bill.accountId, bill.period, version),
              entity: 'BILL',
              accountId: bill.accountId,
              period: bill.period,
              version,
              contentHash,
              total: bill.total,
              dueDate: bill.dueDate,
              runId,
              createdAt: new Date().toISOString(),
              // A string, not a map: the document is read whole, and a string keeps decimals exact.
              document: JSON.stringify(bill),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { outcome: 'created', version };
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    throw new Error(
      `could not store a new version of bill ${bill.accountId} ${bill.period}: too much contention`,
    );
  }

  async listBillsForPeriod(period: string): Promise<StoredBill[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `BILLS#${period}` },
    });
    return items.map(toStoredBill);
  }

  /**
   * Claims a run for a drop's content. Returns false when a run for the same content already
   * succeeded, so a re-delivered drop has no further effect.
   */
  async claimRun(
    run: RunRecord,
    options: { staleAfterMs: number },
  ): Promise<{ claimed: boolean; existing?: RunRecord }> {
    const staleBefore = new Date(Date.now() - options.staleAfterMs).toISOString();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.runItem(run),
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
        }),
      );
      return { claimed: true };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const existing = await this.getRun(run.runId);
      return existing === undefined ? { claimed: false } : { claimed: false, existing };
    }
  }

  async finishRun(run: RunRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: this.runItem(run) }));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.run(runId), ConsistentRead: true }),
    );
    return out.Item === undefined ? undefined : toRunRecord(out.Item);
  }

  /** Hands a read drop to the billing fan-out: BILLING, with the number of chunks to wait for. */
  async startBilling(run: RunRecord, chunksTotal: number): Promise<RunRecord> {
    const billing: BillingProgress = {
      attempt: run.startedAt,
      chunksTotal,
      chunksDone: 0,
      accountsBilled: 0,
      billsCreated: 0,
      billsUnchanged: 0,
      continuityBreaks: 0,
      rowsRejected: 0,
    };
    const started: RunRecord = { ...run, status: 'BILLING', billing };
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...this.runItem(started), ...billing } }),
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
  ): Promise<'recorded' | 'already-recorded' | 'stale'> {
    const stored = rejectsThatFit(rejects);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.runChunk(runId, attempt, chunk),
                  entity: 'RUN_CHUNK',
                  chunk,
                  tally,
                  rejects: JSON.stringify(stored),
                  recordedAt: new Date().toISOString(),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
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
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.run(runId).pk, ':prefix': keys.runChunkPrefix(attempt) },
      ConsistentRead: true,
    });
    return items
      .flatMap((i) => JSON.parse(i.rejects as string) as BillingReject[])
      .sort((a, b) => a.rowNumber - b.rowNumber);
  }

  /** Ends a billing run; false when another chunk's finisher got there first. */
  async finishBilling(run: RunRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.runItem(run), ...run.billing },
          ConditionExpression: '#status = :billing AND attempt = :attempt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':billing': 'BILLING', ':attempt': run.billing?.attempt ?? '' },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Phase one of a meter-read drop: valid rows wait here, per account and period, for their bill. */
  async stageMeterReads(runId: string, entries: readonly StagedRead[], expiresAt: number): Promise<void> {
    await batchPutAll(
      this.client,
      this.tableName,
      entries.map(({ rowNumber, row }) => ({
        ...keys.stagedRead(runId, row.accountId, row.period, rowNumber),
        entity: 'STAGED_READ',
        rowNumber,
        row,
        expiresAt,
      })),
      { concurrency: 8 },
    );
  }

  async getStagedMeterReads(runId: string, accountId: string, period: string): Promise<StagedRead[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.stagedRead(runId, accountId, period, 0).pk },
    });
    return items.map((i) => ({ rowNumber: i.rowNumber as number, row: i.row as MeterReadRow }));
  }

  async listRunsByStatus(status: RunRecord['status']): Promise<RunRecord[]> {
    const items = await this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': `RUNSTATUS#${status}` },
      ScanIndexForward: false,
    });
    return items.map(toRunRecord);
  }

  async listRunsByPeriod(period: string): Promise<RunRecord[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `RUNS#${period}` },
      ScanIndexForward: false,
    });
    return items.map(toRunRecord);
  }

  private runItem(run: RunRecord) {
    return {
      ...keys.run(run.runId),
      ...keys.runIndex(run.period ?? 'unknown', run.status, run.startedAt),
      entity: 'RUN',
      status: run.status,
      startedAt: run.startedAt,
      run,
    };
  }

  /** Creates the notice unless it exists; returns the stored notice either way. */
  async createNotice(plan: NoticePlan): Promise<{ created: boolean; notice: StoredNotice }> {
    const now = new Date().toISOString();
    const notice: StoredNotice = {
      ...plan,
      status: 'QUEUED',
      createdAt: now,
      updatedAt: now,
      attempts: 0,
      timeline: [{ at: now, status: 'QUEUED' }],
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.notice(plan.accountId, plan.noticeId),
            ...keys.noticeStatusIndex('QUEUED', now),
            entity: 'NOTICE',
            ...notice,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, notice };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const existing = await this.getNotice(plan.accountId, plan.noticeId);
      if (existing === undefined) throw error;
      return { created: false, notice: existing };
    }
  }

  async getNotice(accountId: string, noticeId: string): Promise<StoredNotice | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.notice(accountId, noticeId),
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : stripKeys(out.Item);
  }

  async listNotices(accountId: string): Promise<StoredNotice[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':prefix': 'NOTICE#' },
    });
    return items.map((i) => stripKeys(i));
  }

  async listNoticesByStatus(status: NoticeStatus): Promise<StoredNotice[]> {
    const items = await this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': `NOTICESTATUS#${status}` },
    });
    return items.map((i) => stripKeys(i));
  }

  /**
   * Moves a notice from one of `from` to `to`, appending to its timeline. The condition makes the claim
   * before a send exclusive: of two deliveries of the same message, only one gets past it.
   */
  async transitionNotice(
    notice: Pick<StoredNotice, 'accountId' | 'noticeId'>,
    from: readonly NoticeStatus[],
    to: NoticeStatus,
    extra: { detail?: string; providerMessageId?: string; lastError?: string; countAttempt?: boolean } = {},
  ): Promise<boolean> {
    const now = new Date().toISOString();
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {
      ':to': to,
      ':now': now,
      ':entry': [{ at: now, status: to, ...(extra.detail === undefined ? {} : { detail: extra.detail }) }],
      ':gsi2pk': keys.noticeStatusIndex(to, now).gsi2pk,
    };
    const sets = [
      '#status = :to',
      'updatedAt = :now',
      'timeline = list_append(timeline, :entry)',
      'gsi2pk = :gsi2pk',
      'gsi2sk = :now',
    ];
    from.forEach((status, i) => {
      values[`:from${i}`] = status;
    });
    if (extra.providerMessageId !== undefined) {
      sets.push('providerMessageId = :pmid', 'gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk');
      values[':pmid'] = extra.providerMessageId;
      const index = keys.providerMessage(extra.providerMessageId);
      values[':gsi1pk'] = index.gsi1pk;
      values[':gsi1sk'] = index.gsi1sk;
    }
    if (extra.lastError !== undefined) {
      sets.push('lastError = :err');
      values[':err'] = extra.lastError;
    }
    if (extra.countAttempt === true) {
      sets.push('attempts = attempts + :one');
      values[':one'] = 1;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notice(notice.accountId, notice.noticeId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Every account (gsi1 `ACCOUNTS`), for the monthly ranking and the daily arrears scan. */
  async listAccounts(): Promise<Account[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'ACCOUNTS' },
    });
    return items.map((i) => i.account as Account);
  }

  /** Stores a key-account selection once; a retried run finds it there and changes nothing. */
  async putKeySelection(selection: { effectiveFrom: string }): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.keySelection(selection.effectiveFrom),
            entity: 'KEYSELECTION',
            selection: JSON.stringify(selection),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'exists';
      throw error;
    }
  }

  /** An operator's key-account override (key status, score correction, manager), kept with its reason. */
  async putKeyOverride(override: { accountId: string; kind: string; setOn: string }): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.keyOverride(override.accountId, override.kind, override.setOn),
          entity: 'KEYOVERRIDE',
          override,
        },
      }),
    );
  }

  async listKeyOverrides<T>(): Promise<T[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'KEYOVERRIDE' },
    });
    return items.map((i) => i.override as T);
  }

  /** The latest selection that took effect before `date` (YYYY-MM-DD). */
  async getKeySelectionBefore<T>(date: string): Promise<T | undefined> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :date',
        ExpressionAttributeValues: { ':pk': 'KEYSELECTION', ':date': date },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item === undefined ? undefined : (JSON.parse(item.selection as string) as T);
  }

  /** An account's arrears state and its version, for a conditional write-back. */
  async getArrearsState<T>(accountId: string): Promise<{ state: T; version: number } | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.arrearsState(accountId), ConsistentRead: true }),
    );
    return out.Item === undefined
      ? undefined
      : { state: JSON.parse(out.Item.state as string) as T, version: out.Item.version as number };
  }

  /** Writes the state only if nobody else did since it was read (version); false when someone did. */
  async putArrearsState(
    accountId: string,
    state: unknown,
    readVersion: number | undefined,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.arrearsState(accountId),
            entity: 'ARREARS',
            version: (readVersion ?? 0) + 1,
            state: JSON.stringify(state),
          },
          ConditionExpression: readVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(readVersion === undefined ? {} : { ExpressionAttributeValues: { ':v': readVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Appends audit events (the dispute trail): idempotent by their natural ids. */
  async putArrearsEvents(
    accountId: string,
    events: readonly { at: string; type: string; [k: string]: unknown }[],
  ): Promise<void> {
    await batchPutAll(
      this.client,
      this.tableName,
      events.map((event, i) => ({
        ...keys.arrearsEvent(accountId, event.at, `${event.type}#${i}`),
        entity: 'ARREARSEVENT',
        event: JSON.stringify(event),
      })),
    );
  }

  /** Records that an address must not be sent to again (hard bounce, complaint, opt-out). */
  async suppressRecipient(channel: NoticeChannel, recipient: string, reason: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.suppression(channel, recipient),
          entity: 'SUPPRESSION',
          channel,
          reason,
          at: new Date().toISOString(),
        },
      }),
    );
  }

  /** The reason an address is suppressed, or undefined. `recipient` is a recipientKey, never the address. */
  async suppressionOf(channel: NoticeChannel, recipient: string): Promise<string | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.suppression(channel, recipient) }),
    );
    return out.Item?.reason as string | undefined;
  }

  /**
   * The claim before a send: QUEUED (or SENDING under a lapsed claim) → SENDING in one conditional update
   * that returns the notice. Undefined when the notice is missing or someone else holds it.
   */
  async claimNotice(
    ref: Pick<StoredNotice, 'accountId' | 'noticeId'>,
    staleBefore: string,
  ): Promise<StoredNotice | undefined> {
    const now = new Date().toISOString();
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notice(ref.accountId, ref.noticeId),
          UpdateExpression:
            'SET #status = :sending, updatedAt = :now, timeline = list_append(timeline, :entry), gsi2pk = :gsi2pk, gsi2sk = :now, attempts = attempts + :one',
          ConditionExpression:
            'attribute_exists(pk) AND (#status = :queued OR (#status = :sending AND updatedAt < :stale))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'SENDING',
            ':queued': 'QUEUED',
            ':now': now,
            ':stale': staleBefore,
            ':entry': [{ at: now, status: 'SENDING' }],
            ':gsi2pk': keys.noticeStatusIndex('SENDING', now).gsi2pk,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes === undefined ? undefined : stripKeys(out.Attributes);
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async findNoticeByProviderMessageId(providerMessageId: string): Promise<StoredNotice | undefined> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.providerMessage(providerMessageId).gsi1pk },
    });
    return items[0] === undefined ? undefined : stripKeys(items[0]);
  }

  private async queryAll(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey }),
      );
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return items;
  }
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
    },
  };
}

function toStoredBill(item: Record<string, unknown>): StoredBill {
  return {
    accountId: item.accountId as string,
    period: item.period as string,
    version: item.version as number,
    contentHash: item.contentHash as string,
    document: JSON.parse(item.document as string) as BillDocument,
    runId: item.runId as string | undefined,
    createdAt: item.createdAt as string,
  };
}

function stripKeys(item: Record<string, unknown>): StoredNotice {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi2pk: _g2,
    gsi2sk: _g2s,
    entity: _e,
    ...rest
  } = item;
  return rest as unknown as StoredNotice;
}
