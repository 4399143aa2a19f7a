import type { AnswerAction } from '#domain/answers/index.ts';
import type { Language } from '#domain/primitives.ts';

/*
 * The one-click answers under a preview or a warning: a short block appended to the email (HTML and text)
 * and, for an SMS, one short link to a page that offers them. Labels in the notice's language.
 */

export const ACTION_LABELS: Record<Language, Record<AnswerAction, string>> = {
  'zh-CN': {
    received: '已收到，账单无误',
    'call-me': '请给我回电',
    wrong: '账单有误',
    paid: '我已付款',
    talk: '停电前我需要沟通',
    rate: '为本次服务评分',
  },
  en: {
    received: 'Received — the bill looks right',
    'call-me': 'Please call me',
    wrong: 'Something is wrong with this bill',
    paid: 'I have paid',
    talk: 'I need to talk before the disconnection',
    rate: 'Rate our service',
  },
};

const HEADINGS: Record<Language, string> = { 'zh-CN': '一键回复', en: 'Answer with one click' };
const RECEIVED_ON_WARNING: Record<Language, string> = {
  'zh-CN': '已收到本通知',
  en: 'I have received this notice',
};

export const labelOf = (action: AnswerAction, language: Language, kind?: string): string =>
  action === 'received' && kind === 'arrears-warning'
    ? RECEIVED_ON_WARNING[language]
    : ACTION_LABELS[language][action];

export interface AnswerLink {
  action: AnswerAction;
  url: string;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The block of answer links for an email, and the same as plain text. */
export function renderAnswerLinks(
  links: readonly AnswerLink[],
  language: Language,
  kind: string,
): { html: string; text: string } {
  const html = `<table role="presentation" data-field="answer-links" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;margin:0 auto;font-family:Arial,sans-serif;"><tr><td style="padding:12px 20px;font-size:15px;font-weight:bold;">${escapeHtml(HEADINGS[language])}</td></tr>${links
    .map(
      (link) =>
        `<tr><td style="padding:4px 20px;"><a href="${escapeHtml(link.url)}" data-answer="${link.action}" style="display:inline-block;padding:10px 14px;background-color:#1f4e79;color:#ffffff;text-decoration:none;border-radius:4px;font-size:15px;">${escapeHtml(labelOf(link.action, language, kind))}</a></td></tr>`,
    )
    .join('')}</table>`;
  const text = `${HEADINGS[language]}:\n${links.map((l) => `- ${labelOf(l.action, language, kind)}: ${l.url}`).join('\n')}`;
  return { html, text };
}

/** Puts the block before the end of the body (or at the end of a fragment). */
export function withAnswerLinks(
  email: { html: string; text: string },
  block: { html: string; text: string },
): { html: string; text: string } {
  const at = email.html.lastIndexOf('</body>');
  const html =
    at < 0 ? `${email.html}${block.html}` : `${email.html.slice(0, at)}${block.html}${email.html.slice(at)}`;
  return { html, text: `${email.text}\n\n${block.text}\n` };
}
