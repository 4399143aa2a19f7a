import { formatShanghaiTime, instantMs } from '../calendar/index.ts';
import { dec, toFen } from '../money.ts';
import type { Language, LocalisedText } from '../primitives.ts';

/*
 * The plain text of every arrears message, in zh-CN and en. The text is the evidence: its SHA-256 is
 * stored with the warning, so rendering must be deterministic (no clock, no locale-dependent formatting).
 * Every text states the amount owed, the penalty so far, the disconnection time where there is one, and
 * how to pay.
 */

export type ArrearsMessageKind =
  | 'reminder'
  | 'overdue-notice'
  | 'payment-demand'
  | 'disconnection-notice'
  | 'disconnection-reminder'
  | 'disconnection-cancelled'
  | 'supply-restoration'
  /** To the approver: a plan waits for approval (and reminders while it waits). */
  | 'approval-request'
  | 'approval-reminder'
  /** To the account manager: the notice reached the customer on no channel within the window. */
  | 'delivery-escalation'
  /** To the customer: the charges are paid, the penalty is not; the disconnection stands. */
  | 'penalty-outstanding';

export const ARREARS_MESSAGE_KINDS: readonly ArrearsMessageKind[] = [
  'reminder',
  'overdue-notice',
  'payment-demand',
  'disconnection-notice',
  'disconnection-reminder',
  'disconnection-cancelled',
  'supply-restoration',
  'approval-request',
  'approval-reminder',
  'delivery-escalation',
  'penalty-outstanding',
];

export type RecipientRole = 'customer' | 'account-manager' | 'authority' | 'approver';
export type ArrearsChannel = 'email' | 'sms';

export type CancellationReason = 'paid' | 'deferred' | 'exempted';

/** What a message says; amounts are decimal strings, times ISO instants, dates YYYY-MM-DD. */
export interface ArrearsMessageModel {
  kind: ArrearsMessageKind;
  accountId: string;
  accountName: string;
  /** Billing periods the message is about (YYYY-MM). */
  periods: string[];
  /** Earliest due date among them. */
  dueDate: string;
  /** Open amount of those bills at the send time. */
  arrears: string;
  /** Late-payment penalty accrued so far (through `asOf`). */
  penalty: string;
  asOf: string;
  daysOverdue: number;
  /** Daily penalty rate of the current year, ‰ (the reminder states it). */
  penaltyRatePerMille: string;
  /** The disconnection time the message is about (notice, reminder, cancellation). */
  disconnectAt?: string;
  /** payment-demand: the day from which a disconnection notice may follow. */
  disconnectionNoticeFrom?: string;
  /** disconnection-cancelled: why, and the new time when deferred. */
  cancellation?: { reason: CancellationReason; newDisconnectAt?: string; note?: string };
  /** supply-restoration: when supply returns at the latest. */
  restoreBy?: string;
  /** disconnection-notice: a later time replacing one notified before (a late delivery). */
  rescheduled?: boolean;
  /** approval-request / approval-reminder: the plan and its approver. */
  planId?: string;
  approverName?: string;
  /** delivery-escalation: when the notice went out, the channels that bounced, the window. */
  noticeSentAt?: string;
  bouncedChannels?: string[];
  deliveryWindowHours?: number;
  paymentInstructions: LocalisedText;
  manager: { name: string; phone: string; email: string };
  important: boolean;
}

export interface RenderedArrearsMessage {
  /** Email subject; null for SMS. */
  subject: string | null;
  /** The exact plain text sent (email body or SMS). */
  text: string;
}

