import { Readable } from 'node:stream';
import type { BillHold, NewBillHold } from '#domain/bill-hold.ts';
import { billContentHash, type SaveBillResult } from '#domain/bill-version.ts';
import {
  type BillChunkTally,
  type BillingOutcomes,
  type BillingReject,
  type RunRecord,
  type StagedRead,
  startedBilling,
} from '#domain/run.ts';
import type { RunReport } from '#domain/run-report/model.ts';
import { type BillChunkDeps, billAccountChunk } from '../bill-account-chunk.ts';
import { RUN_DROP_PREFIXES } from '../operator-command-schema.ts';
import { checkOperatorDrop, type OperatorDropDeps } from '../operator-run-drop.ts';
import type {
  BillChunkMessage,
  BillHoldStore,
  BillStore,
  DropObjectStore,
  DropRef,
  MeterReadStore,
  RunStore,
  StagedReadStore,
} from '../ports/index.ts';
import { type RunDropDeps, runMeterReadDrop } from '../run-meter-read-drop.ts';
import { gatherRunReport, type RunReportDeps } from '../run-report.ts';
import { OperatorRefusal } from './refusal.ts';

/*
 * run-drop --dry-run: the drop read and billed by the very code a real run uses (runMeterReadDrop, then
 * billAccountChunk for each chunk), against stores that read through to the table and the bucket but keep
 * every write in memory: no run, staged read, bill, meter read or report is stored, no chunk is queued,
 * and with no new bill item in the table, the planner plans no notice. The answer is the run report.
 *
 * The dependencies are listed one by one, never spread from the real ones: a store that billing starts
 * to use later must get an in-memory stand-in here before a dry run can compile, instead of writing.
 */

export type DryRunDeps = Pick<RunDropDeps, 'accounts' | 'readWindow' | 'accountsPerChunk' | 'now'> &
  Pick<BillChunkDeps, 'tariffs'> & { meterReads: Pick<MeterReadStore, 'getMeterReads'> } & RunReportDeps & {
    bills: Pick<BillStore, 'getBillHistory' | 'getBill' | 'getLatestBill' | 'listBillsForPeriod'>;
    holds: Pick<BillHoldStore, 'getHold' | 'listHolds'>;
  };

/** `run-drop --dry-run`: the same checks as run-drop, for a meter-read drop; answers the run report. */
export async function dryRunDropForOperator(
  ref: DropRef,
  deps: DryRunDeps & Pick<OperatorDropDeps, 'dropBucket' | 'dropObjects'>,
): Promise<RunReport> {
  await checkOperatorDrop(ref, deps);
  if (!ref.key.startsWith(RUN_DROP_PREFIXES.meterReads)) {
    throw new OperatorRefusal('a dry run is for meter-read drops (drops/reads/) only', 'not-supported');
  }
  return dryRunMeterReadDrop(ref, deps);
}

export async function dryRunMeterReadDrop(ref: DropRef, deps: DryRunDeps): Promise<RunReport> {
  const runs = new MemoryRuns();
  const staging = new MemoryStaging();
  const objects = memoryWrites(deps.objects);
  const bills = new MemoryBills(deps.bills, deps.holds);
  const chunks: BillChunkMessage[] = [];
  const now = deps.now ?? (() => new Date());
  const read = await runMeterReadDrop(ref, {
    accounts: deps.accounts,
    runs,
    staging,
    objects,
    chunks: { enqueue: async (messages) => void chunks.push(...messages) },
    ...(deps.readWindow === undefined ? {} : { readWindow: deps.readWindow }),
    ...(deps.accountsPerChunk === undefined ? {} : { accountsPerChunk: deps.accountsPerChunk }),
    now,
  });
  for (const chunk of chunks) {
    await billAccountChunk(chunk, {
      runs,
      accounts: deps.accounts,
      tariffs: deps.tariffs,
      staging,
      bills,
      holds: bills,
      meterReads: {
        getMeterReads: deps.meterReads.getMeterReads.bind(deps.meterReads),
        putMeterReads: async () => {},
        deleteMeterReads: async () => {},
      },
      objects,
      now,
    });
  }
  const run = runs.get(read.runId)!;
  return gatherRunReport(
    run,
    { accounts: deps.accounts, bills: deps.bills, holds: deps.holds, notices: deps.notices, objects, now },
    { bills: bills.created(run.runId) },
  );
}

/** Objects read from the bucket unless written in this dry run; writes stay here. */
function memoryWrites(real: DropObjectStore): DropObjectStore {
  const written = new Map<string, string>();
  return {
    open: async (ref) => {
      const body = written.get(`${ref.bucket}/${ref.key}`);
      if (body === undefined) return real.open(ref);
      return { body: Readable.from([Buffer.from(body)]), etag: 'dry-run', size: Buffer.byteLength(body) };
    },
    put: async (ref, body) => void written.set(`${ref.bucket}/${ref.key}`, body),
  };
}

type RunsUsed = Pick<
  RunStore,
  | 'claimRun'
  | 'finishRun'
  | 'getRun'
  | 'startBilling'
  | 'recordBillChunk'
  | 'listBillingRejects'
  | 'listBillingOutcomes'
  | 'finishBilling'
>;

/** One run, in memory: always claimed (a dry run of a drop already run still shows what it would do). */
class MemoryRuns implements RunsUsed {
  private readonly runs = new Map<string, RunRecord>();
  private readonly rejects: BillingReject[] = [];
  private readonly outcomes: BillingOutcomes = { held: [], notBilled: [] };

