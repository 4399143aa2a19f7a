import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import type { BillHold, BillHoldStatus, NewBillHold } from '#domain/bill-hold.ts';
import type { SaveBillResult, StoredBill } from '#domain/bill-version.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import type { NoticeChannel, NoticePlan, NoticeStatus, StoredNotice } from '#domain/notices.ts';
import type { PaymentRow } from '#domain/payment.ts';
import type {
  BillChunkTally,
  BillingOutcomes,
  BillingReject,
  RunRecord,
  RunStatus,
  StagedRead,
} from '#domain/run.ts';
import type { Tariff } from '#domain/tariff.ts';
import type { AnswerStore, BillReviewPort, FollowUpStore, SmsLinkStore } from './answers.ts';

/*
 * What the services need of the system of record, one store per entity. A service's deps name only the
 * methods it calls (`Pick<BillStore, 'getLatestBill'>`), so it can be read, and tested, against that
 * much. DynamoDB implements every store (shared/adapters/dynamodb/); the README's data model lists the
 * keys and access patterns behind each method.
 */

export interface AccountStore {
  putAccounts(accounts: readonly Account[]): Promise<void>;
  getAccount(accountId: string): Promise<Account | undefined>;
  getAccounts(accountIds: readonly string[]): Promise<Map<string, Account>>;
  /** Every account, for the monthly ranking and the daily arrears scan. */
  listAccounts(): Promise<Account[]>;
}

export interface TariffStore {
  putTariffs(tariffs: readonly Tariff[]): Promise<void>;
  /** Every version of the given tariffs. */
  getTariffs(tariffIds: readonly string[]): Promise<Tariff[]>;
}

export interface MeterReadStore {
  putMeterReads(rows: readonly MeterReadRow[], runId: string): Promise<void>;
  getMeterReads(accountId: string, period: string): Promise<MeterReadRow[]>;
  /** Deletes these reads (by account, period, meter and read type): reads a later drop superseded. */
  deleteMeterReads(rows: readonly MeterReadRow[]): Promise<void>;
}

export interface PaymentStore {
  /** Stores a payment once: the collection system's payment id is its natural key. */
  putPayment(payment: PaymentRow, runId: string): Promise<'created' | 'duplicate'>;
  listPayments(accountId: string): Promise<PaymentRow[]>;
}

export interface BillStore {
  /**
   * Stores a new version unless the latest version has the same content; a new version with a hold is
   * stored with its hold in one write, so nothing ever sees the version without it.
   */
  saveBill(bill: BillDocument, runId: string, hold?: NewBillHold): Promise<SaveBillResult>;
  getLatestBill(accountId: string, period: string): Promise<StoredBill | undefined>;
  getBill(accountId: string, period: string, version: number): Promise<StoredBill | undefined>;
  /** Earlier bills of an account (latest version of each period), newest first. */
  getBillHistory(accountId: string, beforePeriod: string, limit?: number): Promise<StoredBill[]>;
  listBillsForPeriod(period: string): Promise<StoredBill[]>;
}

/** Bill versions held for review (issue #12 item 3), beside the versions, never in their documents. */
export interface BillHoldStore {
  getHold(accountId: string, period: string, version: number): Promise<BillHold | undefined>;
  /** The holds of every version of an account's period (of every period without one), oldest first. */
  listHolds(accountId: string, period?: string): Promise<BillHold[]>;
  /** Holds in a status (HELD: waiting for an operator), optionally of one period, by period and account. */
  listHoldsByStatus(status: BillHoldStatus, period?: string): Promise<BillHold[]>;
  /** HELD → RELEASED with who, why and when; false when the hold was not HELD. */
  releaseHold(
    hold: Pick<BillHold, 'accountId' | 'period' | 'version'>,
    release: NonNullable<BillHold['release']>,
  ): Promise<boolean>;
  /** HELD → SUPERSEDED by a newer version; false when the hold was not HELD. */
  supersedeHold(hold: Pick<BillHold, 'accountId' | 'period' | 'version'>, by: number): Promise<boolean>;
}

export type ChunkRecordOutcome = 'recorded' | 'already-recorded' | 'stale';

