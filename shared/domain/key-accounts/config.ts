import { z } from 'zod';
import { AccountSchema } from '../account.ts';
import type { BillAdviceKind } from '../bill.ts';
import { dec } from '../money.ts';
import { DecimalString, IsoDate, NonNegativeDecimalString } from '../primitives.ts';

/*
 * The key-account ranking's rules as a versioned document (billing-rules.md §9: "the weights are
 * configuration"). Every weight, threshold and service plan lives here, so a change of policy is a new
 * document with a new version and effective date, never a code change. Decimal values are strings.
 */

const Ratio = DecimalString.refine((v) => dec(v).gte(0) && dec(v).lte(1), { message: 'expected 0 to 1' });
const Weight = NonNegativeDecimalString;

export const AccountCategory = AccountSchema.shape.category;
export type AccountCategory = z.infer<typeof AccountCategory>;

export const SegmentId = z.enum([
  'sudden-drop',
  'shrinking',
  'power-factor-risk',
  'peak-heavy',
  'low-load-factor',
  'expanding',
  'steady-baseload',
  'balanced',
]);
export type SegmentId = z.infer<typeof SegmentId>;

const ADVICE_KINDS = [
  'shift-peak-to-valley',
  'raise-power-factor',
  'basic-charge-method',
] as const satisfies readonly BillAdviceKind[];
export const AdviceKind = z.enum(ADVICE_KINDS);

export const PreviewChannel = z.enum(['email', 'sms']);
export type PreviewChannel = z.infer<typeof PreviewChannel>;

/** How a bill preview is sent to the accounts of one segment. */
export const ServicePlanSchema = z.object({
  /** The advice the preview leads with (shown first, whatever its saving). */
  leadAdvice: AdviceKind,
  channels: z.array(PreviewChannel).min(1),
  /** The preview goes out this many days before the bill's due date. */
  daysBeforeDue: z.number().int().min(1).max(28),
});
export type ServicePlan = z.infer<typeof ServicePlanSchema>;

export const NonKeyServicePlanSchema = ServicePlanSchema.extend({ leadAdvice: AdviceKind.nullable() });
export type NonKeyServicePlan = z.infer<typeof NonKeyServicePlanSchema>;

export const NormalisationMethod = z.enum(['percentile', 'log-max', 'linear-max']);
export type NormalisationMethod = z.infer<typeof NormalisationMethod>;

const positiveSum = (weights: Record<string, string>) =>
  Object.values(weights)
    .reduce((acc, w) => acc.plus(w), dec(0))
    .gt(0);

export const KeyAccountConfigSchema = z.object({
  /** Free-form version label, recorded on every selection made with this document. */
  version: z.string().min(1),
  effectiveFrom: IsoDate,
  description: z.string().optional(),
  /** Periods of bill history that make "current consumption" (revenue and energy). */
  historyPeriods: z.number().int().min(3).max(36),
  /** The Pareto share: the key set is the shortest head of the ranking with this share of revenue. */
  revenueShare: Ratio.refine((v) => dec(v).gt(0), { message: 'must be greater than zero' }),
  /**
   * V = 100 × (nature·a + current·b + potential·d) ÷ (nature + current + potential) × e,
   * with a, b, d each in [0, 1] and e the operator's correction coefficient.
   */
  weights: z
    .object({ nature: Weight, current: Weight, potential: Weight })
    .refine(positiveSum, { message: 'at least one weight must be above zero' }),
  nature: z.object({
    /** a for each customer category, 0 to 1. */
    categoryWeights: z.record(AccountCategory, Ratio),
    /** Added to a for an important customer (重要用户), capped at 1. */
    importantBonus: Ratio,
  }),
  current: z
    .object({ revenueWeight: Weight, energyWeight: Weight })
    .refine(positiveSum, { message: 'at least one weight must be above zero' }),
  potential: z.object({
    /** Multipliers of the three kinds of potential monthly energy (kWh) before they are added. */
    capacityHeadroomWeight: Weight,
    loadFactorGapWeight: Weight,
    growthWeight: Weight,
    /** kW that one kVA of capacity in operation can carry, for the headroom. */
    capacityPowerFactor: Ratio,
    /** The load factor an account could reach with its present maximum demand. */
    targetLoadFactor: Ratio,
  }),
  /** How revenue, energy and potential energy are brought to 0–1 across the population. */
  normalisation: z.object({ method: NormalisationMethod }),
  /** Bounds of the operator's correction coefficient e; a coefficient outside is clamped and reported. */
  correction: z
    .object({ min: NonNegativeDecimalString, max: NonNegativeDecimalString })
    .refine((c) => dec(c.min).lte(c.max), { message: 'min must not exceed max' }),
  /** Thresholds of the segment rules (segments.ts); percentages are signed percent values. */
  segmentation: z.object({
    levels: z.object({
      mediumKwhPerMonth: NonNegativeDecimalString,
      largeKwhPerMonth: NonNegativeDecimalString,
      veryLargeKwhPerMonth: NonNegativeDecimalString,
    }),
    suddenDropMomPercent: DecimalString,
    shrinkingPercent: DecimalString,
    powerFactorFallingBy: NonNegativeDecimalString,
    peakHeavyShare: Ratio,
    lowLoadFactor: Ratio,
    expandingPercent: DecimalString,
    steadyLoadFactor: Ratio,
    steadyValleyShare: Ratio,
  }),
  servicePlans: z.record(SegmentId, ServicePlanSchema),
  nonKeyServicePlan: NonKeyServicePlanSchema,
  /** An account's share of a manager's workload: weighted count and weighted revenue. */
  managerWorkload: z
    .object({
      accountWeight: Weight,
      revenueWeight: Weight,
      /** A key account stays with its manager while that manager's load is within (1 + this) × average. */
      keepCurrentTolerance: NonNegativeDecimalString,
    })
    .refine((w) => dec(w.accountWeight).plus(w.revenueWeight).gt(0), {
      message: 'accountWeight or revenueWeight must be above zero',
    }),
});
export type KeyAccountConfig = z.infer<typeof KeyAccountConfigSchema>;

