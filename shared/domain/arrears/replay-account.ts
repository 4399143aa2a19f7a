import type { Account } from '../account.ts';
import { shanghaiInstant } from '../calendar/index.ts';
import type { RecipientKeyOf } from '../recipient-key.ts';
import {
  ArrearsCommandError,
  applyArrearsCommand,
  checkNoticeDelivery,
  fireFinalReminder,
  reachDisconnectionTime,
  recordNoticeDelivery,
  recordPayments,
} from './disconnection/index.ts';
import type { ArrearsWarning } from './evidence.ts';
import { scanAccount } from './ladder.ts';
import type { AccountLedger } from './ledger/index.ts';
import type { ArrearsPolicy } from './policy.ts';
import type { ReplayResult } from './replay.ts';
import { byTime, nextDynamic, type ReplayWindow, type StaticEvent } from './replay-timeline.ts';
import {
  type AccountArrearsState,
  type ArrearsOutcome,
  type ArrearsSnapshot,
  emptyArrearsState,
} from './state.ts';

/*
 * One account through a replay's window (see ./replay.ts): each event handed to the domain as the deployed
 * system would (the scan, a payment, a schedule firing, an operator's command), its outcome collected
 * into the replay's result.
 */

const CONFIRMATION_KINDS = new Set(['disconnection-cancelled', 'supply-restoration', 'penalty-outstanding']);

/** Runs one account through the window, the plans' own instants interleaved with the fixed events. */
export function replayAccount(
  account: Account,
  ledger: AccountLedger,
  statics: readonly StaticEvent[],
  window: ReplayWindow,
  policy: ArrearsPolicy,
  result: ReplayResult,
  reportedChannels: ReadonlySet<string>,
  recipientKeyOf: RecipientKeyOf,
): AccountArrearsState {
  let state = emptyArrearsState(account.accountId);
  const snapshot = (): ArrearsSnapshot => ({ account, ledger, state, recipientKeyOf });
  const apply = (outcome: ArrearsOutcome) => {
    state = outcome.state;
    for (const w of outcome.warnings)
      (CONFIRMATION_KINDS.has(w.kind) ? result.confirmations : result.notices).push(w);
    result.cancellations.push(...outcome.cancellations);
    result.events.push(...outcome.events);
    assumeDelivered(outcome.warnings);
  };
  /** Without a delivery event for its channel, a disconnection notice counts as delivered when sent. */
  const assumeDelivered = (warnings: readonly ArrearsWarning[]) => {
    for (const w of warnings) {
      if (w.kind !== 'disconnection-notice' || w.recipient.role !== 'customer') continue;
      if (reportedChannels.has(w.channel)) continue;
      apply(
        recordNoticeDelivery(
          snapshot(),
          {
            channel: w.channel,
            at: w.sendAt,
            outcome: 'delivered',
            source: 'assumed-at-send',
            ...(w.planId === undefined ? {} : { planId: w.planId }),
            ...(w.planRevision === undefined ? {} : { revision: w.planRevision }),
          },
          w.sendAt,
          policy,
        ),
      );
    }
  };

  let i = 0;
  let cursor = window.startMs;
  for (;;) {
    const s = statics[i];
    const d = nextDynamic(state, cursor, policy);
    const dynamicFirst = d !== undefined && d.ms < window.endMs && (s === undefined || byTime(d, s) < 0);
    if (!dynamicFirst && s === undefined) break;
    if (dynamicFirst) {
      cursor = d.ms;
      const at = shanghaiInstant(d.ms);
      apply(
        d.kind === 'reminder'
          ? fireFinalReminder(snapshot(), { planId: d.planId, revision: d.revision }, at, policy)
          : d.kind === 'delivery-check'
            ? checkNoticeDelivery(snapshot(), { planId: d.planId, revision: d.revision }, at, policy)
            : reachDisconnectionTime(snapshot(), at, policy),
      );
      continue;
    }
    i++;
    cursor = s!.ms;
    if (s!.kind === 'scan') apply(scanAccount(snapshot(), s!.day, policy));
    else if (s!.kind === 'payments') apply(recordPayments(snapshot(), shanghaiInstant(s!.ms), policy));
    else if (s!.kind === 'delivery') {
      const { channel, at, outcome } = s!.delivery;
      apply(recordNoticeDelivery(snapshot(), { channel, at, outcome, source: 'what-if' }, at, policy));
    } else {
      try {
        apply(applyArrearsCommand(snapshot(), s!.command, policy));
      } catch (error) {
        if (!(error instanceof ArrearsCommandError)) throw error;
        result.rejectedCommands.push({ command: s!.command, error: error.message });
      }
    }
  }
  return state;
}