export interface RunStore {
  /**
   * Claims a run for a drop's content; not claimed when a run for the same content already succeeded
   * or is still in progress (and not stale).
   */
  claimRun(
    run: RunRecord,
    options: { staleAfterMs: number },
  ): Promise<{ claimed: boolean; existing?: RunRecord }>;
  finishRun(run: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRunsByStatus(status: RunStatus): Promise<RunRecord[]>;
  listRunsByPeriod(period: string): Promise<RunRecord[]>;
  /** Hands a read drop to the billing fan-out: BILLING, with the number of chunks to wait for. */
  startBilling(run: RunRecord, chunksTotal: number): Promise<RunRecord>;
  /** Adds a billed chunk to its run once; 'stale' when the run no longer bills this attempt. */
  recordBillChunk(
    runId: string,
    attempt: string,
    chunk: number,
    tally: BillChunkTally,
    rejects: readonly BillingReject[],
    outcomes?: BillingOutcomes,
  ): Promise<ChunkRecordOutcome>;
  /** The rows every chunk of an attempt rejected while billing, in row order. */
  listBillingRejects(runId: string, attempt: string): Promise<BillingReject[]>;
  /** The accounts every chunk of an attempt held or could not bill (whole lists; the run record's are cut). */
  listBillingOutcomes(runId: string, attempt: string): Promise<BillingOutcomes>;
  /** Ends a billing run; false when another chunk's finisher got there first. */
  finishBilling(run: RunRecord): Promise<boolean>;
}

/** Phase one of a meter-read drop: valid rows wait here, per account and period, for their bill. */
export interface StagedReadStore {
  stageMeterReads(runId: string, entries: readonly StagedRead[], expiresAt: number): Promise<void>;
  getStagedMeterReads(runId: string, accountId: string, period: string): Promise<StagedRead[]>;
}

export interface NoticeTransitionExtra {
  detail?: string;
  providerMessageId?: string;
  lastError?: string;
  countAttempt?: boolean;
  /** Adds one to `uncertainResends`: this transition starts a send that may duplicate an earlier one. */
  countUncertainResend?: boolean;
}

export interface NoticeStore {
  /** Creates the notice unless it exists; returns the stored notice either way. */
  createNotice(plan: NoticePlan): Promise<{ created: boolean; notice: StoredNotice }>;
  getNotice(accountId: string, noticeId: string): Promise<StoredNotice | undefined>;
  /** The account's notices, or those whose id starts with `idPrefix`. */
  listNotices(accountId: string, idPrefix?: string): Promise<StoredNotice[]>;
  listNoticesByStatus(status: NoticeStatus): Promise<StoredNotice[]>;
  findNoticeByProviderMessageId(providerMessageId: string): Promise<StoredNotice | undefined>;
  /** Moves a notice from one of `from` to `to`; false when it was in none of them. */
  transitionNotice(
    notice: Pick<StoredNotice, 'accountId' | 'noticeId'>,
    from: readonly NoticeStatus[],
    to: NoticeStatus,
    extra?: NoticeTransitionExtra,
  ): Promise<boolean>;
  /**
   * The claim before a send: QUEUED (or SENDING under a lapsed claim) → SENDING. Undefined when the
   * notice is missing or someone else holds it.
   */
  claimNotice(
    ref: Pick<StoredNotice, 'accountId' | 'noticeId'>,
    staleBefore: string,
  ): Promise<StoredNotice | undefined>;
  /**
   * Records, just before the provider is called, that a call of this SENDING claim has started
   * (`providerCallPending`). False when the notice is no longer SENDING: the caller must not send.
   */
  markProviderCallStarted(ref: Pick<StoredNotice, 'accountId' | 'noticeId'>): Promise<boolean>;
}

/** Addresses that must not be sent to again (hard bounce, complaint, opt-out), by recipientKey. */
export interface SuppressionStore {
  suppressRecipient(channel: NoticeChannel, recipient: string, reason: string): Promise<void>;
  suppressionOf(channel: NoticeChannel, recipient: string): Promise<string | undefined>;
  /** Forgets a suppression (the key migration, once it is stored under the current key). */
  removeSuppression(channel: NoticeChannel, recipient: string): Promise<void>;
}

export interface KeyAccountStore {
  /** Stores a key-account selection once; a retried run finds it there and changes nothing. */
  putKeySelection(selection: { effectiveFrom: string }): Promise<'created' | 'exists'>;
  /** The latest selection that took effect before `date` (YYYY-MM-DD). */
  getKeySelectionBefore<T>(date: string): Promise<T | undefined>;
  putKeyOverride(override: { accountId: string; kind: string; setOn: string }): Promise<void>;
  listKeyOverrides<T>(): Promise<T[]>;
}

export interface ArrearsStore {
  /** An account's arrears state and its version, for a conditional write-back. */
  getArrearsState<T>(accountId: string): Promise<{ state: T; version: number } | undefined>;
  /**
   * Writes the state only if nobody else did since it was read (version); false when someone did. A
   * state with a plan awaiting approval is indexed by when it began waiting.
   */
  putArrearsState(
    accountId: string,
    state: unknown,
    readVersion: number | undefined,
    index?: { awaitingApprovalSince?: string },
  ): Promise<boolean>;
  /** Every state with a plan awaiting approval (operators' list-pending-approvals). */
  listAwaitingApproval<T>(): Promise<T[]>;
  /** Appends audit events (the dispute trail): idempotent by their natural ids. */
  putArrearsEvents(
    accountId: string,
    events: readonly { at: string; type: string; [k: string]: unknown }[],
  ): Promise<void>;
}

/** Every store, as the wiring builds them. */
export interface Stores {
  accounts: AccountStore;
  tariffs: TariffStore;
  meterReads: MeterReadStore;
  payments: PaymentStore;
  bills: BillStore;
  holds: BillHoldStore;
  runs: RunStore;
  staging: StagedReadStore;
  notices: NoticeStore;
  suppressions: SuppressionStore;
  keyAccounts: KeyAccountStore;
  arrearsStates: ArrearsStore;
  answers: AnswerStore;
  followUps: FollowUpStore;
  smsLinks: SmsLinkStore;
  billReviews: BillReviewPort;
}
