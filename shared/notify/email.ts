import Handlebars from 'handlebars';
import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import type { Language } from '#domain/primitives.ts';
import { buildEmailView, type EmailView } from './email-view.ts';
import { BILL_PREVIEW_EMAIL_HTML } from './templates/bill-preview-email-html.ts';
import { BILL_PREVIEW_EMAIL_TEXT } from './templates/bill-preview-email-text.ts';

/*
 * An isolated Handlebars instance (no helpers or partials registered by anyone else), templates compiled
 * once per process. strict: a field missing from the view model throws instead of printing nothing.
 */
const handlebars = Handlebars.create();
const renderHtml = handlebars.compile<EmailView>(BILL_PREVIEW_EMAIL_HTML, { strict: true });
const renderText = handlebars.compile<EmailView>(BILL_PREVIEW_EMAIL_TEXT, { strict: true, noEscape: true });

export interface BillHistoryEntry {
  period: string;
  total: string;
  totalKwh: string;
}

export interface BillPreviewEmailInput {
  bill: BillDocument;
  account: Account;
  language: Language;
  /** Earlier periods' totals (any order; the current period may be included). */
  history?: BillHistoryEntry[];
  /** This preview replaces one already sent for the same period. */
  corrected?: boolean;
  /** Bill version, printed in the footer and the correction banner. */
  version?: number;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Renders the customer's bill-preview email (subject, HTML and plain-text parts) from a computed bill. */
export function renderBillPreviewEmail(input: BillPreviewEmailInput): RenderedEmail {
  const view = buildEmailView(input);
  return { subject: view.subject, html: renderHtml(view), text: renderText(view) };
}
