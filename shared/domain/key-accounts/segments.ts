import type { PowerFactorStandard } from '../account.ts';
import { Dec, dec } from '../money.ts';
import type { LocalisedText } from '../primitives.ts';
import type { KeyAccountConfig, SegmentId, ServicePlan } from './config.ts';
import type { UsageProfile } from './usage.ts';

/*
 * Usage segments of key accounts (billing-rules.md §9): named rules tried in order, the first that
 * matches decides, the last always matches. Each rule states its reason as one sentence with the
 * account's own figures, so an operator (or the account manager) can check it against the bills.
 * Accounts in the same segment get the same service plan (config.servicePlans).
 */

export type ConsumptionLevel = 'small' | 'medium' | 'large' | 'very-large';

export const CONSUMPTION_LEVEL_NAMES: Record<ConsumptionLevel, LocalisedText> = {
  small: { 'zh-CN': '小电量', en: 'small' },
  medium: { 'zh-CN': '中等电量', en: 'medium' },
  large: { 'zh-CN': '大电量', en: 'large' },
  'very-large': { 'zh-CN': '特大电量', en: 'very large' },
};

export function consumptionLevel(monthlyAverageKwh: Dec, config: KeyAccountConfig): ConsumptionLevel {
  const l = config.segmentation.levels;
  if (monthlyAverageKwh.gte(l.veryLargeKwhPerMonth)) return 'very-large';
  if (monthlyAverageKwh.gte(l.largeKwhPerMonth)) return 'large';
  if (monthlyAverageKwh.gte(l.mediumKwhPerMonth)) return 'medium';
  return 'small';
}

/** What the rules read: the usage profile plus the account's PF standard when the bills do not say. */
export interface SegmentFacts {
  profile: UsageProfile;
  powerFactorStandard: PowerFactorStandard;
}

interface SegmentRule {
  id: SegmentId;
  name: LocalisedText;
  /** What the segment means, one sentence. */
  description: LocalisedText;
  /** The reason this account matches, one sentence with its figures; null when it does not match. */
  match(facts: SegmentFacts, t: KeyAccountConfig['segmentation']): LocalisedText | null;
}

const pct = (v: Dec, places = 1): string =>
  `${v.toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed(places)}%`;
const share = (v: Dec): string => pct(v.times(100));
const signed = (v: Dec): string => (v.gt(0) ? `+${pct(v)}` : pct(v));
const ratio = (v: Dec, places = 2): string => v.toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed(places);

const growthBasis = (basis: 'year-on-year' | 'half-on-half'): LocalisedText =>
  basis === 'year-on-year'
    ? { 'zh-CN': '同比', en: 'year on year' }
    : { 'zh-CN': '近6个月环比前6个月', en: 'over the last six months against the six before' };

