import { writeCsv } from '../csv/write-csv.ts';
import type { AnswerKpis } from './kpis.ts';

/*
 * The answers' KPIs as the monthly manager digest (text), the key-account report (an HTML section) and a
 * CSV next to it show them.
 */

const dash = (value: string | number | null): string => (value === null ? '—' : String(value));

/** The digest's section for one manager (Chinese, as the digest). */
export function renderAnswerKpisText(kpis: AnswerKpis | undefined): string {
  if (kpis === undefined) return '\n【客户回复】\n本期无客户回复。';
  return [
    '',
    '【客户回复】',
    `回复${kpis.responses}条；满意度评分${kpis.ratings}条，平均${dash(kpis.averageRating)}分；首次回复中位用时${dash(kpis.medianMinutesToFirstResponse)}分钟。`,
    `待跟进事项：新增${kpis.followUpsOpened}项，按时关闭${kpis.followUpsClosedOnTime}项，逾期${kpis.followUpsOverdue}项。`,
  ].join('\n');
}

const COLUMNS = [
  'manager_id',
  'manager_name',
  'responses',
  'ratings',
  'average_rating',
  'follow_ups_opened',
  'follow_ups_closed_on_time',
  'follow_ups_overdue',
  'median_minutes_to_first_response',
] as const;

export function renderAnswerKpisCsv(
  kpis: readonly AnswerKpis[],
  managerNames: ReadonlyMap<string, string>,
): string {
  return writeCsv([
    [...COLUMNS],
    ...kpis.map((k) => [
      k.managerId,
      managerNames.get(k.managerId) ?? '',
      k.responses,
      k.ratings,
      k.averageRating ?? '',
      k.followUpsOpened,
      k.followUpsClosedOnTime,
      k.followUpsOverdue,
      k.medianMinutesToFirstResponse ?? '',
    ]),
  ]);
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A section for the key-account report, put before the end of its body. */
export function withAnswerKpisSection(
  reportHtml: string,
  kpis: readonly AnswerKpis[],
  managerNames: ReadonlyMap<string, string>,
): string {
  const rows = kpis
    .map(
      (k) =>
        `<tr><td>${escapeHtml(managerNames.get(k.managerId) ?? k.managerId)}</td><td>${k.responses}</td><td>${escapeHtml(dash(k.averageRating))} (${k.ratings})</td><td>${k.followUpsOpened}</td><td>${k.followUpsClosedOnTime}</td><td>${k.followUpsOverdue}</td><td>${escapeHtml(dash(k.medianMinutesToFirstResponse))}</td></tr>`,
    )
    .join('');
  const section = `<section data-section="answer-kpis"><h2>客户回复与满意度</h2><table><thead><tr><th>客户经理</th><th>回复数</th><th>平均评分（条数）</th><th>新增跟进</th><th>按时关闭</th><th>逾期</th><th>首次回复中位用时（分钟）</th></tr></thead><tbody>${rows || '<tr><td colspan="7">本期无客户回复</td></tr>'}</tbody></table></section>`;
  const at = reportHtml.lastIndexOf('</body>');
  return at < 0 ? `${reportHtml}${section}` : `${reportHtml.slice(0, at)}${section}${reportHtml.slice(at)}`;
}
