import type { BillDocument } from '../bill.ts';
import { pad2 } from '../calendar/index.ts';
import { div, type Fx, fxInt, times, toDP, toFixed } from '../decimal/fixed-point.ts';
import type { TouBand } from '../primitives.ts';
import type { BillContext } from './bill-context.ts';
import type { Printing } from './bill-lines.ts';
import { comparisonWith } from './comparison.ts';
import type { BillInput } from './compute-bill.ts';
import { BANDS } from './consumption.ts';
import { nextMonthOf } from './period-month.ts';
import { formatPowerFactor } from './power-factor.ts';

/* The bill document: the priced lines with the summaries the bill prints around them. */

const HUNDRED = fxInt(100);

/** Figures the charges printed that the summaries print again (formatted once). */
export interface PrintedFigures {
  totalKwhText: string;
  /** The power-factor adjustment's base, and its percent. */
  baseText: string;
  adjustmentPercent: string;
  /** The demand a demand method billed; undefined under the capacity method. */
  billedDemandKw: Fx | undefined;
}

export function billDocument(
  input: BillInput,
  ctx: BillContext,
  printing: Printing,
  printed: PrintedFigures,
): BillDocument {
  const { acc, consumption, pf } = ctx;
  const account = acc.account;
  const byBand: Partial<Record<TouBand, string>> = {};
  for (const band of BANDS) {
    const v = consumption.bands[band];
    if (v !== undefined) byBand[band] = printing.bandTexts[band] ?? toFixed(v);
  }
  const comparison = comparisonWith(input.history, input.period, ctx.total);
  const maxDemandKw = toFixed(consumption.maxDemandKw);
  const tariffVersionsApplied: BillDocument['tariffVersions'] = [];
  for (const s of ctx.segments)
    tariffVersionsApplied.push({
      tariffId: s.tariff.tariffId,
      effectiveFrom: s.tariff.effectiveFrom,
      days: s.days,
    });
  const bill = {
    accountId: account.accountId,
    period: input.period,
    currency: 'CNY',
    tariffVersions: tariffVersionsApplied,
    lines: printing.lines,
    total: toFixed(ctx.total, 2),
    consumption: {
      totalKwh: printed.totalKwhText,
      byBand,
      kvarh: toFixed(consumption.kvarh),
      maxDemandKw,
    },
    powerFactor: {
      value: pf === null ? '0.00' : formatPowerFactor(pf),
      standard: account.powerFactorStandard,
      adjustmentPercent: printed.adjustmentPercent,
      applied: pf !== null,
      base: printed.baseText,
    },
    demand: demandSummary(ctx, maxDemandKw, printed.billedDemandKw),
    findings: printing.findings,
  } as BillDocument;
  if (comparison !== undefined) bill.comparison = comparison;
  bill.advice = [];
  bill.dueDate = `${nextMonthOf(input.period)}-${pad2(account.paymentDueDay)}`;
  return bill;
}

/** Maximum demand against contract and capacity, and what the basic charge billed. */
function demandSummary(
  ctx: BillContext,
  maxDemandKw: string,
  billedDemandKw: Fx | undefined,
): BillDocument['demand'] {
  const { acc, kwhPerKva } = ctx;
  const account = acc.account;
  const contracted = acc.contractedDemandKw;
  // Optional fields are assigned in the document's field order: JSON prints them in insertion order.
  const demand = { maxDemandKw } as BillDocument['demand'];
  if (account.contractedDemandKw !== undefined) demand.contractedDemandKw = account.contractedDemandKw;
  demand.capacityKva = account.capacityKva;
  demand.effectiveCapacityKva = toFixed(acc.effectiveCapacityKva);
  if (billedDemandKw !== undefined) demand.billedDemandKw = toFixed(billedDemandKw);
  if (contracted !== undefined)
    demand.demandOfContractPercent = toFixed(
      toDP(times(div(ctx.consumption.maxDemandKw, contracted), HUNDRED), 1),
      1,
    );
  if (kwhPerKva !== null) demand.kwhPerKva = toFixed(toDP(kwhPerKva, 2), 2);
  return demand;
}
