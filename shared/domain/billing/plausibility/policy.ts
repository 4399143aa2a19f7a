import { z } from 'zod';
import { dec } from '../../money.ts';
import { DecimalString, IsoDate } from '../../primitives.ts';

/*
 * The plausibility policy (issue #12 item 3, #11 item 3): when a new bill version is held for an
 * operator's review instead of being sent as a preview. Thresholds are a versioned document, as the
 * key-account and arrears policies are: a change of policy is a new version with a new effective date,
 * never a code change, and every hold records the version that decided it.
 */

const Factor = DecimalString.refine((v) => dec(v).gt(1), { message: 'expected a factor above 1' });
const Share = DecimalString.refine((v) => dec(v).gte(0) && dec(v).lte(1), { message: 'expected 0 to 1' });
const Minimum = DecimalString.refine((v) => dec(v).gte(0), { message: 'must not be negative' });
const FindingCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'expected a finding code such as IMPLAUSIBLE_ROLLOVER');

export const PlausibilityPolicySchema = z
  .object({
    /** Recorded on every hold it decided. */
    version: z.string().regex(/^[A-Za-z0-9.-]{1,32}$/, 'expected a short version label'),
    /** First period (its first day) the version applies to. */
    effectiveFrom: IsoDate,
    /**
     * The bill against the account's own history (the bill's comparison: the previous period and the same
     * period last year): held when its total or its consumption is more than `factor` times the earlier
     * one, or less than the earlier one divided by `factor`. Earlier values below the minimums are too
     * small to compare with (a new connection's first weeks).
     */
    change: z
      .object({
        factor: Factor,
        minimumEarlierTotal: Minimum,
        minimumEarlierKwh: Minimum,
      })
      .strict(),
    /** Held when an account in supply (connected, not terminated, not wholly suspended) used no energy. */
    holdZeroConsumption: z.boolean(),
    /** Held when more than this share of the account's meters were read by estimate. */
    maxEstimatedShare: Share,
    /**
     * Held when the maximum demand exceeds the contracted demand times `ofContract` (accounts with a
     * contracted demand), or the capacity in operation (kW against kVA) times `ofCapacity`.
     */
    demand: z.object({ ofContract: Factor, ofCapacity: Factor }).strict(),
    /** Held when the total is below zero. */
    holdNegativeTotal: z.boolean(),
    /**
     * Findings of the engine that hold the bill, by code. A finding the engine marks `severity: 'hold'`
     * holds whatever this list says, so a new finding holds without a new policy.
     */
    holdingFindings: z.array(FindingCode).max(100),
  })
  .strict();
export type PlausibilityPolicy = z.infer<typeof PlausibilityPolicySchema>;

/** The policy in force since the held-bill mechanism exists. */
export const PLAUSIBILITY_POLICY_V1: PlausibilityPolicy = PlausibilityPolicySchema.parse({
  version: '2026-12.1',
  effectiveFrom: '2020-01-01',
  change: { factor: '3', minimumEarlierTotal: '1000', minimumEarlierKwh: '1000' },
  holdZeroConsumption: true,
  maxEstimatedShare: '0.5',
  demand: { ofContract: '2', ofCapacity: '1.2' },
  holdNegativeTotal: true,
  holdingFindings: ['IMPLAUSIBLE_ROLLOVER', 'BAND_SUM_MISMATCH', 'UNPAIRED_METER_CHANGE'],
});

/** Every version, oldest first. */
export const PLAUSIBILITY_POLICIES: readonly PlausibilityPolicy[] = [PLAUSIBILITY_POLICY_V1];

/** The version in force for a period: the latest whose effectiveFrom is on or before the period's first day. */
export function plausibilityPolicyFor(
  period: string,
  policies: readonly PlausibilityPolicy[] = PLAUSIBILITY_POLICIES,
): PlausibilityPolicy {
  const firstDay = `${period}-01`;
  const inForce = policies
    .filter((p) => p.effectiveFrom <= firstDay)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  const policy = inForce.at(-1) ?? policies[0];
  if (policy === undefined) throw new Error('no plausibility policy');
  return policy;
}
