import { ArrearsCommandError } from '#domain/arrears/index.ts';
import { applyOperatorArrearsCommand, listPendingApprovals } from '../arrears.ts';
import type { ArrearsDeps } from '../arrears-step.ts';
import { OperatorRefusal } from '../operator-run-drop.ts';
import type { WaivePenaltyCommand } from './arrears-command-schemas.ts';

/*
 * Operators' arrears commands (schemas in ./arrears-command-schemas.ts) beside the disconnection ones (billing-rules.md §8): waive an account's
 * late-payment penalty with a reason (recorded on the account's arrears state and in its audit trail;
 * the arrears then count as cleared when the charges are paid), and list the plans waiting for the
 * responsible manager's approval.
 */

const needArrears = (deps: { arrears?: ArrearsDeps | undefined }, command: string): ArrearsDeps => {
  if (deps.arrears === undefined) {
    throw new OperatorRefusal(
      `${command} needs the arrears configuration (REMINDER_SCHEDULE_GROUP and the REMINDER_* settings)`,
      'not-configured',
    );
  }
  return deps.arrears;
};

/** Writes off the open penalty at the command's instant; refused when there is none or the account is unknown. */
export async function waivePenalty(
  command: WaivePenaltyCommand,
  deps: { arrears?: ArrearsDeps | undefined; now?: (() => Date) | undefined },
) {
  const arrears = needArrears(deps, command.command);
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const { command: _, ...fields } = command;
  try {
    const applied = await applyOperatorArrearsCommand(
      command.accountId,
      { ...fields, command: 'waive-penalty', at },
      arrears,
    );
    if (applied === undefined) {
      throw new OperatorRefusal(`account ${command.accountId} does not exist`, 'no-such-account');
    }
    return applied;
  } catch (error) {
    if (error instanceof ArrearsCommandError) throw new OperatorRefusal(error.message, error.code);
    throw error;
  }
}

export const listPendingApprovalsForOperator = (deps: { arrears?: ArrearsDeps | undefined }) =>
  listPendingApprovals(needArrears(deps, 'list-pending-approvals'));
