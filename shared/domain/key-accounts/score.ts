import type { Account } from '../account.ts';
import { decOf, divideHalfUp, Fx } from '../decimal/fixed-point.ts';
import { Dec, dec } from '../money.ts';
import type { KeyAccountConfig, NormalisationMethod } from './config.ts';
import type { ScoreCorrection } from './overrides.ts';
import type { UsageProfile } from './usage.ts';

/*
 * Customer value V = f(a, b, d, e) (billing-rules.md §9):
 *
 *   V = 100 × (w_a·a + w_b·b + w_d·d) ÷ (w_a + w_b + w_d) × e
 *
 *   a  customer nature: the category's weight (+ a bonus for an important customer), 0–1
 *   b  current consumption: last N periods' revenue and energy, each normalised across the population
 *   d  potential consumption: monthly energy the account could add (capacity headroom at its load factor,
 *      load-factor gap to the target at its maximum demand, growth), normalised across the population
 *   e  the operator's correction coefficient (1 unless set, clamped to the configured range)
 *
 * Scores are decimals, not money: each component is rounded half-up to 6 places and the score is computed
 * from the rounded components and rounded to 4 places, so the printed contributions add up to the score
 * (to the last place).
 */

const ZERO = dec(0);
const ONE = dec(1);
const HUNDRED = dec(100);
const CENT = dec('0.01');
const COMPONENT_PLACES = 6;
const SCORE_PLACES = 4;

const round = (v: Dec, places: number): Dec => v.toDecimalPlaces(places, Dec.ROUND_HALF_UP);
const str = (v: Dec, places: number): string => v.toFixed(places, Dec.ROUND_HALF_UP);
const clamp01 = (v: Dec): Dec => (v.lt(0) ? ZERO : v.gt(1) ? ONE : v);
const positive = (v: Dec): Dec => (v.lt(0) ? ZERO : v);

export interface ScoreComponents {
  /** a */
  nature: {
    category: Account['category'];
    categoryWeight: string;
    important: boolean;
    importantBonus: string;
    value: string;
    weight: string;
    contribution: string;
  };
  /** b */
  current: {
    revenue: string;
    energyKwh: string;
    revenueNormalised: string;
    energyNormalised: string;
    value: string;
    weight: string;
    contribution: string;
  };
  /** d */
  potential: {
    usableCapacityKw: string;
    peakDemandKw: string;
    capacityHeadroomKw: string;
    loadFactor: string | null;
    capacityHeadroomKwh: string;
    loadFactorGapKwh: string;
    growthPercent: string | null;
    growthBasis: 'year-on-year' | 'half-on-half' | null;
    growthKwh: string;
    /** Weighted sum of the three, kWh a month. */
    potentialKwh: string;
    value: string;
    weight: string;
    contribution: string;
  };
  /** e */
  correction: {
    coefficient: string;
    /** As the operator set it, when it was clamped to the configured range. */
    requested: string | null;
    reason: string | null;
  };
  /** The arithmetic in one line, e.g. "V = 100 × (0.15×1.000000 + …) ÷ 1.00 × 1.00 = 76.1234". */
  formula: string;
}

export interface ValueScore {
  accountId: string;
  score: string;
  components: ScoreComponents;
}

/** Brings each value to 0–1 relative to the population (6 decimal places). */
export function normalise(values: readonly Dec[], method: NormalisationMethod): Dec[] {
  if (values.length === 0) return [];
  if (method === 'percentile') {
    if (values.length === 1) return [ONE];
    // Mid-rank percentile: equal values share a rank, so ties normalise alike. The rank is an exact
    // fraction (start + end) / (2 (n − 1)), rounded half-up to 6 places in integers.
    const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v.comparedTo(y.v));
    const result = new Array<Dec>(values.length);
    const denominator = 2n * BigInt(values.length - 1);
    let start = 0;
    while (start < order.length) {
      let end = start;
      while (end + 1 < order.length && order[end + 1]!.v.eq(order[start]!.v)) end += 1;
      const micro = divideHalfUp(BigInt(start + end) * 1_000_000n, denominator);
      const rank = decOf(new Fx(micro, COMPONENT_PLACES));
      for (let k = start; k <= end; k += 1) result[order[k]!.i] = rank;
      start = end + 1;
    }
    return result;
  }
  const max = values.reduce((m, v) => (v.gt(m) ? v : m), ZERO);
  if (max.isZero()) return values.map(() => ZERO);
  if (method === 'linear-max')
    return values.map((v) => round(clamp01(positive(v).div(max)), COMPONENT_PLACES));
  const lnMax = max.plus(1).ln();
  return values.map((v) => round(clamp01(positive(v).plus(1).ln().div(lnMax)), COMPONENT_PLACES));
}