/** `¥1,234,567.80`, half-up to the fen; never through a binary float. */
export function formatYuanAmount(value: string): string {
  const fixed = toFen(dec(value)).toFixed(2);
  const negative = fixed.startsWith('-');
  const [int = '0', fraction = '00'] = (negative ? fixed.slice(1) : fixed).split('.');
  return `${negative ? '-' : ''}¥${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

const zhPeriod = (p: string) => `${p.slice(0, 4)}年${Number(p.slice(5, 7))}月`;
const list = (items: string[], lang: Language) => items.join(lang === 'zh-CN' ? '、' : ', ');

function time(instant: string, lang: Language): string {
  const t = formatShanghaiTime(instantMs(instant));
  return lang === 'zh-CN' ? `${t}（北京时间）` : `${t} (Beijing time, UTC+8)`;
}

interface Parts {
  subject: string;
  /** The sentence that says what happened or will happen. */
  lead: string;
}

function zhParts(m: ArrearsMessageModel): Parts {
  const periods = list(m.periods.map(zhPeriod), 'zh-CN');
  const amount = formatYuanAmount(m.arrears);
  switch (m.kind) {
    case 'reminder':
      return {
        subject: `电费到期提醒：户号 ${m.accountId}，${periods}电费将于 ${m.dueDate} 到期`,
        lead: `您${periods}的电费 ${amount} 将于 ${m.dueDate} 到期，请按时缴纳。逾期未缴的，自到期日次日起按日加收电费违约金（当年欠费每日 ${m.penaltyRatePerMille}‰）。`,
      };
    case 'overdue-notice':
      return {
        subject: `电费逾期通知：户号 ${m.accountId} 尚欠 ${amount}`,
        lead: `您${periods}的电费已于 ${m.dueDate} 到期，截至 ${m.asOf} 尚欠 ${amount}，已逾期 ${m.daysOverdue} 天，违约金按日累计。请尽快缴纳。`,
      };
    case 'payment-demand':
      return {
        subject: `电费催缴通知（催告）：户号 ${m.accountId} 尚欠 ${amount}`,
        lead: `催告：您${periods}的电费已逾期 ${m.daysOverdue} 天，截至 ${m.asOf} 尚欠 ${amount}。请立即缴清。自 ${m.disconnectionNoticeFrom ?? ''} 起仍未缴清的，我公司将依照《电力供应与使用条例》第三十九条按程序通知并中止供电。`,
      };
    case 'disconnection-notice':
      return {
        subject: `停电通知：户号 ${m.accountId} 定于 ${time(m.disconnectAt!, 'zh-CN')}中止供电`,
        lead: `${m.rescheduled ? '（改期通知：此前通知的停电时间作废）' : ''}因您${periods}的电费逾期 ${m.daysOverdue} 天且经催告仍未缴清，我公司定于 ${time(m.disconnectAt!, 'zh-CN')}对户号 ${m.accountId}（${m.accountName}）中止供电。在此之前缴清欠费及违约金的，停电将取消。${m.important ? '本通知同时抄送电力管理部门。' : ''}`,
      };
    case 'disconnection-reminder':
      return {
        subject: `停电提醒：户号 ${m.accountId} 将于 ${time(m.disconnectAt!, 'zh-CN')}中止供电`,
        lead: `再次通知：户号 ${m.accountId}（${m.accountName}）将于 ${time(m.disconnectAt!, 'zh-CN')}按停电通知中止供电。`,
      };
    case 'disconnection-cancelled': {
      const c = m.cancellation!;
      const why =
        c.reason === 'paid'
          ? '欠费已缴清'
          : c.reason === 'deferred'
            ? `停电推迟至 ${time(c.newDisconnectAt!, 'zh-CN')}，届时另行通知`
            : `经批准暂缓停电（${c.note ?? ''}）`;
      return {
        subject: `停电取消确认：户号 ${m.accountId}`,
        lead: `户号 ${m.accountId}（${m.accountName}）原定于 ${time(m.disconnectAt!, 'zh-CN')}的停电已取消：${why}。`,
      };
    }
    case 'supply-restoration':
      return {
        subject: `恢复供电确认：户号 ${m.accountId}`,
        lead: `户号 ${m.accountId}（${m.accountName}）的欠费及违约金已缴清，我公司将于 ${time(m.restoreBy!, 'zh-CN')}前恢复供电（原停电时间 ${time(m.disconnectAt!, 'zh-CN')}）。`,
      };
    case 'approval-request':
    case 'approval-reminder':
      return {
        subject: `${m.kind === 'approval-reminder' ? '【提醒】' : ''}停电审批：户号 ${m.accountId}（${m.accountName}）待批准`,
        lead: `${m.approverName ?? ''}：停电计划 ${m.planId ?? ''} 待您批准。客户 ${m.accountName}（户号 ${m.accountId}${m.important ? '，重要用户' : ''}）${periods}电费已逾期 ${m.daysOverdue} 天，经催告仍未缴清。批准前不会发出停电通知。批准请使用运维命令 approve-disconnection（户号 ${m.accountId}，计划 ${m.planId ?? ''}）。`,
      };
    case 'delivery-escalation':
      return {
        subject: `停电通知未送达：户号 ${m.accountId}`,
        lead: `户号 ${m.accountId}（${m.accountName}）的停电通知于 ${time(m.noticeSentAt!, 'zh-CN')}发出，${m.deliveryWindowHours ?? 24} 小时内未在任何渠道送达${(m.bouncedChannels ?? []).length > 0 ? `（退信：${(m.bouncedChannels ?? []).join('、')}）` : ''}。原定 ${time(m.disconnectAt!, 'zh-CN')}的停电已推迟并重新通知，请核实客户联系方式。`,
      };
    case 'penalty-outstanding':
      return {
        subject: `缴费确认：户号 ${m.accountId} 尚欠违约金 ${formatYuanAmount(m.penalty)}`,
        lead: `已收到您的缴费，${periods}电费已缴清，但违约金 ${formatYuanAmount(m.penalty)} 尚未缴纳。欠费及违约金全部缴清前，${m.disconnectAt === undefined ? '停电程序继续' : `原定于 ${time(m.disconnectAt, 'zh-CN')}的停电仍将执行`}。`,
      };
  }
}

function enParts(m: ArrearsMessageModel): Parts {
  const periods = list(m.periods, 'en');
  const amount = formatYuanAmount(m.arrears);
  switch (m.kind) {
    case 'reminder':
      return {
        subject: `Bill due reminder: account ${m.accountId}, ${periods} due on ${m.dueDate}`,
        lead: `Your electricity bill for ${periods}, ${amount}, is due on ${m.dueDate}. Please pay on time: from the day after the due date a late-payment penalty accrues daily (${m.penaltyRatePerMille}‰ a day in the current year).`,
      };
    case 'overdue-notice':
      return {
        subject: `Overdue bill: account ${m.accountId} owes ${amount}`,
        lead: `Your electricity bill for ${periods} was due on ${m.dueDate}. On ${m.asOf} ${amount} is still unpaid, ${m.daysOverdue} days overdue, and the late-payment penalty accrues daily. Please pay as soon as possible.`,
      };
    case 'payment-demand':
      return {
        subject: `Payment demand: account ${m.accountId} owes ${amount}`,
        lead: `Payment demand: your electricity bill for ${periods} is ${m.daysOverdue} days overdue and ${amount} is unpaid on ${m.asOf}. Please pay it in full now. If it is still unpaid on ${m.disconnectionNoticeFrom ?? ''}, we will give notice and disconnect the supply as Article 39 of the Regulations on Electricity Supply and Use provides.`,
      };
    case 'disconnection-notice':
      return {
        subject: `Disconnection notice: account ${m.accountId}, supply to be cut at ${time(m.disconnectAt!, 'en')}`,
        lead: `${m.rescheduled ? '(New time: this notice replaces the time notified before.) ' : ''}Your electricity bill for ${periods} is ${m.daysOverdue} days overdue and remains unpaid after our payment demand. We will disconnect the supply of account ${m.accountId} (${m.accountName}) at ${time(m.disconnectAt!, 'en')}. Paying the arrears and the late-payment penalty in full before then cancels the disconnection.${m.important ? ' This notice is also sent to the power administration authority.' : ''}`,
      };
    case 'disconnection-reminder':
      return {
        subject: `Disconnection reminder: account ${m.accountId}, supply to be cut at ${time(m.disconnectAt!, 'en')}`,
        lead: `Final reminder: the supply of account ${m.accountId} (${m.accountName}) will be disconnected at ${time(m.disconnectAt!, 'en')}, as the disconnection notice stated.`,
      };
    case 'disconnection-cancelled': {
      const c = m.cancellation!;
      const why =
        c.reason === 'paid'
          ? 'the arrears have been paid'
          : c.reason === 'deferred'
            ? `the disconnection is postponed to ${time(c.newDisconnectAt!, 'en')}, with a new notice`
            : `the disconnection is suspended by approval (${c.note ?? ''})`;
      return {
        subject: `Disconnection cancelled: account ${m.accountId}`,
        lead: `The disconnection of account ${m.accountId} (${m.accountName}) planned for ${time(m.disconnectAt!, 'en')} is cancelled: ${why}.`,
      };
    }
    case 'supply-restoration':
      return {
        subject: `Supply restoration: account ${m.accountId}`,
        lead: `The arrears and late-payment penalty of account ${m.accountId} (${m.accountName}) have been paid; supply, disconnected from ${time(m.disconnectAt!, 'en')}, will be restored by ${time(m.restoreBy!, 'en')}.`,
      };
    case 'approval-request':
    case 'approval-reminder':
      return {
        subject: `${m.kind === 'approval-reminder' ? '[Reminder] ' : ''}Disconnection approval: account ${m.accountId} (${m.accountName})`,
        lead: `${m.approverName ?? ''}: disconnection plan ${m.planId ?? ''} waits for your approval. Customer ${m.accountName} (account ${m.accountId}${m.important ? ', important customer' : ''}) has its bill for ${periods} ${m.daysOverdue} days overdue, unpaid after the payment demand. No disconnection notice is sent before you approve. To approve, run the operator command approve-disconnection (account ${m.accountId}, plan ${m.planId ?? ''}).`,
      };
    case 'delivery-escalation':
      return {
        subject: `Disconnection notice not delivered: account ${m.accountId}`,
        lead: `The disconnection notice to account ${m.accountId} (${m.accountName}) sent at ${time(m.noticeSentAt!, 'en')} was delivered on no channel within ${m.deliveryWindowHours ?? 24} hours${(m.bouncedChannels ?? []).length > 0 ? ` (bounced: ${(m.bouncedChannels ?? []).join(', ')})` : ''}. The disconnection planned for ${time(m.disconnectAt!, 'en')} is moved later and notified again; please check the customer's contacts.`,
      };
    case 'penalty-outstanding':
      return {
        subject: `Payment received: account ${m.accountId} still owes a penalty of ${formatYuanAmount(m.penalty)}`,
        lead: `We received your payment: the charges for ${periods} are paid, but the late-payment penalty of ${formatYuanAmount(m.penalty)} is not. Until the charges and the penalty are paid in full, ${m.disconnectAt === undefined ? 'the disconnection procedure continues' : `the disconnection at ${time(m.disconnectAt, 'en')} still stands`}.`,
      };
  }
}

