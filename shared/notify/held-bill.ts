import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import type { BillHold } from '#domain/bill-hold.ts';

/**
 * What an account manager is told about a held bill of their account (zh-CN first: managers work in
 * Chinese; the English follows for the rest of the team): which bill, why it is held, and how an
 * operator releases it. No customer contact is in it — only the account and the figures.
 */
export function renderHeldBillNotice(input: {
  hold: Pick<BillHold, 'accountId' | 'period' | 'version' | 'reasons' | 'policyVersion'>;
  account: Pick<Account, 'accountId' | 'name' | 'accountManager'>;
  bill: Pick<BillDocument, 'total' | 'consumption'>;
}): { subject: string; text: string } {
  const { hold, account, bill } = input;
  const version = `V${hold.version}`;
  const reasons = hold.reasons.map((r, i) => `  ${i + 1}. ${r.message}`);
  const release = `npm run cli -- release-bill --account-id ${hold.accountId} --period ${hold.period} --version ${hold.version} --by <姓名/name> --reason <核实结果/finding>`;
  const text = [
    `${account.accountManager.name}，您好：`,
    '',
    `客户 ${account.name}（户号 ${hold.accountId}）${hold.period} 账单（${version}）未通过合理性校验，已暂停发送，客户尚未收到预览。`,
    `本期电费¥${bill.total}，电量${bill.consumption.totalKwh}千瓦时。暂停原因（校验策略 ${hold.policyVersion}）：`,
    ...reasons,
    '',
    '请核实抄表数据：数据无误时由运维人员执行 release-bill 放行（将发送一次预览）；数据有误时请计量部门重新上传更正数据，新版本将重新校验。',
    '',
    `The ${hold.period} bill (${version}) of account ${hold.accountId} is held for review and no preview was sent. Release it once checked:`,
    `  ${release}`,
    'or have the metering system drop corrected reads (the new version is checked again).',
  ].join('\n');
  return { subject: `【账单暂停发送】${hold.period} ${account.name}（${hold.accountId}）`, text };
}
