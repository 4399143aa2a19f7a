/**
 * Single-table design: every entity's keys in one place (README "Data model" documents the access
 * patterns each key serves). Keys never contain a phone number or email address.
 */

const PAYMENT_PREFIX = 'PAYMENT#';
const BILL_PREFIX = 'BILL#';
const HOLD_PREFIX = 'HOLD#';
const NOTICE_PREFIX = 'NOTICE#';
const KEY_SELECTION_PK = 'KEYSELECTION';
const KEY_OVERRIDE_PK = 'KEYOVERRIDE';
const ACCOUNTS_INDEX = 'ACCOUNTS';

/** The partition keys of the secondary indexes' access patterns (gsi1pk / gsi2pk values). */
export const keysOfIndexes = {
  allAccounts: ACCOUNTS_INDEX,
  billsOfPeriod: (period: string) => `BILLS#${period}`,
  runsOfPeriod: (period: string) => `RUNS#${period}`,
  runsWithStatus: (status: string) => `RUNSTATUS#${status}`,
  noticesWithStatus: (status: string) => `NOTICESTATUS#${status}`,
  billHoldsWithStatus: (status: string) => `BILLHOLDS#${status}`,
  arrearsAwaitingApproval: 'ARREARS#AWAITING-APPROVAL',
} as const;

export const versionKey = (version: number): string => `V#${String(version).padStart(4, '0')}`;

export const keys = {
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'PROFILE' }),
  accountIndex: (accountId: string) => ({ gsi1pk: ACCOUNTS_INDEX, gsi1sk: accountId }),
  tariff: (tariffId: string, effectiveFrom: string) => ({
    pk: `TARIFF#${tariffId}`,
    sk: `FROM#${effectiveFrom}`,
  }),
  meterRead: (accountId: string, period: string, meterId: string, readType: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `READ#${period}#${meterId}#${readType}`,
  }),
  meterReadPrefix: (period: string) => `READ#${period}#`,
  payment: (accountId: string, paymentId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `${PAYMENT_PREFIX}${paymentId}`,
  }),
  paymentPrefix: PAYMENT_PREFIX,
  billPrefix: (period: string) => `${BILL_PREFIX}${period}#`,
  /** Every bill of an account sorts after this and before `billPrefix(period)` of a later period. */
  billHistoryStart: BILL_PREFIX,
  bill: (accountId: string, period: string, version: number) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `BILL#${period}#${versionKey(version)}`,
  }),
  billIndex: (accountId: string, period: string, version: number) => ({
    gsi1pk: keysOfIndexes.billsOfPeriod(period),
    gsi1sk: `${accountId}#${versionKey(version)}`,
  }),
  /** A bill version's hold for review, beside the version (never in its document). */
  billHold: (accountId: string, period: string, version: number) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `${HOLD_PREFIX}${period}#${versionKey(version)}`,
  }),
  billHoldPrefix: (period: string) => `${HOLD_PREFIX}${period}#`,
  billHoldsPrefix: HOLD_PREFIX,
  billHoldIndex: (status: string, accountId: string, period: string, version: number) => ({
    gsi2pk: keysOfIndexes.billHoldsWithStatus(status),
    gsi2sk: `${period}#${accountId}#${versionKey(version)}`,
  }),
  run: (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' }),
  /** One billing chunk of a run's attempt, recorded once (its counts and the rows it rejected). */
  runChunk: (runId: string, attempt: string, chunk: number) => ({
    pk: `RUN#${runId}`,
    sk: `CHUNK#${attempt}#${String(chunk).padStart(6, '0')}`,
  }),
  runChunkPrefix: (attempt: string) => `CHUNK#${attempt}#`,
  /** A valid meter-read row waiting for its account's bill (expires on its own; see STAGED_READ_DAYS). */
  stagedRead: (runId: string, accountId: string, period: string, rowNumber: number) => ({
    pk: `STAGE#${runId}#${accountId}#${period}`,
    sk: `ROW#${String(rowNumber).padStart(9, '0')}`,
  }),
  runIndex: (period: string, status: string, startedAt: string) => ({
    gsi1pk: keysOfIndexes.runsOfPeriod(period),
    gsi1sk: startedAt,
    gsi2pk: keysOfIndexes.runsWithStatus(status),
    gsi2sk: startedAt,
  }),
  notice: (accountId: string, noticeId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `${NOTICE_PREFIX}${noticeId}`,
  }),
  noticePrefix: NOTICE_PREFIX,
  noticeStatusIndex: (status: string, updatedAt: string) => ({
    gsi2pk: keysOfIndexes.noticesWithStatus(status),
    gsi2sk: updatedAt,
  }),
  keySelection: (effectiveFrom: string) => ({ pk: KEY_SELECTION_PK, sk: effectiveFrom }),
  keySelectionPk: KEY_SELECTION_PK,
  keyOverride: (accountId: string, kind: string, setOn: string) => ({
    pk: KEY_OVERRIDE_PK,
    sk: `${accountId}#${kind}#${setOn}`,
  }),
  keyOverridePk: KEY_OVERRIDE_PK,
  arrearsState: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'ARREARS' }),
  /** An arrears state with a plan waiting for approval, in the order the plans began waiting. */
  arrearsAwaitingApprovalIndex: (since: string, accountId: string) => ({
    gsi2pk: 'ARREARS#AWAITING-APPROVAL',
    gsi2sk: `${since}#${accountId}`,
  }),
  arrearsEvent: (accountId: string, at: string, id: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `ARREARSEVENT#${at}#${id}`,
  }),
  suppression: (channel: string, recipientKey: string) => ({
    pk: `SUPPRESSION#${channel}#${recipientKey}`,
    sk: 'SUPPRESSION',
  }),
  // Answers, follow-ups and SMS links live in partitions of their own (ANSWER#, FOLLOWUP#, ANSWERLINK#),
  // so the public answers function can be allowed to write those leading keys and nothing else.
  answer: (accountId: string, answerId: string) => ({ pk: `ANSWER#${accountId}`, sk: answerId }),
  answersOfMonth: (month: string, at: string, accountId: string) => ({
    gsi1pk: `ANSWERS#${month}`,
    gsi1sk: `${at}#${accountId}`,
  }),
  followUp: (accountId: string, followUpId: string) => ({ pk: `FOLLOWUP#${accountId}`, sk: followUpId }),
  followUpIndexes: (status: string, dueAt: string, month: string, openedAt: string, accountId: string) => ({
    gsi1pk: `FOLLOWUPS#${month}`,
    gsi1sk: `${openedAt}#${accountId}`,
    gsi2pk: `FOLLOWUPSTATUS#${status}`,
    gsi2sk: dueAt,
  }),
  smsLink: (code: string) => ({ pk: `ANSWERLINK#${code}`, sk: 'ANSWERLINK' }),
  providerMessage: (providerMessageId: string) => ({ gsi1pk: `MSG#${providerMessageId}`, gsi1sk: 'NOTICE' }),
} as const;

export type TableKey = { pk: string; sk: string };
