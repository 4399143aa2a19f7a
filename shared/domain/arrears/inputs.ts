import { z } from 'zod';
import { ExternalId } from '../payment.ts';
import { AccountId, IsoDate, NonNegativeDecimalString, Period } from '../primitives.ts';

/** The arrears ledger's key for a bill: one per account and period, whatever its version. */
export const billIdOf = (accountId: string, period: string): string => `${accountId}#${period}`;

/** What the arrears domain needs of a bill: the amount due is the bill total of its latest version. */
export const ArrearsBillSchema = z.object({
  accountId: AccountId,
  period: Period,
  total: NonNegativeDecimalString.refine((v) => !/\.\d{3,}$/.test(v), {
    message: 'at most 2 decimals (fen)',
  }),
  dueDate: IsoDate,
  version: z.number().int().min(1).default(1),
  /** From this day the bill can take unnamed payments and credit; absent: from the start. */
  issuedOn: IsoDate.optional(),
  /** The bill's id in the collection system, if it differs from `${accountId}#${period}`. */
  externalId: ExternalId.optional(),
});
export type ArrearsBill = z.output<typeof ArrearsBillSchema>;
export type ArrearsBillInput = z.input<typeof ArrearsBillSchema>;

export const ArrearsBillFileSchema = z.object({ bills: z.array(ArrearsBillSchema) });
export type ArrearsBillFile = z.output<typeof ArrearsBillFileSchema>;

const Instant = z.iso.datetime({ offset: true });

/** A manager's approval of a disconnection; without planId it approves the plan awaiting approval then. */
export const DisconnectionApprovalSchema = z.object({
  accountId: AccountId,
  planId: z.string().min(1).optional(),
  approvedBy: z.string().min(1),
  approvedAt: Instant,
  note: z.string().optional(),
});
export type DisconnectionApproval = z.output<typeof DisconnectionApprovalSchema>;

/** Operator commands on a disconnection plan. `at` is when the operator gave the command. */
export const ArrearsOperatorCommandSchema = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('approve'),
    accountId: AccountId,
    planId: z.string().min(1).optional(),
    by: z.string().min(1),
    at: Instant,
    note: z.string().optional(),
  }),
  z.object({
    command: z.literal('defer'),
    accountId: AccountId,
    planId: z.string().min(1).optional(),
    /** The new disconnection day; the time of day is the policy's preferred time. */
    newDate: IsoDate,
    by: z.string().min(1),
    reason: z.string().min(1),
    at: Instant,
  }),
  z.object({
    command: z.literal('exempt'),
    accountId: AccountId,
    planId: z.string().min(1).optional(),
    by: z.string().min(1),
    reason: z.string().min(1),
    /** Last day of the exemption; absent: the plan's bills are never disconnected for. */
    until: IsoDate.optional(),
    at: Instant,
  }),
]);
export type ArrearsOperatorCommand = z.output<typeof ArrearsOperatorCommandSchema>;
