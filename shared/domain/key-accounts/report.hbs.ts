import { handlebarsTemplate } from '../handlebars-template.ts';
import type { ReportView } from './report-html.ts';
import { KEY_ACCOUNT_REPORT_HTML } from './report-template.ts';

/** The key-account report (precompiled in the function bundles); strict: a missing field throws. */
export const render = handlebarsTemplate<ReportView>(KEY_ACCOUNT_REPORT_HTML, { strict: true });
