/*
 * Customer-facing notices: bill-preview email and SMS rendering, phone normalisation and log-safe masking.
 * Pure: no I/O, no AWS SDK; the adapters send what these functions return.
 */

export type { AnswerLink } from './answer-links.ts';
export { labelOf, renderAnswerLinks, withAnswerLinks } from './answer-links.ts';
export type { BillHistoryEntry, BillPreviewEmailInput, RenderedEmail } from './email.ts';
export { renderBillPreviewEmail } from './email.ts';
export { formatDate, formatMoney, formatPeriod, formatQuantity } from './format.ts';
export { renderHeldBillNotice } from './held-bill.ts';
export { maskEmail, maskPhone, withoutContacts } from './mask.ts';
export type { Messages } from './messages.ts';
export { MESSAGES, messagesFor } from './messages.ts';
export type { NormalisePhoneOptions, PhoneNormalisation } from './phone.ts';
export { normalisePhoneNumber } from './phone.ts';
export type { BillPreviewSmsInput, RenderedSms, SmsEncoding } from './sms.ts';
export { MAX_SMS_SEGMENTS, renderBillPreviewSms, smsSegments, smsWithAnswerLink } from './sms.ts';
