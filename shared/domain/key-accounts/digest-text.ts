import type { ManagerDigest } from './digest.ts';
import type { ManagerServiceReport, TimetableCounts } from './managers.ts';

const timetable = (label: string, c: TimetableCounts): string =>
  `${label}：共${c.total}条，按时${c.onTime}，迟发${c.late}，逾期未发${c.overdue}，待发${c.pending}，异常${c.problems}` +
  (c.onTimePercent === null ? '' : `（按时率${c.onTimePercent}%）`);

/**
 * The monthly digest an account manager receives (zh-CN: managers work in Chinese): their key accounts'
 * bills and changes, arrears, and the service report — previews on time, warnings on the timetable, and
 * the contact details to fix. Plain text: it is sent as stored.
 */
export function renderManagerDigestText(
  digest: ManagerDigest,
  report: ManagerServiceReport | undefined,
): string {
  const s = digest.summary;
  const lines = [
    `${digest.managerName}，您好：`,
    '',
    `${digest.period} 大客户月度简报：负责大客户${s.accounts}户，本期电费合计¥${s.billTotal}；新增大客户${s.newlyKey}户，转入${s.reassignedIn}户；欠费${s.accountsInArrears}户，金额¥${s.arrearsAmount}；送达异常${s.deliveryProblems}条。`,
    '',
    '【客户明细】',
    ...digest.accounts.map((a) => {
      const bill =
        a.bill === null
          ? '本期无账单'
          : `电费¥${a.bill.total}，电量${a.bill.totalKwh}千瓦时${a.bill.momChangePercent === null ? '' : `，环比${a.bill.momChangePercent}%`}`;
      const flags = [
        a.newlyKey ? '新增大客户' : null,
        a.managerChange === null ? null : `转入（${a.managerChange.reason}）`,
        a.arrears.length === 0 ? null : `欠费¥${a.arrears.map((f) => f.amount).join('+')}`,
        a.deliveryProblems.length === 0 ? null : `送达异常${a.deliveryProblems.length}条`,
      ].filter((f) => f !== null);
      return `- ${a.name}（${a.accountId}，第${a.rank}名，${a.segment.name['zh-CN']}）：${bill}${flags.length === 0 ? '' : `；${flags.join('；')}`}`;
    }),
    ...(digest.leftKeySet.length === 0
      ? []
      : [
          '',
          '【退出大客户名单】',
          ...digest.leftKeySet.map((a) => `- ${a.name}（${a.accountId}）：${a.reason}`),
        ]),
  ];
  if (report !== undefined) {
    lines.push(
      '',
      '【服务报告】',
      timetable('电费预告', report.previews),
      timetable('欠费提醒', report.warnings),
      ...(report.toFix.length === 0
        ? ['无需更正的联系方式。']
        : ['需核实的联系方式：', ...report.toFix.map((f) => `- ${f.accountId} ${f.channel} ${f.problem}`)]),
    );
  }
  return `${lines.join('\n')}\n`;
}
