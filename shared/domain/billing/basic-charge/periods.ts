import type { DataFinding } from '../../bill.ts';
import type { Month } from '../../calendar/index.ts';
import { div, FX_ZERO, type Fx, fxInt, maxFx, minus } from '../../decimal/fixed-point.ts';
import type { LocalisedText } from '../../primitives.ts';
import { dayOfMonth } from '../period-month.ts';
import type { TariffSegment } from '../tariff-segments.ts';
import type { CompiledAccount } from '../validate.ts';

const ONE = fxInt(1);

/** A run of days charged the basic charge at one capacity and one tariff version. */
export interface BasicPeriod {
  segment: TariffSegment;
  /** Capacity in these days, and the part of it in operation (less suspension). */
  capacityKva: Fx;
  effectiveCapacityKva: Fx;
  fromDay: number;
  toDay: number;
  /** Share of the monthly charge: days/30 when pro-rated, else days/days-in-month per tariff version. */
  factor: Fx;
  /** "15/31" or "12/30"; null for a whole month at one version. */
  factorText: string | null;
  /** Label suffix when there are several basic periods. */
  suffix: LocalisedText | null;
}

interface CapacityRun {
  fromDay: number;
  toDay: number;
  capacity: Fx;
}

/**
 * The runs of days charged the basic charge, each at one capacity and one tariff version: the connected
 * days of the period, split at a capacity change and at a tariff change.
 */
export function basicPeriods(
  acc: CompiledAccount,
  month: Month,
  segments: readonly TariffSegment[],
  findings: DataFinding[],
): BasicPeriod[] {
  const a = acc.account;
  let from = 1;
  let to = month.days;
  if (a.connectedOn !== undefined) from = Math.max(from, dayOfMonth(a.connectedOn, month));
  if (a.terminatedOn !== undefined) to = Math.min(to, dayOfMonth(a.terminatedOn, month));
  if (from > to) {
    findings.push({
      code: 'NOT_CONNECTED_IN_PERIOD',
      message: `connection ${a.connectedOn ?? '-'} – ${a.terminatedOn ?? '-'} does not cover the period; no basic charge`,
    });
    return [];
  }
  const change = a.capacityChangedOn === undefined ? undefined : dayOfMonth(a.capacityChangedOn, month);
  const changeInside = change !== undefined && change > from && change <= to;
  const capacityRuns = changeInside
    ? capacityRunsAroundChange(acc, from, change, to, findings)
    : [{ fromDay: from, toDay: to, capacity: acc.capacityKva }];
  // 1/30 of the month per day used (a partial day is a day) in the month of a connection, capacity change or
  // termination; otherwise the whole month, shared by tariff versions by days.
  const prorated = from > 1 || to < month.days || changeInside;
  const periods: BasicPeriod[] = [];
  for (const run of capacityRuns) {
    for (const segment of segments) {
      const f = Math.max(run.fromDay, segment.fromDay);
      const t = Math.min(run.toDay, segment.toDay);
      if (f > t) continue;
      const days = t - f + 1;
      const wholeMonth = !prorated && segments.length === 1;
      periods.push({
        segment,
        capacityKva: run.capacity,
        effectiveCapacityKva: maxFx(minus(run.capacity, acc.suspendedKva), FX_ZERO),
        fromDay: f,
        toDay: t,
        factor: wholeMonth ? ONE : div(fxInt(days), fxInt(prorated ? 30 : month.days)),
        factorText: wholeMonth ? null : `${days}/${prorated ? 30 : month.days}`,
        suffix: null,
      });
    }
  }
  if (periods.length > 1 || prorated)
    for (const p of periods) {
      const range = p.fromDay === p.toDay ? `${p.fromDay}` : `${p.fromDay}–${p.toDay}`;
      p.suffix = { 'zh-CN': `（${range}日）`, en: ` (days ${range})` };
    }
  return periods;
}

/** The days before a capacity change inside the period (at the previous capacity, if known) and after it. */
function capacityRunsAroundChange(
  acc: CompiledAccount,
  from: number,
  change: number,
  to: number,
  findings: DataFinding[],
): CapacityRun[] {
  const runs: CapacityRun[] = [];
  if (acc.previousCapacityKva === undefined) {
    findings.push({
      code: 'PREVIOUS_CAPACITY_UNKNOWN',
      message: `capacity changed on ${acc.account.capacityChangedOn} but previousCapacityKva is not recorded; days before the change carry no basic charge`,
    });
  } else {
    runs.push({ fromDay: from, toDay: change - 1, capacity: acc.previousCapacityKva });
  }
  runs.push({ fromDay: change, toDay: to, capacity: acc.capacityKva });
  return runs;
}
