import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import type { Language } from '#domain/primitives.ts';
import { renderHtml, renderText } from './email.hbs.ts';
import { buildEmailView } from './email-view.ts';

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
