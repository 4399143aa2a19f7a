import { handlebarsTemplate } from '#domain/handlebars-template.ts';
import type { EmailView } from './email-view.ts';
import { BILL_PREVIEW_EMAIL_HTML } from './templates/bill-preview-email-html.ts';
import { BILL_PREVIEW_EMAIL_TEXT } from './templates/bill-preview-email-text.ts';

/*
 * The bill-preview email's templates (precompiled in the function bundles). strict: a field missing from
 * the view model throws instead of printing nothing.
 */
export const renderHtml = handlebarsTemplate<EmailView>(BILL_PREVIEW_EMAIL_HTML, { strict: true });
export const renderText = handlebarsTemplate<EmailView>(BILL_PREVIEW_EMAIL_TEXT, {
  strict: true,
  noEscape: true,
});
