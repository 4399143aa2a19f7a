import type { BasicChargeMethod } from '../../account.ts';
import type { Fx } from '../../decimal/fixed-point.ts';
import type { Printing } from '../bill-lines.ts';
import type { Consumption } from '../consumption.ts';
import type { CompiledAccount } from '../validate.ts';
import { actualDemandCharge } from './actual-demand.ts';
import { capacityCharge } from './capacity.ts';
import { contractedDemandCharge } from './contracted-demand.ts';
import type { BasicPeriod } from './periods.ts';

/*
 * The basic charge (基本电费) of the two-part tariff, by the account's method: by transformer capacity, by
 * contracted maximum demand, or by actual maximum demand (billing-rules.md). Each basic period (a run of
 * days at one capacity and one tariff version) gives its lines; the method's file prices and prints them.
 */

/** What the demand methods report on the bill's demand summary. */
export interface DemandFacts {
  kwhPerKva: Fx | null;
  billedDemandKw?: Fx;
}

/** One pricing of the basic charge: what every method reads, and where its lines go. */
export interface BasicChargeRun {
  acc: CompiledAccount;
  /** The period's maximum demand, kW. */
  demand: Fx;
  kwhPerKva: Fx | null;
  /** The lines' amounts, rounded to the fen, in line order. */
  amounts: Fx[];
  printing: Printing | null;
  /** The finding codes already noted: each finding once per bill, however many basic periods. */
  noted: string[];
  facts: DemandFacts;
}

/**
 * The basic-charge lines' amounts (rounded to the fen, in line order) under `method`; with `printing`,
 * also their lines and findings.
 */
export function basicCharge(
  acc: CompiledAccount,
  method: BasicChargeMethod,
  periods: readonly BasicPeriod[],
  consumption: Consumption,
  kwhPerKva: Fx | null,
  amounts: Fx[],
  printing: Printing | null,
  facts: DemandFacts,
): void {
  const run: BasicChargeRun = {
    acc,
    demand: consumption.maxDemandKw,
    kwhPerKva,
    amounts,
    printing,
    noted: [],
    facts,
  };
  const split = periods.length > 1 && periods.some((p) => p.segment !== periods[0]!.segment);
  for (const p of periods) {
    // A line names its tariff version only when the basic periods span several.
    const from = split ? p.segment.tariff.effectiveFrom : undefined;
    if (method === 'capacity') capacityCharge(run, p, from);
    else if (method === 'actual-demand') actualDemandCharge(run, p, from);
    else contractedDemandCharge(run, p, from);
  }
}
