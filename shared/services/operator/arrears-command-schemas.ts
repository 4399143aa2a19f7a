import { z } from 'zod';
import { AccountId } from '#domain/primitives.ts';
import type { OperatorFields } from '../operator-command-schema.ts';

/* The schemas of the operators' arrears commands (handlers in ./arrears-commands.ts). */

/**
 * `{ command: 'waive-penalty', accountId, by, reason, billIds? }`: every bill's open penalty when none is
 * named. Built from the operator's bounded fields (a function, so that the schema module can call it
 * once they exist).
 */
export const waivePenaltyCommand = (fields: typeof OperatorFields) =>
  z
    .object({
      command: z.literal('waive-penalty'),
      accountId: AccountId,
      billIds: z.array(fields.Id).min(1).max(36).optional(),
      by: fields.Name,
      reason: fields.Text,
    })
    .strict();
export type WaivePenaltyCommand = z.infer<ReturnType<typeof waivePenaltyCommand>>;

/** `{ command: 'list-pending-approvals' }`: longest waiting first. */
export const ListPendingApprovalsCommand = z
  .object({ command: z.literal('list-pending-approvals') })
  .strict();
