import { z } from 'zod';

/** A decimal number carried as a string so that no value ever passes through a binary float. */
export const DecimalString = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number such as 1520.31');

export const NonNegativeDecimalString = DecimalString.refine((v) => !v.startsWith('-'), {
  message: 'must not be negative',
});

export const PositiveDecimalString = DecimalString.refine((v) => !v.startsWith('-') && /[1-9]/.test(v), {
  message: 'must be greater than zero',
});

/** Billing period, the calendar month a reading closes: YYYY-MM. */
export const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a period YYYY-MM');
export type Period = z.infer<typeof Period>;

/** Calendar date in Asia/Shanghai: YYYY-MM-DD. */
export const IsoDate = z.iso.date();

export const AccountId = z.string().regex(/^[A-Za-z0-9]{1,20}$/, 'expected 1–20 letters or digits');
export const MeterId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected 1–32 letters, digits, - or _');
/** A metering point (计量点): the incoming line a meter serves; successive meters of one point are one line. */
export const MeteringPointId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected a metering point id of 1–32 letters, digits, - or _');

export const Language = z.enum(['zh-CN', 'en']);
export type Language = z.infer<typeof Language>;

/** A label in both languages the product speaks to customers in. */
export const LocalisedText = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
export type LocalisedText = z.infer<typeof LocalisedText>;

export const TouBand = z.enum(['sharp', 'peak', 'flat', 'valley']);
export type TouBand = z.infer<typeof TouBand>;
export const TOU_BANDS: readonly TouBand[] = TouBand.options;
