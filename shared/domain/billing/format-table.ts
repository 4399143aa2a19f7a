import type { BillDocument } from '../bill.ts';
import { dec } from '../money.ts';
import type { Language } from '../primitives.ts';
import { groupDigits } from './format.ts';

/*
 * A fixed-width text rendering of a bill for terminals (`keybill bill --format table`). Widths count East
 * Asian wide characters as two columns so Chinese labels line up.
 */

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

const padEnd = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));
const padStart = (text: string, width: number): string =>
  ' '.repeat(Math.max(0, width - displayWidth(text))) + text;

const T = {
  'zh-CN': {
    title: '电费账单',
    account: '户号',
    period: '账期',
    due: '缴费截止日',
    tariff: '电价',
    days: '天',
    item: '项目',
    quantity: '数量',
    unit: '单位',
    price: '单价',
    amount: '金额（元）',
    total: '合计',
    consumption: '用电量',
    bands: { sharp: '尖', peak: '峰', flat: '平', valley: '谷' },
    kvarh: '无功',
    pf: '功率因数',
    standard: '考核标准',
    adjustment: '调整',
    noPf: '无有功电量，不作功率因数调整',
    demand: '最大需量',
    contract: '合同需量',
    capacity: '容量',
    previous: '上期',
    lastYear: '去年同期',
    change: '变化',
    advice: '节电建议',
    saving: '可节省',
    findings: '数据核查',
    holds: '暂缓出账',
    explanations: '计算说明',
  },
  en: {
    title: 'Electricity bill',
    account: 'Account',
    period: 'Period',
    due: 'Due date',
    tariff: 'Tariff',
    days: 'days',
    item: 'Item',
    quantity: 'Quantity',
    unit: 'Unit',
    price: 'Unit price',
    amount: 'Amount (CNY)',
    total: 'Total',
    consumption: 'Consumption',
    bands: { sharp: 'sharp', peak: 'peak', flat: 'flat', valley: 'valley' },
    kvarh: 'reactive',
    pf: 'Power factor',
    standard: 'standard',
    adjustment: 'adjustment',
    noPf: 'no active energy, no power-factor adjustment',
    demand: 'Maximum demand',
    contract: 'contracted',
    capacity: 'capacity',
    previous: 'Previous period',
    lastYear: 'Same period last year',
    change: 'change',
    advice: 'Advice',
    saving: 'saving',
    findings: 'Data findings',
    holds: 'holds the bill',
    explanations: 'How each line is computed',
  },
} as const;

const quantityText = (value: string): string => groupDigits(value);

export function formatBillTable(bill: BillDocument, language: Language): string {
  const t = T[language];
  const sep = language === 'zh-CN' ? '：' : ': ';
  const rows = bill.lines.map((l) => [
    l.label[language],
    quantityText(l.quantity),
    l.unit,
    l.unitPrice,
    groupDigits(l.amount),
  ]);
  const header = [t.item, t.quantity, t.unit, t.price, t.amount];
  const totalRow = [t.total, '', '', '', groupDigits(bill.total)];
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...[...rows, totalRow].map((r) => displayWidth(r[i]!))),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 2 ? padEnd(c, widths[i]!) : padStart(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  const ruleWidth = widths.reduce((s, w) => s + w, 0) + 2 * (widths.length - 1);
  const rule = '-'.repeat(ruleWidth);
  const out: string[] = [];
  out.push(
    `${t.title}  ${t.account}${sep}${bill.accountId}  ${t.period}${sep}${bill.period}  ${t.due}${sep}${bill.dueDate}`,
  );
  out.push(
    `${t.tariff}${sep}${bill.tariffVersions.map((v) => `${v.tariffId} ${v.effectiveFrom} (${v.days} ${t.days})`).join(', ')}`,
  );
  out.push(rule, render(header), rule, ...rows.map(render), rule, render(totalRow), rule);
  const c = bill.consumption;
  const bands = (['sharp', 'peak', 'flat', 'valley'] as const)
    .filter((b) => c.byBand[b] !== undefined)
    .map((b) => `${t.bands[b]} ${quantityText(c.byBand[b]!)}`)
    .join(' / ');
  out.push(
    `${t.consumption}${sep}${quantityText(c.totalKwh)} kWh (${bands}); ${t.kvarh} ${quantityText(c.kvarh)} kvarh`,
  );
  const pf = bill.powerFactor;
  out.push(
    pf.applied === false
      ? `${t.pf}${sep}${t.noPf}`
      : `${t.pf}${sep}${pf.value} (${t.standard} ${pf.standard}), ${t.adjustment} ${pf.adjustmentPercent}%`,
  );
  const d = bill.demand;
  out.push(
    `${t.demand}${sep}${quantityText(d.maxDemandKw)} kW` +
      (d.contractedDemandKw === undefined
        ? ''
        : `; ${t.contract} ${quantityText(d.contractedDemandKw)} kW${d.demandOfContractPercent === undefined ? '' : ` (${d.demandOfContractPercent}%)`}`) +
      `; ${t.capacity} ${quantityText(d.capacityKva)} kVA`,
  );
  for (const [label, cmp] of [
    [t.previous, bill.comparison?.previousPeriod],
    [t.lastYear, bill.comparison?.samePeriodLastYear],
  ] as const) {
    if (cmp === undefined) continue;
    const change =
      cmp.totalChangePercent === null
        ? ''
        : `, ${t.change} ${dec(cmp.totalChangePercent).gt(0) ? '+' : ''}${cmp.totalChangePercent}%`;
    out.push(
      `${label} ${cmp.period}${sep}${groupDigits(dec(cmp.total).toFixed(2))}, ${quantityText(cmp.totalKwh)} kWh${change}`,
    );
  }
  if (bill.advice.length > 0) {
    out.push('', `${t.advice}${sep}`.trimEnd());
    for (const a of bill.advice)
      out.push(`  - ${a.message[language]} (${t.saving} ${groupDigits(a.saving)})`);
  }
  if (bill.findings.length > 0) {
    out.push('', `${t.findings}${sep}`.trimEnd());
    for (const f of bill.findings)
      out.push(
        `  - [${f.code}]${f.severity === 'hold' ? ` (${t.holds})` : ''}${f.meterId === undefined ? '' : ` ${f.meterId}`} ${f.message}`,
      );
  }
  out.push('', `${t.explanations}${sep}`.trimEnd());
  for (const l of bill.lines) out.push(`  ${l.label[language]}${sep}${l.explanation}`);
  return out.join('\n');
}