interface ScoreInput {
  account: Account;
  profile: UsageProfile;
  correction?: ScoreCorrection;
}

export interface ScoreResult {
  scores: ValueScore[];
  /** Corrections outside the configured range, clamped. */
  warnings: string[];
}

/** Scores every account against the population given (normalisation is relative to it). */
export function computeValueScores(inputs: readonly ScoreInput[], config: KeyAccountConfig): ScoreResult {
  const warnings: string[] = [];
  const potentials = monthlyPotentials(inputs, config);

  const method = config.normalisation.method;
  const revenueN = normalise(
    inputs.map((i) => i.profile.revenue),
    method,
  );
  const energyN = normalise(
    inputs.map((i) => i.profile.energyKwh),
    method,
  );
  const potentialN = normalise(
    potentials.map((x) => x.total),
    method,
  );

  const parameters = scoreParameters(config);
  const scores = inputs.map((input, i): ValueScore => {
    const normalised = { revenue: revenueN[i]!, energy: energyN[i]!, potential: potentialN[i]! };
    return valueScore(input, normalised, potentials[i]!, parameters, config, warnings);
  });
  return { scores, warnings };
}

/** d's inputs for one account, kWh a month (total: their weighted sum). */
interface Potential {
  usableKw: Dec;
  headroomKw: Dec;
  headroomKwh: Dec;
  lfGapKwh: Dec;
  growthKwh: Dec;
  total: Dec;
}

function monthlyPotentials(inputs: readonly ScoreInput[], config: KeyAccountConfig): Potential[] {
  const p = config.potential;
  const capacityPf = dec(p.capacityPowerFactor);
  const targetLf = dec(p.targetLoadFactor);
  const wHeadroom = dec(p.capacityHeadroomWeight);
  const wLfGap = dec(p.loadFactorGapWeight);
  const wGrowth = dec(p.growthWeight);
  return inputs.map(({ account, profile }) => {
    const usableKw = dec(account.capacityKva)
      .minus(account.suspendedKva ?? 0)
      .times(capacityPf);
    // Without bills there is no demand to compare the capacity with: no potential is claimed.
    const hasHistory = profile.billedPeriods > 0;
    const headroomKw = hasHistory ? positive(usableKw.minus(profile.peakDemandKw)) : ZERO;
    const lf = profile.loadFactor;
    const headroomKwh = lf === null ? ZERO : headroomKw.times(profile.averageHours).times(lf);
    const lfGapKwh =
      lf === null
        ? ZERO
        : positive(targetLf.minus(lf)).times(profile.peakDemandKw).times(profile.averageHours);
    const growthKwh =
      profile.growth === null
        ? ZERO
        : positive(profile.growth.percent).times(CENT).times(profile.monthlyAverageKwh);
    const total = headroomKwh.times(wHeadroom).plus(lfGapKwh.times(wLfGap)).plus(growthKwh.times(wGrowth));
    return { usableKw, headroomKw, headroomKwh, lfGapKwh, growthKwh, total };
  });
}

/** The configuration's weights and correction range in the form the score needs them, once per run. */
interface ScoreParameters {
  weightSumText: string;
  categoryWeights: Map<string, Dec>;
  importantBonus: Dec;
  factor: { nature: Dec; current: Dec; potential: Dec };
  revenueShare: Dec;
  energyShare: Dec;
  correctionRange: { min: Dec; max: Dec };
}

function scoreParameters(config: KeyAccountConfig): ScoreParameters {
  const w = config.weights;
  const weightSum = dec(w.nature).plus(w.current).plus(w.potential);
  const weightSumText = weightSum.toFixed();
  const categoryWeights = new Map(
    Object.entries(config.nature.categoryWeights).map(([category, weight]) => [category, dec(weight)]),
  );
  const importantBonus = dec(config.nature.importantBonus);
  // 100 × w_i ÷ Σw, once: each contribution is then factor × component × e.
  const factor = {
    nature: HUNDRED.times(w.nature).div(weightSum),
    current: HUNDRED.times(w.current).div(weightSum),
    potential: HUNDRED.times(w.potential).div(weightSum),
  };
  const subSum = dec(config.current.revenueWeight).plus(config.current.energyWeight);
  const revenueShare = dec(config.current.revenueWeight).div(subSum);
  const energyShare = dec(config.current.energyWeight).div(subSum);
  const cMin = dec(config.correction.min);
  const cMax = dec(config.correction.max);
  return {
    weightSumText,
    categoryWeights,
    importantBonus,
    factor,
    revenueShare,
    energyShare,
    correctionRange: { min: cMin, max: cMax },
  };
}

