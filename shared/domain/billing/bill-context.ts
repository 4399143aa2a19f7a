import type { BasicChargeMethod } from '../account.ts';
import type { Month } from '../calendar/index.ts';
import type { Fx } from '../decimal/fixed-point.ts';
import type { TouBand } from '../primitives.ts';
import { basicCharge } from './basic-charge/basic-charge.ts';
import type { BasicPeriod } from './basic-charge/periods.ts';
import { sumOf } from './bill-lines.ts';
import type { Consumption } from './consumption.ts';
import { energyCharge } from './energy-charge.ts';
import { pfHundredths } from './power-factor.ts';
import { type Adjusted, adjustedTotal } from './power-factor-adjustment.ts';
import type { TariffSegment } from './tariff-segments.ts';
import type { CompiledAccount } from './validate.ts';

/**
 * What advice needs to re-price a bill with changed inputs without billing it again: the parts of the bill
 * that the changes cannot touch, and the amounts they can.
 */
export interface BillContext {
  acc: CompiledAccount;
  month: Month;
  segments: TariffSegment[];
  periods: BasicPeriod[];
  consumption: Consumption;
  kwhPerKva: Fx | null;
  /** The bill's total as printed. */
  total: Fx;
  /** The basic and energy amounts added up: what the power-factor adjustment applies to. */
  base: Fx;
  /** The bill's PF in hundredths; null when undefined (no active energy). */
  pf: number | null;
  basicAmounts: Fx[];
  energyAmounts: Fx[];
  fundAmounts: Fx[];
}

/** What a changed input changes: the band energies, the reactive energy, or the basic-charge method. */
export interface BillChange {
  bands?: Partial<Record<TouBand, Fx>>;
  kvarh?: Fx;
  method?: BasicChargeMethod;
}

/**
 * The total and power-factor adjustment percent of the bill of a changed input, exactly as computing that
 * bill would print them (the same amounts added in the same order), without the lines and texts.
 */
export function changedBillTotal(ctx: BillContext, change: BillChange): Adjusted {
  // A change of the reactive energy alone leaves the basic and energy lines, and so their sum, as they are.
  let base = ctx.base;
  if (change.method !== undefined || change.bands !== undefined) {
    let basic = ctx.basicAmounts;
    if (change.method !== undefined) {
      basic = [];
      basicCharge(ctx.acc, change.method, ctx.periods, ctx.consumption, ctx.kwhPerKva, basic, null, {
        kwhPerKva: null,
      });
    }
    let energy = ctx.energyAmounts;
    if (change.bands !== undefined) {
      energy = [];
      energyCharge(change.bands, ctx.segments, ctx.month, energy, null);
    }
    base = sumOf(energy, sumOf(basic));
  }
  // Only a change of the reactive energy changes the PF (the active energy is never changed).
  const pf = change.kvarh === undefined ? ctx.pf : pfHundredths(ctx.consumption.totalKwh, change.kvarh);
  const adjusted = adjustedTotal(base, pf, ctx.acc.account.powerFactorStandard);
  // The printed total is this sum to the fen, and the sum of amounts in fen has no more decimals.
  adjusted.total = sumOf(ctx.fundAmounts, adjusted.total);
  return adjusted;
}
