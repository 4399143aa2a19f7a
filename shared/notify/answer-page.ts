import {
  type AnswerAction,
  MAX_ANSWER_TEXT,
  MAX_PREFERRED_TIME,
  takesDetails,
} from '#domain/answers/index.ts';
import type { Language } from '#domain/primitives.ts';
import { labelOf } from './answer-links.ts';

/*
 * The page a one-click answer link opens: plain, mobile-first, no script, no remote resource, in the
 * notice's language. A GET only shows (a confirm button, and the short form where the answer takes one);
 * the POST of that button records. Every value shown is escaped.
 */

export type AnswerPage =
  | {
      kind: 'confirm';
      language: Language;
      noticeKind: string;
      actions: readonly AnswerAction[];
      postUrl: string;
      manager?: ManagerContact;
    }
  | {
      kind: 'recorded' | 'already-recorded';
      language: Language;
      noticeKind: string;
      action: AnswerAction;
      manager?: ManagerContact;
    }
  | { kind: 'expired' | 'invalid' | 'too-large' | 'unavailable'; language: Language }
  | { kind: 'refused'; language: Language; issues: readonly string[] };

export interface ManagerContact {
  name: string;
  phone: string;
}

const T = {
  'zh-CN': {
    title: '客户回复',
    confirm: '确认提交',
    confirmHint: '请点击下方按钮确认，您的回复才会被记录。',
    text: '请简要说明（可选）',
    preferredTime: '方便联系的时间（可选）',
    rating: '评分（1 最差，5 最好）',
    comment: '意见（可选）',
    recorded: '已记录您的回复：',
    already: '此回复此前已记录，无需再次提交：',
    manager: '您的客户经理',
    expired: '此链接已过期，未记录任何内容。请直接联系您的客户经理。',
    invalid: '此链接无效，未记录任何内容。请使用通知中的链接，或直接联系您的客户经理。',
    tooLarge: '提交的内容过长，未记录。请缩短后重试。',
    refused: '提交的内容有误，未记录：',
    unavailable: '服务暂时不可用，未记录任何内容。请稍后重试。',
  },
  en: {
    title: 'Your answer',
    confirm: 'Confirm',
    confirmHint: 'Your answer is recorded only when you press the button below.',
    text: 'Tell us briefly (optional)',
    preferredTime: 'When may we call? (optional)',
    rating: 'Rating (1 poor, 5 excellent)',
    comment: 'Comment (optional)',
    recorded: 'We have recorded your answer:',
    already: 'This answer was already recorded; nothing more is needed:',
    manager: 'Your account manager',
    expired: 'This link has expired and nothing was recorded. Please contact your account manager.',
    invalid:
      'This link is not valid and nothing was recorded. Please use the link in the notice, or contact your account manager.',
    tooLarge: 'What you sent is too long and was not recorded. Please shorten it and try again.',
    refused: 'What you sent could not be recorded:',
    unavailable: 'The service is unavailable for a moment and nothing was recorded. Please try again later.',
  },
} as const;

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function renderAnswerPage(page: AnswerPage): string {
  const t = T[page.language];
  return `<!DOCTYPE html>
<html lang="${page.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(t.title)}</title>
<style>
body{margin:0;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif;font-size:17px;line-height:1.5;color:#1a1a1a;background:#eef1f5}
main{max-width:480px;margin:0 auto;background:#fff;padding:20px 16px;min-height:100vh;box-sizing:border-box}
h1{font-size:20px;color:#1f4e79;margin:0 0 12px}
label{display:block;margin:12px 0 4px;font-size:15px}
textarea,input[type=text],select{width:100%;box-sizing:border-box;font-size:17px;padding:8px;border:1px solid #9aa5b1;border-radius:4px}
button{display:block;width:100%;margin:16px 0 8px;padding:14px;font-size:18px;color:#fff;background:#1f4e79;border:0;border-radius:6px}
form{border-top:1px solid #dde3ea;margin-top:12px}
.note{color:#555;font-size:15px}
</style>
</head>
<body><main>
<h1>${escapeHtml(t.title)}</h1>
${body(page)}
</main></body>
</html>
`;
}

function body(page: AnswerPage): string {
  const t = T[page.language];
  switch (page.kind) {
    case 'confirm':
      return `<p class="note">${escapeHtml(t.confirmHint)}</p>${page.actions
        .map((action) => form(page.language, page.noticeKind, action, page.postUrl))
        .join('\n')}${manager(page.language, page.manager)}`;
    case 'recorded':
    case 'already-recorded':
      return `<p data-outcome="${page.kind}">${escapeHtml(page.kind === 'recorded' ? t.recorded : t.already)} <strong>${escapeHtml(labelOf(page.action, page.language, page.noticeKind))}</strong></p>${manager(page.language, page.manager)}`;
    case 'refused':
      return `<p data-outcome="refused">${escapeHtml(t.refused)}</p><ul>${page.issues.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'expired':
      return `<p data-outcome="expired">${escapeHtml(t.expired)}</p>`;
    case 'too-large':
      return `<p data-outcome="too-large">${escapeHtml(t.tooLarge)}</p>`;
    case 'unavailable':
      return `<p data-outcome="unavailable">${escapeHtml(t.unavailable)}</p>`;
    default:
      return `<p data-outcome="invalid">${escapeHtml(t.invalid)}</p>`;
  }
}

function form(language: Language, noticeKind: string, action: AnswerAction, postUrl: string): string {
  const t = T[language];
  const fields = takesDetails(action)
    ? `<label for="text-${action}">${escapeHtml(t.text)}</label><textarea id="text-${action}" name="text" rows="4" maxlength="${MAX_ANSWER_TEXT}"></textarea>
<label for="time-${action}">${escapeHtml(t.preferredTime)}</label><input type="text" id="time-${action}" name="preferredTime" maxlength="${MAX_PREFERRED_TIME}">`
    : action === 'rate'
      ? `<label for="rating">${escapeHtml(t.rating)}</label><select id="rating" name="rating">${[5, 4, 3, 2, 1].map((n) => `<option value="${n}">${n}</option>`).join('')}</select>
<label for="comment">${escapeHtml(t.comment)}</label><textarea id="comment" name="comment" rows="3" maxlength="${MAX_ANSWER_TEXT}"></textarea>`
      : '';
  return `<form method="post" action="${escapeHtml(postUrl)}" data-action="${action}">
<input type="hidden" name="action" value="${action}">
<p><strong>${escapeHtml(labelOf(action, language, noticeKind))}</strong></p>
${fields}
<button type="submit">${escapeHtml(t.confirm)}</button>
</form>`;
}

function manager(language: Language, contact: ManagerContact | undefined): string {
  if (contact === undefined) return '';
  return `<p class="note" data-field="manager">${escapeHtml(T[language].manager)}: ${escapeHtml(contact.name)} · <a href="tel:${escapeHtml(contact.phone.replace(/[^\d+]/g, ''))}">${escapeHtml(contact.phone)}</a></p>`;
}
