import { barChartSvg, paretoChartSvg } from '../charts/svg.ts';
import { SafeString } from '../handlebars-runtime.ts';
import { Dec, dec } from '../money.ts';
import type { Language } from '../primitives.ts';
import type { KeyAccountRanking } from './ranking.ts';
import { render } from './report.hbs.ts';
import { SEGMENT_RULES } from './segments.ts';

const LABELS = {
  'zh-CN': {
    title: '大客户识别与分群报告',
    period: '账期',
    window: '统计期',
    effectiveFrom: '生效日',
    config: '配置版本',
    summary: '概要',
    accounts: '参与排名客户数',
    keyAccounts: '大客户',
    revenueShare: '大客户电费占比',
    target: '目标',
    notReached: '未达到目标',
    totalRevenue: '电费总额（元）',
    keyRevenue: '大客户电费（元）',
    changes: '变动',
    segments: '用电分群与服务方案',
    segment: '分群',
    description: '说明',
    count: '户数',
    leadAdvice: '首推建议',
    channels: '渠道',
    daysBeforeDue: '提前天数',
    account: '户号',
    name: '户名',
    change: '变动',
    reason: '原因',
    rank: '排名',
    score: '价值分 V',
    revenue: '电费（元）',
    cumulative: '累计占比',
    manager: '客户经理',
    managers: '客户经理工作量',
    load: '工作量占比',
    overrides: '人工设定',
    kind: '类型',
    value: '设定',
    validity: '有效期',
    state: '状态',
    none: '无',
    warnings: '提示',
    formula:
      'V = 100 × (w_a·a + w_b·b + w_d·d) ÷ (w_a + w_b + w_d) × e；a 客户性质，b 当前用电（近期电费与电量），d 潜在用电（容量余量、负荷率差距、增长），e 人工修正系数。',
    newlyKey: '新增大客户',
    noLongerKey: '不再是大客户',
    noChanges: '与上次识别相比没有变动。',
    firstSelection: '首次识别，无上次结果可比。',
    noticePolicy: (from: string) =>
      `大客户身份的变动自 ${from} 起生效，只影响此后安排的账单预览和通知；此前已安排或已发送的通知不撤回、不改变。`,
    active: '生效',
    expired: '已过期',
    notYet: '未到生效日',
    unknownAccount: '户号不在名单中',
    advice: {
      'shift-peak-to-valley': '移峰填谷',
      'raise-power-factor': '提高功率因数',
      'basic-charge-method': '基本电费计费方式',
    },
    channel: { email: '邮件', sms: '短信' },
    basis: { 'override-always': '人工设定：始终为大客户', pareto: '' },
  },
  en: {
    title: 'Key-account ranking and segments',
    period: 'Period',
    window: 'History',
    effectiveFrom: 'Effective from',
    config: 'Configuration',
    summary: 'Summary',
    accounts: 'Accounts ranked',
    keyAccounts: 'Key accounts',
    revenueShare: 'Key accounts’ revenue share',
    target: 'target',
    notReached: 'not reached',
    totalRevenue: 'Total revenue (CNY)',
    keyRevenue: 'Key accounts’ revenue (CNY)',
    changes: 'Changes',
    segments: 'Usage segments and service plans',
    segment: 'Segment',
    description: 'Meaning',
    count: 'Accounts',
    leadAdvice: 'Leads with',
    channels: 'Channels',
    daysBeforeDue: 'Days before due',
    account: 'Account',
    name: 'Name',
    change: 'Change',
    reason: 'Reason',
    rank: 'Rank',
    score: 'Value V',
    revenue: 'Revenue (CNY)',
    cumulative: 'Cumulative share',
    manager: 'Account manager',
    managers: 'Account managers’ workload',
    load: 'Share of work',
    overrides: 'Operator overrides',
    kind: 'Kind',
    value: 'Setting',
    validity: 'Valid',
    state: 'State',
    none: 'None.',
    warnings: 'Warnings',
    formula:
      'V = 100 × (w_a·a + w_b·b + w_d·d) ÷ (w_a + w_b + w_d) × e; a customer nature, b current consumption (recent revenue and energy), d potential consumption (capacity headroom, load-factor gap, growth), e operator correction.',
    newlyKey: 'newly key',
    noLongerKey: 'no longer key',
    noChanges: 'No change since the previous selection.',
    firstSelection: 'First selection: there is no previous one to compare with.',
    noticePolicy: (from: string) =>
      `Changes of key status apply from ${from} to previews and notices planned from that day on; notices already planned or sent are neither withdrawn nor changed.`,
    active: 'applied',
    expired: 'expired',
    notYet: 'not yet effective',
    unknownAccount: 'unknown account',
    advice: {
      'shift-peak-to-valley': 'shift peak to valley',
      'raise-power-factor': 'raise power factor',
      'basic-charge-method': 'basic-charge method',
    },
    channel: { email: 'email', sms: 'SMS' },
    basis: { 'override-always': 'operator override: always key', pareto: '' },
  },
} as const;

