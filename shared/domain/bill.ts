import type { PowerFactorStandard } from './account.ts';
import type { LocalisedText, Period, TouBand } from './primitives.ts';

/** Stable line codes: notices, history comparison and reports key on them, so never rename one. */
export type BillLineCode =
  | 'BASIC_CAPACITY'
  | 'BASIC_CONTRACTED_DEMAND'
  | 'BASIC_CONTRACTED_DEMAND_EXCESS'
  | 'BASIC_ACTUAL_DEMAND'
  | 'ENERGY_SHARP'
  | 'ENERGY_PEAK'
  | 'ENERGY_FLAT'
  | 'ENERGY_VALLEY'
  | 'POWER_FACTOR_ADJUSTMENT'
  | `FUND_${string}`;

/** One printed line of a bill. Decimal values are strings; `amount` is rounded half-up to the fen. */
export interface BillLine {
  code: BillLineCode;
  label: LocalisedText;
  quantity: string;
  unit: string;
  unitPrice: string;
  amount: string;
  /** One line of arithmetic a customer can check, e.g. "1,050 kW × 38.00 元 = 39,900.00". */
  explanation: string;
  /** Set when the bill is split over tariff versions: the version this line was priced with. */
  tariffEffectiveFrom?: string;
}

/**
 * What a finding does besides being reported on the bill: `hold` keeps the bill from being sent until an
 * operator has looked (issue #12: a meter pairing the engine had to guess). Absent: reported only.
 */
export type FindingSeverity = 'hold';
export const FINDING_SEVERITY_HOLD: FindingSeverity = 'hold';

export interface DataFinding {
  code: string;
  meterId?: string;
  message: string;
  /** Set only when the finding does more than report (every finding without it prints as it always did). */
  severity?: FindingSeverity;
}

/** The findings that hold the bill: the generic rule is their severity, whatever their code. */
export const findingsThatHold = (bill: Pick<BillDocument, 'findings'>): DataFinding[] =>
  bill.findings.filter((f) => f.severity === FINDING_SEVERITY_HOLD);

export type BillAdviceKind = 'shift-peak-to-valley' | 'raise-power-factor' | 'basic-charge-method';

export interface BillAdvice {
  kind: BillAdviceKind;
  /** What the engine changed in the input to compute the saving. */
  scenario: string;
  /** Positive: what the customer would have saved this period. */
  saving: string;
  message: LocalisedText;
}

export interface PeriodComparison {
  period: Period;
  total: string;
  totalKwh: string;
  /** Signed change in percent of the earlier period, 1 decimal; null when the earlier total is 0. */
  totalChangePercent: string | null;
}

/** Everything a customer, an operator and the notices need to know about one account's month. */
export interface BillDocument {
  accountId: string;
  period: Period;
  currency: 'CNY';
  /** The tariff versions applied (more than one when a tariff changed inside the period). */
  tariffVersions: { tariffId: string; effectiveFrom: string; days: number }[];
  lines: BillLine[];
  /** Sum of the rounded lines. */
  total: string;
  consumption: {
    totalKwh: string;
    byBand: Partial<Record<TouBand, string>>;
    kvarh: string;
    maxDemandKw: string;
  };
  powerFactor: {
    /** Two decimals, half-up. */
    value: string;
    standard: PowerFactorStandard;
    /** Percent of (basic + energy); negative is a reduction. */
    adjustmentPercent: string;
    /** False when no adjustment could be computed (no active energy); a finding says why. */
    applied?: boolean;
    /** Sum of the printed basic and energy lines the percentage applies to. */
    base?: string;
  };
  demand: {
    maxDemandKw: string;
    contractedDemandKw?: string;
    capacityKva: string;
    /** Capacity in operation: capacityKva less capacity under suspension. */
    effectiveCapacityKva?: string;
    /** The demand the basic charge was computed on (after the 40 % floor), demand methods only. */
    billedDemandKw?: string;
    /** Maximum demand in percent of the contracted demand, 1 decimal. */
    demandOfContractPercent?: string;
    /** Energy per kVA of capacity in operation this period (526号 260 kWh/kVA rule). */
    kwhPerKva?: string;
  };
  findings: DataFinding[];
  comparison?: { previousPeriod?: PeriodComparison; samePeriodLastYear?: PeriodComparison };
  advice: BillAdvice[];
  dueDate: string;
}
