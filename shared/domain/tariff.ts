import { z } from 'zod';
import { PowerFactorStandard } from './account.ts';
import { IsoDate, LocalisedText, NonNegativeDecimalString, TouBand } from './primitives.ts';

/**
 * The energy price of one time-of-use band, by its regulated components (billing-rules.md §4).
 * The price per kWh is their sum; funds and surcharges are separate (they do not float with ToU).
 */
export const BandPrice = z.object({
  purchase: NonNegativeDecimalString,
  lineLoss: NonNegativeDecimalString,
  transmissionDistribution: NonNegativeDecimalString,
  systemOperation: NonNegativeDecimalString,
});
export type BandPrice = z.infer<typeof BandPrice>;

const HourRange = z.object({
  from: z.number().int().min(0).max(23),
  to: z.number().int().min(1).max(24),
});

export const TouWindow = z.object({
  band: TouBand,
  hours: z.array(HourRange).min(1),
  /** Months (1–12) in which the window applies; absent = all year (sharp peaks are seasonal). */
  months: z.array(z.number().int().min(1).max(12)).optional(),
});

export const Fund = z.object({
  code: z.string().regex(/^[A-Z0-9_]+$/),
  label: LocalisedText,
  pricePerKwh: NonNegativeDecimalString,
});
export type Fund = z.infer<typeof Fund>;

/**
 * One version of a tariff document: a province and voltage class, effective from a date until the next
 * version of the same tariffId takes over.
 */
export const TariffSchema = z.object({
  tariffId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  effectiveFrom: IsoDate,
  name: LocalisedText,
  province: z.string().min(1),
  voltageClass: z.string().min(1),
  currency: z.literal('CNY').default('CNY'),
  touWindows: z.array(TouWindow).default([]),
  energyPrices: z.object({
    sharp: BandPrice.optional(),
    peak: BandPrice,
    flat: BandPrice,
    valley: BandPrice,
  }),
  funds: z.array(Fund).default([]),
  basicCharge: z.object({
    perKvaMonth: NonNegativeDecimalString,
    perKwMonth: NonNegativeDecimalString,
  }),
  /** 526号: demand-based users at ≥ threshold kWh per kVA pay the demand price × factor. */
  highUtilisationDemandDiscount: z
    .object({ kwhPerKva: NonNegativeDecimalString, factor: NonNegativeDecimalString })
    .default({ kwhPerKva: '260', factor: '0.9' }),
  /**
   * Which power-factor standard (1983 水电财字第215号) applies to which customers under this tariff.
   * Informational for operators; the account's contract records the standard that is billed.
   */
  powerFactorStandards: z
    .array(z.object({ standard: PowerFactorStandard, appliesTo: LocalisedText }))
    .optional(),
});
export type Tariff = z.infer<typeof TariffSchema>;

/** A tariff file: every version of every tariff the accounts refer to. */
export const TariffFileSchema = z.object({ tariffs: z.array(TariffSchema).min(1) });
export type TariffFile = z.infer<typeof TariffFileSchema>;
