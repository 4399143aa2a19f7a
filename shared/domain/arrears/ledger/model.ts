import type { PaymentRow } from '../../payment.ts';
import type { PenaltyRates } from '../../penalty/index.ts';

/*
 * The arrears ledger's data: the bills of one account, every allocation of a payment as an entry with its
 * instant, the payments applied, and the findings about rows it could not take as they came.
 */

export type LedgerEntryKind =
  | 'settle'
  | 'to-credit'
  | 'credit-applied'
  | 'reversed-from-bill'
  | 'reversed-from-credit'
  /** A payment settling a bill's late-payment penalty. */
  | 'penalty-paid'
  /** A reversal taking back what a payment had paid of a penalty. */
  | 'reversed-from-penalty'
  /** An operator's waiver writing off a bill's open penalty. */
  | 'penalty-waived';

export interface LedgerEntry {
  kind: LedgerEntryKind;
  paymentId: string;
  /** The reversal row that caused a `reversed-*` entry. */
  reversalId?: string;
  /** The waiver of a `penalty-waived` entry. */
  waiverId?: string;
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

/** An operator's waiver of the open late-payment penalty (of the named bills, or of every bill). */
export interface PenaltyWaiver {
  waiverId: string;
  at: string;
  by: string;
  reason: string;
  billIds?: string[];
}

/**
 * How payments settle penalties (README "Arrears"): each open bill oldest first, its charges then its
 * penalty (`principal-first`) or its penalty then its charges (`penalty-first`); waivers write off what is
 * open at their instant. Without terms a ledger settles charges only.
 */
export interface PenaltyTerms {
  rates: PenaltyRates;
  order: 'principal-first' | 'penalty-first';
  waivers: readonly PenaltyWaiver[];
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
  /** Present when payments also settle penalties. */
  penalty?: PenaltyTerms;
}