type Labels = (typeof LABELS)[Language];

export interface ReportView {
  lang: Language;
  title: string;
  t: Omit<Labels, 'noticePolicy' | 'advice' | 'channel' | 'basis'>;
  period: string;
  windowFrom: string;
  windowTo: string;
  effectiveFrom: string;
  configVersion: string;
  totals: { accounts: string; revenue: string };
  key: {
    count: string;
    accountPercent: string;
    revenue: string;
    revenueSharePercent: string;
    shareReached: boolean;
  };
  targetPercent: string;
  changeSummary: string;
  noticePolicy: string;
  noChanges: string;
  segments: {
    name: string;
    description: string;
    count: string;
    leadAdvice: string;
    channels: string;
    daysBeforeDue: string;
  }[];
  changes: { accountId: string; name: string; change: string; reason: string }[];
  keyAccounts: {
    rank: string;
    accountId: string;
    name: string;
    basis: string;
    score: string;
    formula: string;
    a: string;
    b: string;
    d: string;
    e: string;
    correctionReason: string;
    revenue: string;
    cumulative: string;
    segment: string;
    explanation: string;
    manager: string;
  }[];
  workloads: { managerId: string; name: string; accounts: string; revenue: string; load: string }[];
  overrides: {
    accountId: string;
    kind: string;
    value: string;
    reason: string;
    validity: string;
    state: string;
  }[];
  warnings: string[];
  /** Inline SVG drawn by charts/svg.ts, which escapes every label: SafeString, so no triple-stash. */
  charts: { pareto: SafeString; segments: SafeString };
}

