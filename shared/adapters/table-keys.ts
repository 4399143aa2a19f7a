/**
 * Single-table design: every entity's keys in one place (README "Data model" documents the access
 * patterns each key serves). Keys never contain a phone number or email address.
 */

export const versionKey = (version: number): string => `V#${String(version).padStart(4, '0')}`;

export const keys = {
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'PROFILE' }),
  accountIndex: (accountId: string) => ({ gsi1pk: 'ACCOUNTS', gsi1sk: accountId }),
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
    sk: `PAYMENT#${paymentId}`,
  }),
  billPrefix: (period: string) => `BILL#${period}#`,
  bill: (accountId: string, period: string, version: number) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `BILL#${period}#${versionKey(version)}`,
  }),
  billIndex: (accountId: string, period: string, version: number) => ({
    gsi1pk: `BILLS#${period}`,
    gsi1sk: `${accountId}#${versionKey(version)}`,
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
    gsi1pk: `RUNS#${period}`,
    gsi1sk: startedAt,
    gsi2pk: `RUNSTATUS#${status}`,
    gsi2sk: startedAt,
  }),
  notice: (accountId: string, noticeId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: `NOTICE#${noticeId}` }),
  noticeStatusIndex: (status: string, updatedAt: string) => ({
    gsi2pk: `NOTICESTATUS#${status}`,
    gsi2sk: updatedAt,
  }),
  keySelection: (effectiveFrom: string) => ({ pk: 'KEYSELECTION', sk: effectiveFrom }),
  keyOverride: (accountId: string, kind: string, setOn: string) => ({
    pk: 'KEYOVERRIDE',
    sk: `${accountId}#${kind}#${setOn}`,
  }),
  arrearsState: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'ARREARS' }),
  arrearsEvent: (accountId: string, at: string, id: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `ARREARSEVENT#${at}#${id}`,
  }),
  suppression: (channel: string, recipientKey: string) => ({
    pk: `SUPPRESSION#${channel}#${recipientKey}`,
    sk: 'SUPPRESSION',
  }),
  providerMessage: (providerMessageId: string) => ({ gsi1pk: `MSG#${providerMessageId}`, gsi1sk: 'NOTICE' }),
} as const;

export type TableKey = { pk: string; sk: string };
