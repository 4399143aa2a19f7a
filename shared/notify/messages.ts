import type { Language, TouBand } from '#domain/primitives.ts';

/*
 * Every fixed string a customer reads, per language. Values (amounts, dates, names) are formatted
 * elsewhere and passed in already formatted; nothing here formats a number.
 */

/** Fixed labels: plain strings the templates print as they are (escaped). */
export interface Labels {
  heading: string;
  accountLabel: string;
  periodLabel: string;
  totalLabel: string;
  dueDateLabel: string;
  changeHeading: string;
  previousPeriod: string;
  samePeriodLastYear: string;
  consumptionLabel: string;
  averagePriceLabel: string;
  actionsHeading: string;
  savingLabel: string;
  linesHeading: string;
  itemColumn: string;
  quantityColumn: string;
  unitPriceColumn: string;
  amountColumn: string;
  linesTotal: string;
  bandsHeading: string;
  bandsTotal: string;
  powerFactorHeading: string;
  powerFactorLabel: string;
  powerFactorStandardLabel: string;
  powerFactorAdjustmentLabel: string;
  demandHeading: string;
  maxDemandLabel: string;
  contractedDemandLabel: string;
  capacityLabel: string;
  historyHeading: string;
  managerHeading: string;
  managerPhone: string;
  managerEmail: string;
  previewNotice: string;
  automatedNotice: string;
  band: Record<TouBand, string>;
  /** Punctuation that differs between the languages (full-width in Chinese). */
  colon: string;
  openParen: string;
  closeParen: string;
}

/** Sentences with values in them. */
export interface Phrases {
  subject(p: { period: string; total: string; accountId: string; corrected: boolean }): string;
  preheader(p: { period: string; total: string; dueDate: string }): string;
  correctedBanner(p: { period: string; version: number | undefined }): string;
  accountLine(p: { accountId: string; period: string }): string;
  payBy(p: { dueDate: string }): string;
  /** `percent` is signed and formatted ("+6.5%"); null when the earlier total was zero. */
  totalChange(p: {
    direction: 1 | -1 | 0;
    percent: string | null;
    label: string;
    period: string;
    total: string;
  }): string;
  kwhChange(p: { direction: 1 | -1 | 0; percent: string | null; kwh: string; previousKwh: string }): string;
  averagePrice(p: { current: string; previous: string | null }): string;
  powerFactorVerdict(p: { direction: 1 | -1 | 0; percent: string }): string;
  demandVerdict(p: { ratioPercent: string; exceeded: boolean }): string;
  historyRange(p: { from: string; to: string }): string;
  historyExtremes(p: { highPeriod: string; high: string; lowPeriod: string; low: string }): string;
  saving(p: { amount: string }): string;
  contactManager(p: { name: string }): string;
  version(p: { version: number }): string;
  /** Unit of a bill line as the customer reads it. */
  unit(unit: string): string;
  sms: SmsPhrases;
}

/** SMS drafts, longest first; the renderer picks the first that fits in two segments. */
export interface SmsPhrases {
  full(p: SmsValues & { name: string; managerName: string; managerPhone: string }): string;
  /** `managerName` may be empty (a name in another script would force UCS-2). */
  withoutName(p: SmsValues & { managerName: string; managerPhone: string }): string;
  short(p: SmsValues): string;
  minimal(p: Omit<SmsValues, 'change'>): string;
}

export interface SmsValues {
  corrected: boolean;
  accountId: string;
  period: string;
  total: string;
  dueDate: string;
  /** Already a phrase ("较上月+6.5%" / "+6.5% on Sep 2026"), or empty. */
  change: string;
}

export interface Messages {
  labels: Labels;
  phrases: Phrases & { smsChange(p: { percent: string; period: string }): string };
}