const grouped = (fixed: string): string => {
  const [int = '0', frac] = fixed.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${frac === undefined ? '' : `.${frac}`}`;
};
const percentOf = (ratio: string): string =>
  dec(ratio).times(100).toDecimalPlaces(1, Dec.ROUND_HALF_UP).toFixed(1);
const short = (v: string, places: number): string =>
  dec(v).toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed(places);

export function buildReportView(
  result: KeyAccountRanking,
  language: Language,
  accountNames: ReadonlyMap<string, string> = new Map(),
): ReportView {
  const L = LABELS[language];
  const { noticePolicy, advice, channel, basis, ...t } = L;
  const rankedNames = new Map(result.ranking.map((r) => [r.accountId, r.name]));
  const nameOf = (id: string): string => rankedNames.get(id) ?? accountNames.get(id) ?? '';
  const newly = result.changes.filter((c) => c.change === 'newly-key').length;
  const gone = result.changes.length - newly;
  return {
    lang: language,
    title: L.title,
    t,
    period: result.period,
    windowFrom: result.windowFrom,
    windowTo: result.windowTo,
    effectiveFrom: result.effectiveFrom,
    configVersion: result.configVersion,
    totals: { accounts: grouped(String(result.totals.accounts)), revenue: grouped(result.totals.revenue) },
    key: {
      count: grouped(String(result.key.count)),
      accountPercent: result.key.accountPercent,
      revenue: grouped(result.key.revenue),
      revenueSharePercent: percentOf(result.key.revenueShare),
      shareReached: result.key.shareReached,
    },
    targetPercent: percentOf(result.targetShare),
    changeSummary:
      result.previousEffectiveFrom === null
        ? L.firstSelection
        : `${L.newlyKey} ${newly} · ${L.noLongerKey} ${gone}`,
    noticePolicy: noticePolicy(result.effectiveFrom),
    noChanges: result.previousEffectiveFrom === null ? L.firstSelection : L.noChanges,
    segments: segmentRows(result, language),
    changes: result.changes.map((c) => ({
      accountId: c.accountId,
      name: nameOf(c.accountId),
      change: c.change === 'newly-key' ? L.newlyKey : L.noLongerKey,
      reason: c.reason,
    })),
    keyAccounts: keyAccountRows(result, language),
    workloads: result.workloads.map((w) => ({
      managerId: w.managerId,
      name: w.name,
      accounts: String(w.accounts),
      revenue: grouped(w.revenue),
      load: percentOf(w.load),
    })),
    overrides: overrideRows(result, language),
    warnings: result.warnings,
    charts: reportCharts(result, language),
  };
}

const CHART_TITLES = {
  'zh-CN': {
    pareto: '帕累托曲线（累计电费占比）',
    target: '目标',
    key: '大客户',
    segments: '各分群大客户数',
  },
  en: {
    pareto: 'Pareto curve (cumulative revenue share)',
    target: 'target',
    key: 'key accounts',
    segments: 'Key accounts per segment',
  },
} as const;

/** The Pareto curve with the target line and the key accounts' cut, and the accounts of each segment. */
function reportCharts(result: KeyAccountRanking, language: Language): ReportView['charts'] {
  const T = CHART_TITLES[language];
  const pareto = paretoChartSvg(
    T.pareto,
    result.ranking.map((r) => Number(r.revenue)),
    {
      targetShare: Number(result.targetShare),
      keyCount: result.key.count,
      targetLabel: `${T.target} ${percentOf(result.targetShare)}%`,
      keyLabel: `${T.key} ${result.key.count}`,
    },
  );
  const segments = barChartSvg(
    T.segments,
    SEGMENT_RULES.map((rule) => ({ label: rule.name[language], value: result.segmentCounts[rule.id] })),
  );
  return { pareto: new SafeString(pareto), segments: new SafeString(segments) };
}

function segmentRows(result: KeyAccountRanking, language: Language): ReportView['segments'] {
  const { advice, channel } = LABELS[language];
  const otherLanguage = language === 'zh-CN' ? 'en' : 'zh-CN';
  return SEGMENT_RULES.map((rule) => {
    const plan = result.servicePlans[rule.id];
    return {
      name: `${rule.name[language]} / ${rule.name[otherLanguage]}`,
      description: rule.description[language],
      count: String(result.segmentCounts[rule.id]),
      leadAdvice: advice[plan.leadAdvice],
      channels: plan.channels.map((c) => channel[c]).join(' + '),
      daysBeforeDue: String(plan.daysBeforeDue),
    };
  });
}

function keyAccountRows(result: KeyAccountRanking, language: Language): ReportView['keyAccounts'] {
  const { basis } = LABELS[language];
  const managerOf = new Map(result.assignments.map((a) => [a.accountId, a]));
  const segmentOf = new Map(result.segments.map((s) => [s.accountId, s]));
  return result.ranking
    .filter((r) => r.isKey)
    .map((r) => {
      const s = segmentOf.get(r.accountId);
      const m = managerOf.get(r.accountId);
      return {
        rank: String(r.rank),
        accountId: r.accountId,
        name: r.name,
        basis: r.keyBasis === null ? '' : basis[r.keyBasis],
        score: short(r.score, 2),
        formula: r.components.formula,
        a: short(r.components.nature.value, 3),
        b: short(r.components.current.value, 3),
        d: short(r.components.potential.value, 3),
        e: r.components.correction.coefficient,
        correctionReason: r.components.correction.reason ?? '',
        revenue: grouped(r.revenue),
        cumulative: percentOf(r.cumulativeShare),
        segment: s === undefined ? '' : s.name[language],
        explanation: s === undefined ? '' : s.explanation[language],
        manager: m === undefined ? '' : `${m.managerName} (${m.managerId})`,
      };
    });
}

/** Applied overrides first, then the ignored ones with why. */
function overrideRows(result: KeyAccountRanking, language: Language): ReportView['overrides'] {
  const L = LABELS[language];
  return [
    ...result.overrides.applied.map((o) => ({ o, state: L.active })),
    ...result.overrides.ignored.map((i) => ({
      o: i.override,
      state: i.why === 'expired' ? L.expired : i.why === 'not-yet-effective' ? L.notYet : L.unknownAccount,
    })),
  ].map(({ o, state }) => ({
    accountId: o.accountId,
    kind: o.kind,
    value: o.kind === 'key-status' ? o.status : o.kind === 'score-correction' ? o.coefficient : o.managerId,
    reason: o.reason,
    validity: `${o.setOn} – ${o.expiresOn ?? ''}`,
    state,
  }));
}

/** The operators' HTML report; every value from the data is HTML-escaped. */
export function renderKeyAccountHtml(
  result: KeyAccountRanking,
  options: { language?: Language; accountNames?: ReadonlyMap<string, string> } = {},
): string {
  return render(buildReportView(result, options.language ?? 'zh-CN', options.accountNames));
}
