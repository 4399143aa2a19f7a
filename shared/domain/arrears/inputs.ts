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
    /**
     * The bills approved for disconnection: required when no plan exists yet (an approval in advance
     * covers a later plan of these bills only); with a plan, every bill of the plan must be among them.
     */
    billIds: z.array(z.string().min(1)).min(1).max(36).optional(),
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
    /**
     * The operator checked the published holidays: `newDate` is a working day. Needed for a day beyond
     * the official calendar's coverage, which cannot be checked; for a covered day the calendar decides.
     */
    confirmWorkingDay: z.boolean().optional(),
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
  z.object({
    command: z.literal('waive-penalty'),
    accountId: AccountId,
    /** The bills whose open penalty is written off; absent: every bill of the account. */
    billIds: z.array(z.string().min(1)).min(1).max(36).optional(),
    by: z.string().min(1),
    reason: z.string().min(1),
    at: Instant,
  }),
]);
export type ArrearsOperatorCommand = z.output<typeof ArrearsOperatorCommandSchema>;

const WhatIfBase = { accountId: AccountId, at: Instant };

/**
 * The what-if replay's events (`arrears-plan --events E.json`, `{ "events": [...] }`): what an operator
 * does, spelled as the operator commands are, and what the providers report about a notice's delivery.
 * A disconnection notice with no `delivery` event for its account and channel counts as delivered when
 * it is sent.
 */
export const WhatIfEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('approve-disconnection'),
    ...WhatIfBase,
    planId: z.string().min(1).optional(),
    billIds: z.array(z.string().min(1)).min(1).max(36).optional(),
    by: z.string().min(1).max(100),
    note: z.string().max(500).optional(),
  }),
  z.object({
    type: z.literal('defer-disconnection'),
    ...WhatIfBase,
    planId: z.string().min(1).optional(),
    newDate: IsoDate,
    /** As the operator command's: needed for a day beyond the official calendar's coverage. */
    confirmWorkingDay: z.boolean().optional(),
    by: z.string().min(1).max(100),
    reason: z.string().min(1).max(500),
  }),
  z.object({
    type: z.literal('exempt-disconnection'),
    ...WhatIfBase,
    planId: z.string().min(1).optional(),
    by: z.string().min(1).max(100),
    reason: z.string().min(1).max(500),
    until: IsoDate.optional(),
  }),
  z.object({
    type: z.literal('waive-penalty'),
    ...WhatIfBase,
    billIds: z.array(z.string().min(1)).min(1).max(36).optional(),
    by: z.string().min(1).max(100),
    reason: z.string().min(1).max(500),
  }),
  z.object({
    type: z.literal('delivery'),
    ...WhatIfBase,
    /** Only the disconnection notice's delivery decides its lead time. */
    kind: z.literal('disconnection-notice'),
    channel: z.enum(['email', 'sms']),
    /** delivered; bounced (never counts); none (no event on this channel: nothing is assumed). */
    outcome: z.enum(['delivered', 'bounced', 'none']),
  }),
]);
export type WhatIfEvent = z.output<typeof WhatIfEventSchema>;
export const WhatIfEventFileSchema = z.object({ events: z.array(WhatIfEventSchema).max(100_000) });

/** An operator's what-if event as the domain's command. */
export function commandOfWhatIfEvent(event: WhatIfEvent): ArrearsOperatorCommand | undefined {
  const { type, ...fields } = event;
  switch (type) {
    case 'approve-disconnection':
      return { ...(fields as Omit<Extract<WhatIfEvent, { type: typeof type }>, 'type'>), command: 'approve' };
    case 'defer-disconnection':
      return { ...(fields as Omit<Extract<WhatIfEvent, { type: typeof type }>, 'type'>), command: 'defer' };
    case 'exempt-disconnection':
      return { ...(fields as Omit<Extract<WhatIfEvent, { type: typeof type }>, 'type'>), command: 'exempt' };
    case 'waive-penalty':
      return {
        ...(fields as Omit<Extract<WhatIfEvent, { type: typeof type }>, 'type'>),
        command: 'waive-penalty',
      };
    case 'delivery':
      return undefined;
  }
}
