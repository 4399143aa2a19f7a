import type { Account } from '../../account.ts';
import type { BillDocument, DataFinding, PeriodComparison } from '../../bill.ts';
import { dayAfterPeriod } from '../../calendar/index.ts';
import type { MeterReadRow } from '../../meter-read.ts';
import { type Dec, dec } from '../../money.ts';
import type { PlausibilityPolicy } from './policy.ts';

/*
 * Whether a new bill version may go out as a preview, or is held for an operator (issue #12 item 3).
 * Each rule looks at the bill against the account's own history (the comparison the engine put on the
 * bill) and at the quality of its data; every rule that fires is one reason, and any reason holds.
 */

export const HOLD_RULES = [
  'total-vs-previous-period',
  'total-vs-same-period-last-year',
  'consumption-vs-previous-period',
  'consumption-vs-same-period-last-year',
  'zero-consumption',
  'estimated-share',
  'demand-over-contract',
  'demand-over-capacity',
  'negative-total',
  'finding',
] as const;
export type HoldRule = (typeof HOLD_RULES)[number];

/** One reason a bill is held, for the operator who reviews it. */
export interface HoldReason {
  rule: HoldRule;
  message: string;
  /** The finding's code, for rule `finding`. */
  finding?: string;
  meterId?: string;
}

export interface PlausibilityInput {
  bill: BillDocument;
  account: Account;
  /** The reads the bill was computed from. */
  reads: readonly MeterReadRow[];
  policy: PlausibilityPolicy;
}

/** The reasons to hold the bill, in rule order; none: it may be sent. */
export function checkPlausibility(input: PlausibilityInput): HoldReason[] {
  return [
    ...changeAgainstHistory(input),
    ...zeroConsumption(input),
    ...estimatedShare(input),
    ...demandOverContract(input),
    ...negativeTotal(input),
    ...holdingFindings(input),
  ];
}

const formatFactor = (ratio: Dec): string => ratio.toDecimalPlaces(1).toString();

/** Total and consumption against the previous period and the same period last year. */
function changeAgainstHistory({ bill, policy }: PlausibilityInput): HoldReason[] {
  const reasons: HoldReason[] = [];
  const comparisons: [PeriodComparison | undefined, 'previous-period' | 'same-period-last-year'][] = [
    [bill.comparison?.previousPeriod, 'previous-period'],
    [bill.comparison?.samePeriodLastYear, 'same-period-last-year'],
  ];
  const factor = dec(policy.change.factor);
  for (const [earlier, against] of comparisons) {
    if (earlier === undefined) continue;
    const measures = [
      ['total', bill.total, earlier.total, policy.change.minimumEarlierTotal, '¥'],
      ['consumption', bill.consumption.totalKwh, earlier.totalKwh, policy.change.minimumEarlierKwh, 'kWh '],
    ] as const;
    for (const [measure, now, before, minimum, unit] of measures) {
      const was = dec(before);
      if (was.lt(minimum) || was.lte(0)) continue;
      const ratio = dec(now).div(was);
      if (ratio.lte(factor) && ratio.gte(dec(1).div(factor))) continue;
      reasons.push({
        rule: `${measure}-vs-${against}`,
        message: `${measure} ${unit}${now} is ${formatFactor(ratio)}× ${earlier.period}'s ${unit}${before} (policy: within ${policy.change.factor}× either way)`,
      });
    }
  }
  return reasons;
}

/** In supply for the whole period: connected, not terminated, not wholly suspended. */
function inSupply(account: Account, period: string): boolean {
  const end = dayAfterPeriod(period);
  if (account.connectedOn !== undefined && account.connectedOn >= end) return false;
  if (account.terminatedOn !== undefined && account.terminatedOn < end) return false;
  return dec(account.suspendedKva).lt(account.capacityKva);
}

function zeroConsumption({ bill, account, policy }: PlausibilityInput): HoldReason[] {
  if (!policy.holdZeroConsumption || !dec(bill.consumption.totalKwh).isZero()) return [];
  if (!inSupply(account, bill.period)) return [];
  return [
    {
      rule: 'zero-consumption',
      message: `no energy used in ${bill.period} by an account in supply (${account.capacityKva} kVA)`,
    },
  ];
}

function estimatedShare({ reads, policy }: PlausibilityInput): HoldReason[] {
  const meters = new Set(reads.map((r) => r.meterId));
  const estimated = new Set(reads.filter((r) => r.readType === 'estimated').map((r) => r.meterId));
  if (meters.size === 0 || estimated.size === 0) return [];
  const share = dec(estimated.size).div(meters.size);
  if (share.lte(policy.maxEstimatedShare)) return [];
  return [
    {
      rule: 'estimated-share',
      message: `${estimated.size} of ${meters.size} meters read by estimate (${share.times(100).toDecimalPlaces(0)} %; policy: at most ${dec(policy.maxEstimatedShare).times(100)} %)`,
    },
  ];
}

function demandOverContract({ bill, account, policy }: PlausibilityInput): HoldReason[] {
  const demand = dec(bill.demand.maxDemandKw);
  if (account.contractedDemandKw !== undefined) {
    const limit = dec(account.contractedDemandKw).times(policy.demand.ofContract);
    if (demand.lte(limit)) return [];
    return [
      {
        rule: 'demand-over-contract',
        message: `maximum demand ${bill.demand.maxDemandKw} kW is ${formatFactor(demand.div(account.contractedDemandKw))}× the contracted ${account.contractedDemandKw} kW (policy: at most ${policy.demand.ofContract}×)`,
      },
    ];
  }
  const capacity = dec(account.capacityKva).minus(account.suspendedKva);
  if (capacity.lte(0) || demand.lte(capacity.times(policy.demand.ofCapacity))) return [];
  return [
    {
      rule: 'demand-over-capacity',
      message: `maximum demand ${bill.demand.maxDemandKw} kW is ${formatFactor(demand.div(capacity))}× the ${capacity} kVA in operation (policy: at most ${policy.demand.ofCapacity}×)`,
    },
  ];
}

function negativeTotal({ bill, policy }: PlausibilityInput): HoldReason[] {
  if (!policy.holdNegativeTotal || !dec(bill.total).isNegative() || dec(bill.total).isZero()) return [];
  return [{ rule: 'negative-total', message: `total ¥${bill.total} is below zero` }];
}

/** A finding as the engine may mark it: `severity: 'hold'` holds under any policy. */
type MarkedFinding = DataFinding & { severity?: string };

function holdingFindings({ bill, policy }: PlausibilityInput): HoldReason[] {
  const listed = new Set(policy.holdingFindings);
  return (bill.findings as MarkedFinding[])
    .filter((f) => f.severity === 'hold' || listed.has(f.code))
    .map((f) => ({
      rule: 'finding' as const,
      finding: f.code,
      message: `${f.code}${f.meterId === undefined ? '' : ` (meter ${f.meterId})`}: ${f.message}`,
      ...(f.meterId === undefined ? {} : { meterId: f.meterId }),
    }));
}