/** The segment rules in the order they are tried. */
export const SEGMENT_RULES: readonly SegmentRule[] = [
  {
    id: 'sudden-drop',
    name: { 'zh-CN': '用电骤降型', en: 'Sudden drop' },
    description: {
      'zh-CN': '最近一期电量较上期大幅下降，可能停产或减产，应先了解经营状况并提示暂停容量。',
      en: 'Energy fell sharply from the previous period, which may mean a stoppage, so the manager checks in and offers capacity suspension.',
    },
    match: ({ profile }, t) => {
      const mom = profile.momChangePercent;
      if (mom === null || mom.gt(t.suddenDropMomPercent)) return null;
      return {
        'zh-CN': `最近一期电量环比${signed(mom)}，达到骤降阈值${t.suddenDropMomPercent}%。`,
        en: `Energy changed ${signed(mom)} from the previous period, at or past the sudden-drop threshold of ${t.suddenDropMomPercent}%.`,
      };
    },
  },
  {
    id: 'shrinking',
    name: { 'zh-CN': '用电萎缩型', en: 'Shrinking' },
    description: {
      'zh-CN': '用电量持续下降，现有容量或需量可能偏大，优先建议调整基本电费计费方式。',
      en: 'Consumption is declining, so capacity or contracted demand may now be too large and the basic-charge method is reviewed first.',
    },
    match: ({ profile }, t) => {
      const g = profile.growth;
      if (g === null || g.percent.gt(t.shrinkingPercent)) return null;
      const basis = growthBasis(g.basis);
      return {
        'zh-CN': `用电量${basis['zh-CN']}${signed(g.percent)}，低于萎缩阈值${t.shrinkingPercent}%。`,
        en: `Energy changed ${signed(g.percent)} ${basis.en}, at or below the shrinking threshold of ${t.shrinkingPercent}%.`,
      };
    },
  },
  {
    id: 'power-factor-risk',
    name: { 'zh-CN': '功率因数风险型', en: 'Power-factor risk' },
    description: {
      'zh-CN': '功率因数低于考核标准或持续下滑，将被加收力调电费，优先建议无功补偿。',
      en: 'The power factor is below its standard or falling, which costs a power-factor surcharge, so reactive compensation is advised first.',
    },
    match: ({ profile, powerFactorStandard }, t) => {
      const latest = profile.powerFactorLatest;
      const standard = profile.powerFactorStandard ?? powerFactorStandard;
      if (latest?.lt(standard)) {
        return {
          'zh-CN': `最近一期功率因数${ratio(latest)}，低于考核标准${standard}。`,
          en: `The latest power factor, ${ratio(latest)}, is below its standard of ${standard}.`,
        };
      }
      const trend = profile.powerFactorTrend;
      if (trend?.lte(dec(t.powerFactorFallingBy).neg())) {
        return {
          'zh-CN': `近3期平均功率因数比前3期下降${ratio(trend.abs(), 3)}，达到下滑阈值${t.powerFactorFallingBy}。`,
          en: `The power factor averaged ${ratio(trend.abs(), 3)} lower over the last three periods than the three before, at or past the limit of ${t.powerFactorFallingBy}.`,
        };
      }
      return null;
    },
  },
  {
    id: 'peak-heavy',
    name: { 'zh-CN': '峰段集中型', en: 'Peak-heavy' },
    description: {
      'zh-CN': '尖峰时段用电占比高，移峰填谷节省最多。',
      en: 'A large share of energy is used in sharp and peak hours, where shifting load to the valley saves most.',
    },
    match: ({ profile }, t) => {
      const s = profile.peakSharpShare;
      if (s === null || s.lt(t.peakHeavyShare)) return null;
      return {
        'zh-CN': `尖峰时段电量占${share(s)}，达到峰段集中阈值${share(dec(t.peakHeavyShare))}。`,
        en: `Sharp and peak hours took ${share(s)} of energy, at or above the peak-heavy threshold of ${share(dec(t.peakHeavyShare))}.`,
      };
    },
  },
  {
    id: 'low-load-factor',
    name: { 'zh-CN': '负荷率偏低型', en: 'Low load factor' },
    description: {
      'zh-CN': '最大需量高而电量少，按容量或需量计收的基本电费负担重，优先建议比较基本电费计费方式。',
      en: 'Maximum demand is high for the energy used, so the basic charge weighs heavily and the basic-charge method is compared first.',
    },
    match: ({ profile }, t) => {
      const lf = profile.loadFactor;
      if (lf === null || lf.gte(t.lowLoadFactor)) return null;
      return {
        'zh-CN': `负荷率${share(lf)}，低于阈值${share(dec(t.lowLoadFactor))}。`,
        en: `The load factor is ${share(lf)}, below the threshold of ${share(dec(t.lowLoadFactor))}.`,
      };
    },
  },
  {
    id: 'expanding',
    name: { 'zh-CN': '用电增长型', en: 'Expanding' },
    description: {
      'zh-CN': '用电量明显增长，需关注容量余量和需量超限，优先建议核定需量或计费方式。',
      en: 'Consumption is growing, so capacity headroom and demand excess need watching and the basic-charge method is reviewed first.',
    },
    match: ({ profile }, t) => {
      const g = profile.growth;
      if (g === null || g.percent.lt(t.expandingPercent)) return null;
      const basis = growthBasis(g.basis);
      return {
        'zh-CN': `用电量${basis['zh-CN']}${signed(g.percent)}，达到增长阈值+${t.expandingPercent}%。`,
        en: `Energy changed ${signed(g.percent)} ${basis.en}, at or above the expanding threshold of +${t.expandingPercent}%.`,
      };
    },
  },
  {
    id: 'steady-baseload',
    name: { 'zh-CN': '平稳基荷型', en: 'Steady base load' },
    description: {
      'zh-CN': '负荷率高且谷段用电充分，按实际最大需量计收基本电费通常最省。',
      en: 'A high load factor with good valley use, where charging the basic charge on actual maximum demand is usually cheapest.',
    },
    match: ({ profile }, t) => {
      const lf = profile.loadFactor;
      const valley = profile.valleyShare;
      if (lf === null || valley === null || lf.lt(t.steadyLoadFactor) || valley.lt(t.steadyValleyShare)) {
        return null;
      }
      return {
        'zh-CN': `负荷率${share(lf)}（阈值${share(dec(t.steadyLoadFactor))}），谷段电量占${share(valley)}（阈值${share(dec(t.steadyValleyShare))}）。`,
        en: `The load factor is ${share(lf)} (threshold ${share(dec(t.steadyLoadFactor))}) and the valley took ${share(valley)} of energy (threshold ${share(dec(t.steadyValleyShare))}).`,
      };
    },
  },
  {
    id: 'balanced',
    name: { 'zh-CN': '均衡常规型', en: 'Balanced' },
    description: {
      'zh-CN': '用电无突出特征，按常规方案服务，账单预览先给出移峰填谷建议。',
      en: 'No usage feature stands out, so the account gets the standard plan with peak-to-valley advice first.',
    },
    match: () => ({
      'zh-CN': '用电变化、时段结构、负荷率和功率因数均未触及其他分群规则。',
      en: 'Its changes, time-of-use mix, load factor and power factor meet none of the other segment rules.',
    }),
  },
];

export const SEGMENT_ORDER: readonly SegmentId[] = SEGMENT_RULES.map((r) => r.id);

export function segmentRule(id: SegmentId): SegmentRule {
  const rule = SEGMENT_RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`unknown segment ${id}`);
  return rule;
}

export interface SegmentAssignment {
  accountId: string;
  segmentId: SegmentId;
  name: LocalisedText;
  /** Why this account is in the segment, one sentence. */
  explanation: LocalisedText;
  level: ConsumptionLevel;
  levelName: LocalisedText;
  plan: ServicePlan;
}

/** The first rule that matches decides the segment; `balanced` matches every account. */
export function segmentAccount(facts: SegmentFacts, config: KeyAccountConfig): SegmentAssignment {
  for (const rule of SEGMENT_RULES) {
    const explanation = rule.match(facts, config.segmentation);
    if (explanation === null) continue;
    const level = consumptionLevel(facts.profile.monthlyAverageKwh, config);
    const plan = config.servicePlans[rule.id];
    if (plan === undefined)
      throw new Error(`configuration ${config.version} has no service plan for ${rule.id}`);
    return {
      accountId: facts.profile.accountId,
      segmentId: rule.id,
      name: rule.name,
      explanation,
      level,
      levelName: CONSUMPTION_LEVEL_NAMES[level],
      plan,
    };
  }
  throw new Error('no segment rule matched: the last rule must match every account');
}