function addressLine(
  role: RecipientRole,
  recipientName: string,
  m: ArrearsMessageModel,
  lang: Language,
): string {
  if (role === 'approver') {
    return lang === 'zh-CN'
      ? `致停电审批人 ${recipientName}：客户 ${m.accountName}（户号 ${m.accountId}）`
      : `To the disconnection approver ${recipientName}: customer ${m.accountName} (account ${m.accountId})`;
  }
  if (lang === 'zh-CN') {
    if (role === 'authority') return `致电力管理部门：重要用户 ${m.accountName}（户号 ${m.accountId}）`;
    if (role === 'account-manager')
      return `【抄送客户经理 ${recipientName}】客户 ${m.accountName}（户号 ${m.accountId}）`;
    return `尊敬的 ${recipientName}（${m.accountName}，户号 ${m.accountId}）：`;
  }
  if (role === 'authority')
    return `To the power administration authority: important customer ${m.accountName} (account ${m.accountId})`;
  if (role === 'account-manager')
    return `[Copy for account manager ${recipientName}] Customer ${m.accountName} (account ${m.accountId})`;
  return `Dear ${recipientName} (${m.accountName}, account ${m.accountId}),`;
}

function facts(m: ArrearsMessageModel, lang: Language): string[] {
  const zh = lang === 'zh-CN';
  const lines = [
    zh ? `欠费金额：${formatYuanAmount(m.arrears)}` : `Amount owed: ${formatYuanAmount(m.arrears)}`,
    zh
      ? `截至 ${m.asOf} 的违约金：${formatYuanAmount(m.penalty)}`
      : `Late-payment penalty to ${m.asOf}: ${formatYuanAmount(m.penalty)}`,
  ];
  if (m.disconnectAt !== undefined) {
    lines.push(
      zh ? `停电时间：${time(m.disconnectAt, lang)}` : `Disconnection time: ${time(m.disconnectAt, lang)}`,
    );
  }
  lines.push(zh ? `缴费方式：${m.paymentInstructions['zh-CN']}` : `How to pay: ${m.paymentInstructions.en}`);
  return lines;
}

/** Renders one message for one recipient: deterministic, plain text. */
export function renderArrearsMessage(
  model: ArrearsMessageModel,
  to: { role: RecipientRole; name: string; language: Language; channel: ArrearsChannel },
): RenderedArrearsMessage {
  const lang = to.language;
  const zh = lang === 'zh-CN';
  const parts = zh ? zhParts(model) : enParts(model);
  const contact = zh
    ? `如有疑问，请联系客户经理 ${model.manager.name}（${model.manager.phone}）。`
    : `Questions: your account manager ${model.manager.name} (${model.manager.phone}).`;
  if (to.channel === 'sms') {
    const prefix = zh ? '【供电公司】' : '[Power Supply] ';
    const stated = facts(model, lang).map((f) => f.replace(/[。.；;\s]+$/u, ''));
    const body = zh ? `${parts.lead}${stated.join('；')}。` : `${parts.lead} ${stated.join('; ')}.`;
    return { subject: null, text: `${prefix}${body}${zh ? '' : ' '}${contact}` };
  }
  const text = [
    addressLine(to.role, to.name, model, lang),
    '',
    parts.lead,
    '',
    ...facts(model, lang),
    '',
    contact,
  ].join('\n');
  return { subject: parts.subject, text: `${text}\n` };
}
