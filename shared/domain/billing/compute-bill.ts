import type { Account } from '../account.ts';
import type { BillDocument, DataFinding } from '../bill.ts';
import { div, type Fx, isZero, plus, toFixed } from '../decimal/fixed-point.ts';
import type { MeterReadRow } from '../meter-read.ts';
import type { Period } from '../primitives.ts';
import type { Tariff } from '../tariff.ts';
import { adviceFor } from './advice.ts';
import { basicCharge, type DemandFacts } from './basic-charge/basic-charge.ts';
import { basicPeriods } from './basic-charge/periods.ts';
import type { BillContext } from './bill-context.ts';
import { billDocument } from './bill-document.ts';
import { type Printing, printLine, sumOf } from './bill-lines.ts';
import { type Consumption, consumptionOf } from './consumption.ts';
import { energyCharge } from './energy-charge.ts';
import { BillingInputError } from './errors.ts';
import { fundDrafts } from './funds.ts';
import { monthOf } from './period-month.ts';
import { pfHundredths } from './power-factor.ts';
import { printedAdjustment } from './power-factor-adjustment.ts';
import { tariffSegments } from './tariff-segments.ts';
import { type CompiledAccount, compileAccount, tariffVersions } from './validate.ts';

/*
 * The bill of one account for one period under the two-part industrial tariff (billing-rules.md), in the
 * regulation's order: the tariff versions in force, the basic charge, the energy charge, the power-factor
 * adjustment on both, the government funds, and the document around the lines.
 */

export interface BillSummary {
  period: string;
  total: string;
  totalKwh: string;
}

export interface BillInput {
  account: Account;
  /** Every version of the tariffs; the account's tariffId picks its versions by effectiveFrom. */
  tariffs: readonly Tariff[];
  /** This account's meter reads for the period (several meters, meter_out + meter_in). */
  reads: readonly MeterReadRow[];
  period: Period;
  /**
   * The account has no earlier period (no read or bill before this one): a meter_in with no meter_out
   * to pair is then a new connection, not a finding. A period holding the account's `connectedOn` is
   * its first whatever this says.
   */
  firstPeriod?: boolean;
  /** Earlier bills of the account, for the comparison with the previous period and last year. */
  history?: readonly BillSummary[];
  /** Advice settings; `enabled: false` computes the bill alone (advice re-runs the engine that way). */
  advice?: { enabled?: boolean; peakShiftShare?: string };
}

/** The Period schema's pattern, tested directly: this runs once per bill. */
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The bill of one account for one period under the two-part industrial tariff (billing-rules.md).
 * Pure and deterministic. Throws BillingInputError (naming the field) for input it cannot bill; data
 * problems it can bill through are reported in `bill.findings`. Advice prices the bill of changed inputs
 * (with advice disabled), so every saving is a difference of two bills.
 */
export function computeBill(input: BillInput): BillDocument {
  const { bill, ctx } = billWithContext(input);
  if (input.advice?.enabled !== false) bill.advice = adviceFor(input, bill, ctx, computeBillWithoutAdvice);
  return bill;
}

export function billSummary(bill: BillDocument): BillSummary {
  return { period: bill.period, total: bill.total, totalKwh: bill.consumption.totalKwh };
}

/**
 * The bill of one account for one period, without advice (computeBill adds advice by re-pricing this bill
 * for changed inputs). Pure and deterministic.
 */
export function computeBillWithoutAdvice(input: BillInput): BillDocument {
  return billWithContext(input).bill;
}

const kwhPerKvaOf = (acc: CompiledAccount, consumption: Consumption): Fx | null =>
  isZero(acc.effectiveCapacityKva) ? null : div(consumption.totalKwh, acc.effectiveCapacityKva);

/** The bill without advice, and the context advice re-prices it in. */
export function billWithContext(input: BillInput): { bill: BillDocument; ctx: BillContext } {
  if (typeof input.period !== 'string' || !PERIOD.test(input.period))
    throw new BillingInputError('period', `${JSON.stringify(input.period)} is not a period YYYY-MM`);
  // The tariff versions in force in the period (split at a change), and what the reads measured.
  const acc = compileAccount(input.account);
  const account = acc.account;
  const month = monthOf(input.period);
  const versions = tariffVersions(input.tariffs, account.tariffId);
  const segments = tariffSegments(versions, month, account.tariffId);
  const newConnection = input.firstPeriod === true || account.connectedOn?.startsWith(input.period) === true;
  const consumption = consumptionOf(input.reads, account.accountId, input.period, newConnection);
  const findings: DataFinding[] = [...consumption.findings];

  // Basic charge by the account's method, over the days it is due; then the energy charge by ToU band.
  const periods = basicPeriods(acc, month, segments, findings);
  const kwhPerKva = kwhPerKvaOf(acc, consumption);
  const facts: DemandFacts = { kwhPerKva };
  const printing: Printing = { lines: [], findings, bandTexts: {} };
  const basicAmounts: Fx[] = [];
  basicCharge(acc, account.basicChargeMethod, periods, consumption, kwhPerKva, basicAmounts, printing, facts);
  const energyAmounts: Fx[] = [];
  energyCharge(consumption.bands, segments, month, energyAmounts, printing);

  // PF adjustment on the printed basic + energy lines, so the customer can check it from the bill.
  const base = sumOf(energyAmounts, sumOf(basicAmounts));
  const baseText = toFixed(base, 2);
  const pf = pfHundredths(consumption.totalKwh, consumption.kvarh);
  const adjusted = printedAdjustment(base, baseText, pf, account.powerFactorStandard, printing);

  // Government funds on the total kWh: outside the PF adjustment.
  const fundAmounts: Fx[] = [];
  const totalKwhText = toFixed(consumption.totalKwh);
  let total = adjusted.total;
  for (const d of fundDrafts(consumption, segments, month, totalKwhText)) {
    fundAmounts.push(d.amount);
    total = plus(total, d.amount);
    printing.lines.push(printLine(d));
  }

  const ctx: BillContext = {
    acc,
    month,
    segments,
    periods,
    consumption,
    kwhPerKva,
    total,
    base,
    pf,
    basicAmounts,
    energyAmounts,
    fundAmounts,
  };
  const bill = billDocument(input, ctx, printing, {
    totalKwhText,
    baseText,
    adjustmentPercent: adjusted.adjustmentPercent,
    billedDemandKw: facts.billedDemandKw,
  });
  return { bill, ctx };
}
