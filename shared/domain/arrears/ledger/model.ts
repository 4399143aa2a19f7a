import type { PaymentRow } from '../../payment.ts';

/*
 * The arrears ledger's data: the bills of one account, every allocation of a payment as an entry with its
 * instant, the payments applied, and the findings about rows it could not take as they came.
 */

export type LedgerEntryKind =
  | 'settle'
  | 'to-credit'
  | 'credit-applied'
  | 'reversed-from-bill'
  | 'reversed-from-credit';

export interface LedgerEntry {
  kind: LedgerEntryKind;
  paymentId: string;
  /** The reversal row that caused a `reversed-*` entry. */
  reversalId?: string;
  /** The bill; absent for credit-only entries. */
  billId?: string;
  /** Always positive; the kind says which way it moves. */
  amount: string;
  at: string;
  atMs: number;
  /** Asia/Shanghai calendar day of `at`. */
  on: string;
}

export type LedgerFindingCode =
  | 'duplicate-payment'
  | 'conflicting-duplicate-payment'
  | 'unknown-bill'
  | 'unknown-reversed-payment'
  | 'reversal-of-reversal'
  | 'reversal-exceeds-payment'
  | 'conflicting-bill-version';

export interface LedgerFinding {
  code: LedgerFindingCode;
  accountId: string;
  paymentId?: string;
  billId?: string;
  message: string;
}

export interface LedgerBill {
  billId: string;
  accountId: string;
  period: string;
  version: number;
  /** The bill total of its latest version: the amount due. */
  amount: string;
  dueDate: string;
  issuedOn?: string;
  externalId?: string;
}

export interface AccountLedger {
  accountId: string;
  /** Oldest first (due date, then period). */
  bills: LedgerBill[];
  /** In the order they happened. */
  entries: LedgerEntry[];
  /** The payments the ledger applied, each id once, in the order they were made. */
  payments: PaymentRow[];
  findings: LedgerFinding[];
}