  get(runId: string): RunRecord | undefined {
    return this.runs.get(runId);
  }
  async claimRun(run: RunRecord) {
    this.runs.set(run.runId, run);
    return { claimed: true };
  }
  async finishRun(run: RunRecord) {
    this.runs.set(run.runId, run);
  }
  async getRun(runId: string) {
    return this.runs.get(runId);
  }
  async startBilling(run: RunRecord, chunksTotal: number) {
    const billing = startedBilling(run.startedAt, chunksTotal);
    const started: RunRecord = { ...run, status: 'BILLING', billing };
    this.runs.set(run.runId, started);
    return started;
  }
  async recordBillChunk(
    runId: string,
    _attempt: string,
    _chunk: number,
    tally: BillChunkTally,
    rejects: readonly BillingReject[],
    outcomes?: BillingOutcomes,
  ) {
    const run = this.runs.get(runId)!;
    const billing = run.billing!;
    this.runs.set(runId, {
      ...run,
      billing: {
        ...billing,
        chunksDone: billing.chunksDone + 1,
        accountsBilled: billing.accountsBilled + tally.accountsBilled,
        billsCreated: billing.billsCreated + tally.billsCreated,
        billsUnchanged: billing.billsUnchanged + tally.billsUnchanged,
        continuityBreaks: billing.continuityBreaks + tally.continuityBreaks,
        rowsRejected: billing.rowsRejected + tally.rowsRejected,
        billsHeld: billing.billsHeld + tally.billsHeld,
        accountsNotBilled: billing.accountsNotBilled + tally.accountsNotBilled,
      },
    });
    this.rejects.push(...rejects);
    this.outcomes.held.push(...(outcomes?.held ?? []));
    this.outcomes.notBilled.push(...(outcomes?.notBilled ?? []));
    return 'recorded' as const;
  }
  async listBillingRejects() {
    return [...this.rejects].sort((a, b) => a.rowNumber - b.rowNumber);
  }
  async listBillingOutcomes() {
    return { held: [...this.outcomes.held], notBilled: [...this.outcomes.notBilled] };
  }
  async finishBilling(run: RunRecord) {
    this.runs.set(run.runId, run);
    return true;
  }
}

class MemoryStaging implements Pick<StagedReadStore, 'stageMeterReads' | 'getStagedMeterReads'> {
  private readonly staged = new Map<string, StagedRead[]>();
  async stageMeterReads(_runId: string, entries: readonly StagedRead[]) {
    for (const entry of entries) {
      const key = `${entry.row.accountId}|${entry.row.period}`;
      this.staged.set(key, [...(this.staged.get(key) ?? []), entry]);
    }
  }
  async getStagedMeterReads(_runId: string, accountId: string, period: string) {
    return this.staged.get(`${accountId}|${period}`) ?? [];
  }
}

/**
 * Bills compared with the stored latest version, as saveBill would, and kept here with their holds; the
 * holds of stored versions are read from the table, and superseding one is a write, so it is not done.
 */
class MemoryBills
  implements
    Pick<BillStore, 'getBillHistory' | 'getBill' | 'saveBill'>,
    Pick<BillHoldStore, 'getHold' | 'listHolds' | 'supersedeHold'>
{
  private readonly saved: { runId: string; accountId: string; version: number; total: string }[] = [];
  private readonly holds = new Map<string, BillHold>();
  constructor(
    private readonly real: DryRunDeps['bills'],
    private readonly realHolds: DryRunDeps['holds'],
  ) {}

  async getHold(accountId: string, period: string, version: number) {
    return (
      this.holds.get(`${accountId}|${period}|${version}`) ??
      this.realHolds.getHold(accountId, period, version)
    );
  }
  listHolds(accountId: string, period?: string) {
    return this.realHolds.listHolds(accountId, period);
  }
  async supersedeHold() {
    return true;
  }

  getBillHistory(accountId: string, beforePeriod: string, limit?: number) {
    return this.real.getBillHistory(accountId, beforePeriod, limit);
  }
  /** A stored version (the history's, of an earlier period): the dry run's own are not read back. */
  getBill(accountId: string, period: string, version: number) {
    return this.real.getBill(accountId, period, version);
  }
  async saveBill(
    bill: Parameters<BillStore['saveBill']>[0],
    runId: string,
    hold?: NewBillHold,
  ): Promise<SaveBillResult> {
    const latest = await this.real.getLatestBill(bill.accountId, bill.period);
    if (latest !== undefined && latest.contentHash === billContentHash(bill)) {
      return {
        outcome: 'unchanged',
        version: latest.version,
        ...(latest.runId === undefined ? {} : { runId: latest.runId }),
      };
    }
    const version = (latest?.version ?? 0) + 1;
    this.saved.push({ runId, accountId: bill.accountId, version, total: bill.total });
    if (hold !== undefined) {
      this.holds.set(`${bill.accountId}|${bill.period}|${version}`, {
        ...hold,
        accountId: bill.accountId,
        period: bill.period,
        version,
        status: 'HELD',
        heldAt: new Date().toISOString(),
        runId,
      });
    }
    return { outcome: 'created', version };
  }
  created(runId: string) {
    return this.saved
      .filter((b) => b.runId === runId)
      .map(({ accountId, version, total }) => ({ accountId, name: '', version, total }));
  }
}