/** e: the operator's coefficient clamped to the configured range (a warning when it was clamped). */
function correctionCoefficient(
  account: Account,
  correction: ScoreCorrection | undefined,
  config: KeyAccountConfig,
  { min: cMin, max: cMax }: ScoreParameters['correctionRange'],
  warnings: string[],
): { e: Dec; requested: string | null } {
  let e = ONE;
  let requested: string | null = null;
  if (correction !== undefined) {
    const asked = dec(correction.coefficient);
    e = asked.lt(cMin) ? cMin : asked.gt(cMax) ? cMax : asked;
    if (!e.eq(asked)) {
      requested = correction.coefficient;
      warnings.push(
        `${account.accountId}: correction ${correction.coefficient} outside ${config.correction.min}–${config.correction.max}, used ${e.toFixed()}`,
      );
    }
  }
  return { e, requested };
}

function valueScore(
  { account, profile, correction }: ScoreInput,
  normalised: { revenue: Dec; energy: Dec; potential: Dec },
  x: Potential,
  parameters: ScoreParameters,
  config: KeyAccountConfig,
  warnings: string[],
): ValueScore {
  const w = config.weights;
  const { factor } = parameters;
  const categoryWeight = parameters.categoryWeights.get(account.category) ?? ZERO;
  const bonus = account.important ? parameters.importantBonus : ZERO;
  const a = round(clamp01(categoryWeight.plus(bonus)), COMPONENT_PLACES);
  const rn = normalised.revenue;
  const en = normalised.energy;
  const b = round(rn.times(parameters.revenueShare).plus(en.times(parameters.energyShare)), COMPONENT_PLACES);
  const d = normalised.potential;

  const { e, requested } = correctionCoefficient(
    account,
    correction,
    config,
    parameters.correctionRange,
    warnings,
  );

  const share = (f: Dec, value: Dec): Dec => round(f.times(value).times(e), COMPONENT_PLACES);
  const cA = share(factor.nature, a);
  const cB = share(factor.current, b);
  const cD = share(factor.potential, d);
  const score = round(cA.plus(cB).plus(cD), SCORE_PLACES);
  const [aText, bText, dText, eText] = [
    a.toFixed(COMPONENT_PLACES),
    b.toFixed(COMPONENT_PLACES),
    d.toFixed(COMPONENT_PLACES),
    e.toFixed(),
  ];
  const scoreText = score.toFixed(SCORE_PLACES);
  const formula =
    `V = 100 × (${w.nature}×${aText} + ${w.current}×${bText} + ${w.potential}×${dText}) ÷ ${parameters.weightSumText} × ` +
    `${eText} = ${scoreText}`;

  return {
    accountId: account.accountId,
    score: scoreText,
    components: {
      nature: {
        category: account.category,
        categoryWeight: categoryWeight.toFixed(),
        important: account.important ?? false,
        importantBonus: bonus.toFixed(),
        value: aText,
        weight: w.nature,
        contribution: cA.toFixed(COMPONENT_PLACES),
      },
      current: {
        revenue: str(profile.revenue, 2),
        energyKwh: str(profile.energyKwh, 0),
        revenueNormalised: rn.toFixed(COMPONENT_PLACES),
        energyNormalised: en.toFixed(COMPONENT_PLACES),
        value: bText,
        weight: w.current,
        contribution: cB.toFixed(COMPONENT_PLACES),
      },
      potential: potentialComponent(profile, x, { value: dText, weight: w.potential, contribution: cD }),
      correction: {
        coefficient: eText,
        requested,
        reason: correction?.reason ?? null,
      },
      formula,
    },
  };
}

function potentialComponent(
  profile: UsageProfile,
  x: Potential,
  d: { value: string; weight: string; contribution: Dec },
): ScoreComponents['potential'] {
  return {
    usableCapacityKw: str(x.usableKw, 0),
    peakDemandKw: profile.peakDemandKw.toFixed(),
    capacityHeadroomKw: str(x.headroomKw, 0),
    loadFactor: profile.loadFactor === null ? null : str(profile.loadFactor, 4),
    capacityHeadroomKwh: str(x.headroomKwh, 0),
    loadFactorGapKwh: str(x.lfGapKwh, 0),
    growthPercent: profile.growth === null ? null : str(profile.growth.percent, 1),
    growthBasis: profile.growth?.basis ?? null,
    growthKwh: str(x.growthKwh, 0),
    potentialKwh: str(x.total, 0),
    value: d.value,
    weight: d.weight,
    contribution: d.contribution.toFixed(COMPONENT_PLACES),
  };
}