const zhCN: Messages = {
  labels: {
    heading: '电费预告',
    accountLabel: '账户',
    periodLabel: '账期',
    totalLabel: '本期预计电费',
    dueDateLabel: '缴费截止日',
    changeHeading: '与以往相比',
    previousPeriod: '上期',
    samePeriodLastYear: '去年同期',
    consumptionLabel: '用电量',
    averagePriceLabel: '平均电价',
    actionsHeading: '您可以做什么',
    savingLabel: '可节省约',
    linesHeading: '电费明细',
    itemColumn: '项目',
    quantityColumn: '数量',
    unitPriceColumn: '单价',
    amountColumn: '金额',
    linesTotal: '合计',
    bandsHeading: '分时用电量',
    bandsTotal: '总用电量',
    powerFactorHeading: '功率因数',
    powerFactorLabel: '本期功率因数',
    powerFactorStandardLabel: '考核标准',
    powerFactorAdjustmentLabel: '调整比例',
    demandHeading: '需量与容量',
    maxDemandLabel: '最大需量',
    contractedDemandLabel: '合同需量',
    capacityLabel: '受电容量',
    historyHeading: '近期电费',
    managerHeading: '您的客户经理',
    managerPhone: '电话',
    managerEmail: '邮箱',
    previewNotice: '本邮件为电费预告，仅供参考，实际金额以正式电费账单为准。',
    automatedNotice: '本邮件由系统自动发送，请勿直接回复；如有疑问请联系您的客户经理。',
    band: { sharp: '尖峰', peak: '高峰', flat: '平段', valley: '低谷' },
    colon: '：',
    openParen: '（',
    closeParen: '）',
  },
  phrases: {
    subject: ({ period, total, accountId, corrected }) =>
      `${corrected ? '【更正】' : ''}【电费预告】${period} 电费 ${total}（账户 ${accountId}）`,
    preheader: ({ period, total, dueDate }) => `${period}电费预计 ${total}，请于 ${dueDate} 前缴清。`,
    correctedBanner: ({ period, version }) =>
      `更正：本邮件更正此前发送的${period}电费预告${version === undefined ? '' : `（现为第 ${version} 版）`}，请以本邮件为准。`,
    accountLine: ({ accountId, period }) => `账户 ${accountId} · ${period}`,
    payBy: ({ dueDate }) => `请于 ${dueDate} 前缴清电费，逾期将按日加收违约金。`,
    totalChange: ({ direction, percent, label, period, total }) =>
      percent === null
        ? `${label}（${period}）电费 ${total}`
        : direction === 0
          ? `与${label}（${period}，${total}）持平`
          : `比${label}（${period}，${total}）${direction > 0 ? '增加' : '减少'} ${percent.replace(/^[+-]/, '')}`,
    kwhChange: ({ direction, percent, kwh, previousKwh }) =>
      percent === null || direction === 0
        ? `${kwh} kWh（上期 ${previousKwh} kWh）`
        : `${kwh} kWh，比上期 ${previousKwh} kWh ${direction > 0 ? '增加' : '减少'} ${percent.replace(/^[+-]/, '')}`,
    averagePrice: ({ current, previous }) =>
      previous === null ? `${current}/kWh` : `${current}/kWh（上期 ${previous}/kWh）`,
    powerFactorVerdict: ({ direction, percent }) =>
      direction < 0
        ? `高于考核标准，电费减收 ${percent.replace(/^-/, '')}。`
        : direction > 0
          ? `低于考核标准，电费增收 ${percent.replace(/^\+/, '')}；提高功率因数（如投入无功补偿）可避免。`
          : '达到考核标准，电费不作调整。',
    demandVerdict: ({ ratioPercent, exceeded }) =>
      exceeded
        ? `最大需量为合同需量的 ${ratioPercent}，超过 105% 的部分按两倍价格计收基本电费。`
        : `最大需量为合同需量的 ${ratioPercent}。`,
    historyRange: ({ from, to }) => `${from} – ${to}`,
    historyExtremes: ({ highPeriod, high, lowPeriod, low }) =>
      `最高 ${highPeriod} ${high}；最低 ${lowPeriod} ${low}`,
    saving: ({ amount }) => `按本期用电测算，可节省约 ${amount}`,
    contactManager: ({ name }) => `对电费有疑问，或需要用电方案建议，请联系客户经理${name}。`,
    version: ({ version }) => `版本 ${version}`,
    unit: (unit) => unit,
    smsChange: ({ percent }) => `，较上期${percent}`,
    sms: {
      full: (p) =>
        `${p.corrected ? '更正：' : ''}电费预告：${p.name}（账户${p.accountId}）${p.period}电费${p.total}${p.change}，请于${p.dueDate}前缴清。以正式账单为准。咨询客户经理${p.managerName}${p.managerName === '' ? '' : ' '}${p.managerPhone}`,
      withoutName: (p) =>
        `${p.corrected ? '更正：' : ''}电费预告：账户${p.accountId} ${p.period}电费${p.total}${p.change}，请于${p.dueDate}前缴清。以正式账单为准。咨询客户经理${p.managerName}${p.managerName === '' ? '' : ' '}${p.managerPhone}`,
      short: (p) =>
        `${p.corrected ? '更正：' : ''}电费预告：账户${p.accountId} ${p.period}电费${p.total}${p.change}，请于${p.dueDate}前缴清。以正式账单为准。`,
      minimal: (p) =>
        `${p.corrected ? '更正：' : ''}账户${p.accountId} ${p.period}电费${p.total}，${p.dueDate}前缴清。`,
    },
  },
};

