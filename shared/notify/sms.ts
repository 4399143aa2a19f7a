import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import type { Language } from '#domain/primitives.ts';
import { formatDate, formatMoney, formatPeriod, formatSignedPercent, singleLine } from './format.ts';
import { messagesFor } from './messages.ts';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** The most parts a bill-preview SMS may take: longer messages cost more and arrive out of order. */
export const MAX_SMS_SEGMENTS = 2;

// GSM 03.38 default alphabet (without the escape character) and its extension table (2 septets each).
const GSM7_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);
const GSM7_EXTENSION = new Set(Array.from('\f^{}\\[~]|€'));

/**
 * Encoding and number of parts of an SMS, as a handset and carrier count them: GSM-7 in septets (160 in
 * one part, 153 per part of a concatenated message, an extension character is 2 septets and never split
 * across parts); otherwise UCS-2 in UTF-16 code units (70, or 67 per part, a surrogate pair never split).
 */
export function smsSegments(text: string): { encoding: SmsEncoding; segments: number } {
  const chars = Array.from(text);
  const gsm = chars.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c));
  const sizes = gsm ? chars.map((c) => (GSM7_EXTENSION.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  const [single, perPart] = gsm ? [160, 153] : [70, 67];
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const units = sizes.reduce((a, b) => a + b, 0);
  if (units <= single) return { encoding, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > perPart) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, segments };
}

export interface BillPreviewSmsInput {
  bill: BillDocument;
  account: Account;
  language: Language;
  corrected?: boolean;
  /** The short answer link, appended to the text when given (the budget counts it). */
  answerLink?: string;
}

export interface RenderedSms {
  text: string;
  encoding: SmsEncoding;
  segments: number;
}

/** A name longer than this is cut (with "...", which GSM-7 can carry) before the SMS drops it altogether. */
const SMS_NAME_CHARS = 16;

/**
 * The bill-preview SMS: account, amount, due date and change on the previous period, in at most two parts.
 * Drafts go from the fullest (with the customer's name and the account manager) to a minimal one that
 * always fits; the first draft that fits is sent.
 */
export function renderBillPreviewSms(input: BillPreviewSmsInput): RenderedSms {
  const { bill, account, language } = input;
  const { phrases } = messagesFor(language);
  const previous = bill.comparison?.previousPeriod;
  const change =
    previous?.totalChangePercent != null
      ? phrases.smsChange({
          percent: formatSignedPercent(previous.totalChangePercent),
          period: formatPeriod(previous.period, language),
        })
      : '';
  const values = {
    corrected: input.corrected === true,
    accountId: bill.accountId,
    period: formatPeriod(bill.period, language),
    total: formatMoney(bill.total),
    dueDate: formatDate(bill.dueDate, language),
    change,
  };
  const name = singleLine(account.name);
  const manager = {
    managerName: singleLine(account.accountManager.name),
    managerPhone: singleLine(account.accountManager.phone),
  };
  const drafts = [
    () => phrases.sms.full({ ...values, ...manager, name }),
    () => phrases.sms.full({ ...values, ...manager, name: truncate(name, SMS_NAME_CHARS) }),
    () => phrases.sms.withoutName({ ...values, ...manager }),
    () => phrases.sms.withoutName({ ...values, ...manager, managerName: '' }),
    () => phrases.sms.short(values),
    () => phrases.sms.minimal(values),
  ];
  // With a link, the first draft that fits with it; only if none does, the text alone.
  const withLink =
    input.answerLink === undefined ? [] : drafts.map((d) => () => `${d()} ${input.answerLink}`);
  for (const draft of [...withLink, ...drafts]) {
    const text = draft();
    const { encoding, segments } = smsSegments(text);
    if (segments <= MAX_SMS_SEGMENTS) return { text, encoding, segments };
  }
  // Unreachable with an account id of at most 20 characters; fail loudly rather than send a third part.
  throw new Error(`bill-preview SMS for account ${bill.accountId} does not fit in ${MAX_SMS_SEGMENTS} parts`);
}

function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 3).join('')}...`;
}

/**
 * A warning's SMS with its answer link appended, when the link keeps it within the budget (or within the
 * parts the warning's own text already takes); else the warning alone, which is the evidence.
 */
export function smsWithAnswerLink(text: string, link: string | undefined): string {
  if (link === undefined) return text;
  const linked = `${text} ${link}`;
  return smsSegments(linked).segments <= Math.max(MAX_SMS_SEGMENTS, smsSegments(text).segments)
    ? linked
    : text;
}
