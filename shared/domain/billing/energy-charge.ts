import type { BillLineCode, DataFinding } from '../bill.ts';
import type { Month } from '../calendar/index.ts';
import { FX_ZERO, type Fx, isZero, plus, times, toFixed } from '../decimal/fixed-point.ts';
import type { LocalisedText, TouBand } from '../primitives.ts';
import { fen, type Printing, printLine, withSuffix } from './bill-lines.ts';
import { BANDS } from './consumption.ts';
import { groupDigits } from './format.ts';
import { segmentSuffix, splitByDays, splitNote, type TariffSegment } from './tariff-segments.ts';

/* The energy charge (电度电费): each time-of-use band's energy at the band's price. */

const BAND_LABELS: Record<TouBand, LocalisedText> = {
  sharp: { 'zh-CN': '尖峰电度电费', en: 'Energy charge, sharp peak' },
  peak: { 'zh-CN': '高峰电度电费', en: 'Energy charge, peak' },
  flat: { 'zh-CN': '平段电度电费', en: 'Energy charge, flat' },
  valley: { 'zh-CN': '低谷电度电费', en: 'Energy charge, valley' },
};

const BAND_CODES: Record<TouBand, BillLineCode> = {
  sharp: 'ENERGY_SHARP',
  peak: 'ENERGY_PEAK',
  flat: 'ENERGY_FLAT',
  valley: 'ENERGY_VALLEY',
};

/** The energy lines' amounts for the band energies `bands` (in line order); with `printing`, their lines too. */
export function energyCharge(
  bands: Partial<Record<TouBand, Fx>>,
  segments: readonly TariffSegment[],
  month: Month,
  amounts: Fx[],
  printing: Printing | null,
): void {
  if (segments.length > 1) {
    energyChargeSplit(bands, segments, month, amounts, printing);
    return;
  }
  // One tariff version: each band at its price; a sharp register under a version without a sharp price
  // is billed as peak.
  const s = segments[0]!;
  const prices = s.tariff.fast.bands;
  let sharp = bands.sharp;
  let peak = bands.peak;
  if (sharp !== undefined && prices.sharp === undefined) {
    if (printing !== null && !isZero(sharp)) printing.findings.push(sharpWithoutPrice(s));
    peak = plus(FX_ZERO, sharp);
    if (bands.peak !== undefined) peak = plus(peak, bands.peak);
    sharp = undefined;
  }
  const quantities = [sharp, peak, bands.flat, bands.valley];
  for (let b = 0; b < 4; b++) {
    const quantity = quantities[b];
    if (quantity === undefined) continue;
    const band = BANDS[b]!;
    const price = prices[band]!;
    const amount = fen(times(quantity, price.price));
    amounts.push(amount);
    if (printing === null) continue;
    const text = toFixed(quantity);
    if (quantity === bands[band]) printing.bandTexts[band] = text;
    printing.lines.push(
      printLine({
        code: BAND_CODES[band],
        label: BAND_LABELS[band],
        quantity: text,
        unit: 'kWh',
        unitPrice: price.text,
        amount,
        explanation: `${groupDigits(text)} kWh × ${price.text} 元`,
      }),
    );
  }
}

/**
 * Several tariff versions in the period: each band's energy split over them by days, each share at its
 * version's price.
 */
function energyChargeSplit(
  bands: Partial<Record<TouBand, Fx>>,
  segments: readonly TariffSegment[],
  month: Month,
  amounts: Fx[],
  printing: Printing | null,
): void {
  const perSegment = quantitiesPerSegment(bands, segments, month, printing);
  for (const band of BANDS) {
    segments.forEach((s, i) => {
      const quantity = perSegment[i]![band];
      if (quantity === undefined) return;
      const price = s.tariff.fast.bands[band]!;
      const amount = fen(times(quantity, price.price));
      amounts.push(amount);
      if (printing === null) return;
      const text = toFixed(quantity);
      printing.lines.push(
        printLine({
          code: BAND_CODES[band],
          label: withSuffix(BAND_LABELS[band], segmentSuffix(s)),
          quantity: text,
          unit: 'kWh',
          unitPrice: price.text,
          amount,
          explanation: `${groupDigits(text)} kWh × ${price.text} 元${splitNote(s, true, month.days)}`,
          tariffEffectiveFrom: s.tariff.effectiveFrom,
        }),
      );
    });
  }
}

/** Quantity per band per segment; a sharp register under a version without a sharp price is billed as peak. */
function quantitiesPerSegment(
  bands: Partial<Record<TouBand, Fx>>,
  segments: readonly TariffSegment[],
  month: Month,
  printing: Printing | null,
): Partial<Record<TouBand, Fx>>[] {
  const perSegment = segments.map(() => ({}) as Partial<Record<TouBand, Fx>>);
  for (const band of BANDS) {
    const energy = bands[band];
    if (energy === undefined) continue;
    const shares = splitByDays(energy, segments, month.days);
    segments.forEach((s, i) => {
      let target = band;
      if (band === 'sharp' && s.tariff.fast.bands.sharp === undefined) {
        target = 'peak';
        if (printing !== null && !isZero(energy)) printing.findings.push(sharpWithoutPrice(s));
      }
      const q = perSegment[i]!;
      q[target] = plus(q[target] ?? FX_ZERO, shares[i]!);
    });
  }
  return perSegment;
}

function sharpWithoutPrice(s: TariffSegment): DataFinding {
  return {
    code: 'SHARP_WITHOUT_PRICE',
    message: `tariff ${s.tariff.tariffId} from ${s.tariff.effectiveFrom} has no sharp price; sharp-register energy billed at the peak price`,
  };
}