const en: Messages = {
  labels: {
    heading: 'Bill preview',
    accountLabel: 'Account',
    periodLabel: 'Period',
    totalLabel: 'Expected bill this period',
    dueDateLabel: 'Due date',
    changeHeading: 'Compared with earlier bills',
    previousPeriod: 'previous period',
    samePeriodLastYear: 'same period last year',
    consumptionLabel: 'Consumption',
    averagePriceLabel: 'Average price',
    actionsHeading: 'What you can do',
    savingLabel: 'Could save about',
    linesHeading: 'Bill details',
    itemColumn: 'Item',
    quantityColumn: 'Quantity',
    unitPriceColumn: 'Unit price',
    amountColumn: 'Amount',
    linesTotal: 'Total',
    bandsHeading: 'Consumption by time of use',
    bandsTotal: 'Total consumption',
    powerFactorHeading: 'Power factor',
    powerFactorLabel: 'Power factor this period',
    powerFactorStandardLabel: 'Standard',
    powerFactorAdjustmentLabel: 'Adjustment',
    demandHeading: 'Demand and capacity',
    maxDemandLabel: 'Maximum demand',
    contractedDemandLabel: 'Contracted demand',
    capacityLabel: 'Connected capacity',
    historyHeading: 'Recent bills',
    managerHeading: 'Your account manager',
    managerPhone: 'Phone',
    managerEmail: 'Email',
    previewNotice: 'This is a preview for your information; the final bill prevails.',
    automatedNotice:
      'This message was sent automatically; please do not reply. Contact your account manager with any questions.',
    band: { sharp: 'Sharp peak', peak: 'Peak', flat: 'Flat', valley: 'Valley' },
    colon: ': ',
    openParen: ' (',
    closeParen: ')',
  },
  phrases: {
    subject: ({ period, total, accountId, corrected }) =>
      `${corrected ? 'Corrected: ' : ''}Bill preview ${period}: ${total} (account ${accountId})`,
    preheader: ({ period, total, dueDate }) =>
      `Your ${period} bill is expected to be ${total}, due ${dueDate}.`,
    correctedBanner: ({ period, version }) =>
      `Correction: this preview replaces the ${period} preview we sent earlier${version === undefined ? '' : ` (this is version ${version})`}. Please use this one.`,
    accountLine: ({ accountId, period }) => `Account ${accountId} · ${period}`,
    payBy: ({ dueDate }) => `Please pay by ${dueDate}; a late-payment charge accrues daily after that.`,
    totalChange: ({ direction, percent, label, period, total }) =>
      percent === null
        ? `${capitalise(label)} (${period}): ${total}`
        : direction === 0
          ? `Unchanged from the ${label} (${period}, ${total})`
          : `${direction > 0 ? 'Up' : 'Down'} ${percent.replace(/^[+-]/, '')} on the ${label} (${period}, ${total})`,
    kwhChange: ({ direction, percent, kwh, previousKwh }) =>
      percent === null || direction === 0
        ? `${kwh} kWh (previous period ${previousKwh} kWh)`
        : `${kwh} kWh, ${direction > 0 ? 'up' : 'down'} ${percent.replace(/^[+-]/, '')} on ${previousKwh} kWh in the previous period`,
    averagePrice: ({ current, previous }) =>
      previous === null ? `${current}/kWh` : `${current}/kWh (previous period ${previous}/kWh)`,
    powerFactorVerdict: ({ direction, percent }) =>
      direction < 0
        ? `Above the standard: your bill is reduced by ${percent.replace(/^-/, '')}.`
        : direction > 0
          ? `Below the standard: your bill is increased by ${percent.replace(/^\+/, '')}; raising the power factor (e.g. reactive compensation) avoids this.`
          : 'At the standard: no adjustment.',
    demandVerdict: ({ ratioPercent, exceeded }) =>
      exceeded
        ? `Maximum demand was ${ratioPercent} of the contracted demand; the part above 105% is charged at double the price.`
        : `Maximum demand was ${ratioPercent} of the contracted demand.`,
    historyRange: ({ from, to }) => `${from} – ${to}`,
    historyExtremes: ({ highPeriod, high, lowPeriod, low }) =>
      `Highest ${highPeriod} ${high}; lowest ${lowPeriod} ${low}`,
    saving: ({ amount }) => `Could have saved about ${amount} this period`,
    contactManager: ({ name }) =>
      `Questions about this bill, or want advice on your supply? Contact your account manager, ${name}.`,
    version: ({ version }) => `Version ${version}`,
    unit: (unit) => EN_UNITS[unit] ?? unit,
    smsChange: ({ percent, period }) => `, ${percent} on ${period}`,
    sms: {
      full: (p) =>
        `${p.corrected ? 'Corrected: ' : ''}Bill preview ${p.period}, ${p.name} (acct ${p.accountId}): ${p.total}${p.change}, due ${p.dueDate}. Final bill prevails. Questions: ${p.managerName}${p.managerName === '' ? '' : ' '}${p.managerPhone}`,
      withoutName: (p) =>
        `${p.corrected ? 'Corrected: ' : ''}Bill preview ${p.period}, acct ${p.accountId}: ${p.total}${p.change}, due ${p.dueDate}. Final bill prevails. Questions: ${p.managerName}${p.managerName === '' ? '' : ' '}${p.managerPhone}`,
      short: (p) =>
        `${p.corrected ? 'Corrected: ' : ''}Bill preview ${p.period}, acct ${p.accountId}: ${p.total}${p.change}, due ${p.dueDate}. Final bill prevails.`,
      minimal: (p) =>
        `${p.corrected ? 'Corrected: ' : ''}Acct ${p.accountId} ${p.period}: ${p.total}, due ${p.dueDate}`,
    },
  },
};

const EN_UNITS: Record<string, string> = { 元: 'CNY', 千瓦时: 'kWh', 千瓦: 'kW', 千伏安: 'kVA' };

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const MESSAGES: Readonly<Record<Language, Messages>> = { 'zh-CN': zhCN, en };

export const messagesFor = (language: Language): Messages => MESSAGES[language];
