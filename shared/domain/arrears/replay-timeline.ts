import { addDays, instantMs } from '../calendar/index.ts';
import { awaitsDelivery, deliveryCheckSchedule, scanMsOn } from './disconnection/index.ts';
import { type ArrearsOperatorCommand, commandOfWhatIfEvent, type WhatIfEvent } from './inputs.ts';
import type { AccountLedger } from './ledger/index.ts';
import type { ArrearsPolicy } from './policy.ts';
import type { ReplayInput } from './replay.ts';
import type { AccountArrearsState } from './state.ts';

/*
 * When things happen in a replay's window (see ./replay.ts): the fixed events of an account (payment
 * instants, operator commands, delivery outcomes, the daily scans) and the next instant its plans set
 * themselves (a final reminder, a delivery check, a disconnection time), in the order the deployed system
 * would meet them.
 */

export type DeliveryEvent = Extract<WhatIfEvent, { type: 'delivery' }>;

export type StaticEvent =
  | { ms: number; order: 0; kind: 'payments' }
  | { ms: number; order: 1; kind: 'delivery'; delivery: DeliveryEvent }
  | { ms: number; order: 1; kind: 'command'; command: ArrearsOperatorCommand }
  | { ms: number; order: 2; kind: 'scan'; day: string };

export type DynamicEvent =
  | { ms: number; order: 3; kind: 'reminder' | 'delivery-check'; planId: string; revision: number }
  | { ms: number; order: 4; kind: 'disconnect' };

/** By instant; at one instant payments first, then commands and deliveries, the scan, the plans' own. */
export const byTime = (a: { ms: number; order: number }, b: { ms: number; order: number }) =>
  a.ms - b.ms || a.order - b.order;

/** The next instant, not before `after`, that one of the account's plans sets itself. */
export function nextDynamic(
  state: AccountArrearsState,
  after: number,
  policy: ArrearsPolicy,
): DynamicEvent | undefined {
  const candidates: DynamicEvent[] = [];
  for (const plan of state.plans) {
    const rev = plan.revisions.at(-1);
    if (rev === undefined) continue;
    if (plan.status === 'notified' && rev.reminderSentAt === undefined) {
      candidates.push({
        ms: Math.max(instantMs(rev.reminderAt), after),
        order: 3,
        kind: 'reminder',
        planId: plan.planId,
        revision: rev.revision,
      });
    }
    if (plan.status === 'notified' && awaitsDelivery(rev)) {
      // The revision's delivery check, at the end of the delivery window (as its one-time schedule fires).
      const check = deliveryCheckSchedule(plan.planId, rev.revision, rev.noticeSentAt!, policy);
      candidates.push({
        ms: Math.max(instantMs(check.at), after),
        order: 3,
        kind: 'delivery-check',
        planId: plan.planId,
        revision: rev.revision,
      });
    }
    if (plan.status === 'notified' || plan.status === 'reminded') {
      candidates.push({ ms: Math.max(instantMs(rev.disconnectAt), after), order: 4, kind: 'disconnect' });
    }
  }
  return candidates.sort(byTime)[0];
}

/** Approvals are approve commands. */
export function commandsOf(input: ReplayInput): ArrearsOperatorCommand[] {
  return [
    ...(input.approvals ?? []).map(
      (a): ArrearsOperatorCommand => ({
        command: 'approve',
        accountId: a.accountId,
        by: a.approvedBy,
        at: a.approvedAt,
        ...(a.planId === undefined ? {} : { planId: a.planId }),
        ...(a.note === undefined ? {} : { note: a.note }),
      }),
    ),
    ...(input.commands ?? []),
    ...(input.events ?? []).flatMap((e) => commandOfWhatIfEvent(e) ?? []),
  ];
}

export const deliveriesOf = (input: ReplayInput): DeliveryEvent[] =>
  (input.events ?? []).filter((e): e is DeliveryEvent => e.type === 'delivery');

export interface ReplayWindow {
  from: string;
  to: string;
  startMs: number;
  endMs: number;
}

/** Payment instants, operator commands and daily scans of one account inside the window, in order. */
export function staticEvents(
  ledger: AccountLedger,
  commands: readonly ArrearsOperatorCommand[],
  deliveries: readonly DeliveryEvent[],
  accountId: string,
  window: ReplayWindow,
  policy: ArrearsPolicy,
): StaticEvent[] {
  const inWindow = (ms: number) => ms >= window.startMs && ms < window.endMs;
  const statics: StaticEvent[] = [
    ...[...new Set(ledger.entries.map((e) => e.atMs))]
      .filter(inWindow)
      .map((ms): StaticEvent => ({ ms, order: 0, kind: 'payments' })),
    ...commands
      .filter((c) => c.accountId === accountId && inWindow(instantMs(c.at)))
      .map((command): StaticEvent => ({ ms: instantMs(command.at), order: 1, kind: 'command', command })),
    ...deliveries
      .filter((d) => d.accountId === accountId && inWindow(instantMs(d.at)))
      .map((delivery): StaticEvent => ({ ms: instantMs(delivery.at), order: 1, kind: 'delivery', delivery })),
  ];
  for (let day = window.from; day <= window.to; day = addDays(day, 1)) {
    statics.push({ ms: scanMsOn(day, policy), order: 2, kind: 'scan', day });
  }
  return statics.sort(byTime);
}