export const KeyAccountConfigFileSchema = z.object({ configs: z.array(KeyAccountConfigSchema).min(1) });

/** Illustrative defaults (billing-rules.md: numbers for demos and tests, not any company's policy). */
export const DEFAULT_KEY_ACCOUNT_CONFIG: KeyAccountConfig = {
  version: '2026.1',
  effectiveFrom: '2020-01-01',
  description: 'Pareto 80 % by value score; percentile normalisation; segment plans for bill previews',
  historyPeriods: 12,
  revenueShare: '0.80',
  weights: { nature: '0.15', current: '0.60', potential: '0.25' },
  nature: {
    categoryWeights: {
      'large-industrial': '1.00',
      'general-industrial': '0.70',
      commercial: '0.50',
      agricultural: '0.30',
    },
    importantBonus: '0.20',
  },
  current: { revenueWeight: '0.70', energyWeight: '0.30' },
  potential: {
    capacityHeadroomWeight: '1',
    loadFactorGapWeight: '1',
    growthWeight: '1',
    capacityPowerFactor: '0.90',
    targetLoadFactor: '0.75',
  },
  normalisation: { method: 'percentile' },
  correction: { min: '0.50', max: '1.50' },
  segmentation: {
    levels: { mediumKwhPerMonth: '100000', largeKwhPerMonth: '1000000', veryLargeKwhPerMonth: '10000000' },
    suddenDropMomPercent: '-40',
    shrinkingPercent: '-15',
    powerFactorFallingBy: '0.02',
    peakHeavyShare: '0.45',
    lowLoadFactor: '0.30',
    expandingPercent: '15',
    steadyLoadFactor: '0.60',
    steadyValleyShare: '0.30',
  },
  servicePlans: {
    'sudden-drop': { leadAdvice: 'basic-charge-method', channels: ['email', 'sms'], daysBeforeDue: 10 },
    shrinking: { leadAdvice: 'basic-charge-method', channels: ['email', 'sms'], daysBeforeDue: 10 },
    'power-factor-risk': { leadAdvice: 'raise-power-factor', channels: ['email', 'sms'], daysBeforeDue: 10 },
    'peak-heavy': { leadAdvice: 'shift-peak-to-valley', channels: ['email'], daysBeforeDue: 7 },
    'low-load-factor': { leadAdvice: 'basic-charge-method', channels: ['email'], daysBeforeDue: 7 },
    expanding: { leadAdvice: 'basic-charge-method', channels: ['email', 'sms'], daysBeforeDue: 7 },
    'steady-baseload': { leadAdvice: 'basic-charge-method', channels: ['email'], daysBeforeDue: 5 },
    balanced: { leadAdvice: 'shift-peak-to-valley', channels: ['email'], daysBeforeDue: 5 },
  },
  nonKeyServicePlan: { leadAdvice: null, channels: ['email'], daysBeforeDue: 5 },
  managerWorkload: { accountWeight: '0.5', revenueWeight: '0.5', keepCurrentTolerance: '0.10' },
};

/** The configuration in effect on `date`: the latest effectiveFrom on or before it. */
export function configInEffect(
  configs: readonly KeyAccountConfig[],
  date: string,
): KeyAccountConfig | undefined {
  let found: KeyAccountConfig | undefined;
  for (const c of configs) {
    if (c.effectiveFrom <= date && (found === undefined || c.effectiveFrom >= found.effectiveFrom)) found = c;
  }
  return found;
}
