import { barChartSvg } from '../charts/svg.ts';
import { type CsvCell, CsvDecimal, writeCsv } from '../csv/write-csv.ts';
import { SafeString } from '../handlebars-runtime.ts';
import { NOTICE_OUTCOMES, type RunReport } from './model.ts';
import { render } from './report.hbs.ts';

/*
 * The run report as HTML (for people: opened from an S3 link or disk, no script, nothing fetched, every
 * value escaped by Handlebars' double-stash; the chart is inline SVG whose labels svg.ts escapes) and as
 * CSV (for spreadsheets: one long table, section by section, text cells formula-neutralised).
 */

/** Bills listed in the HTML, largest changes first; the CSV has every one. */
const HTML_BILLS = 200;

export function renderRunReportHtml(report: RunReport): string {
  return render({
    r: report,
    histogram: new SafeString(
      barChartSvg(
        'Bill change against the previous period (accounts)',
        report.totals.histogram.map((b) => ({ label: b.label, value: b.count })),
      ),
    ),
    bills: report.bills.slice(0, HTML_BILLS).map((b) => ({ ...b, previousTotal: b.previousTotal ?? '' })),
    billsCut: Math.max(0, report.bills.length - HTML_BILLS),
    outcomes: NOTICE_OUTCOMES,
    notices: (['email', 'sms'] as const).map((channel) => ({
      channel,
      counts: NOTICE_OUTCOMES.map((o) => report.notices[channel][o]),
    })),
  });
}

export const RUN_REPORT_CSV_COLUMNS = ['section', 'item', 'value', 'detail'] as const;

export function renderRunReportCsv(report: RunReport): string {
  const rows: CsvCell[][] = [[...RUN_REPORT_CSV_COLUMNS]];
  const add = (section: string, item: string, value: CsvCell, detail = '') =>
    rows.push([section, item, value, detail]);
  add('run', 'runId', report.runId);
  add('run', 'key', report.key);
  add('run', 'period', report.period);
  add('run', 'status', report.status, report.dryRun ? 'dry run: nothing stored or sent' : '');
  add('rows', 'total', report.rows.total);
  add('rows', 'accepted', report.rows.accepted);
  add('rows', 'rejected', report.rows.rejected);
  for (const r of report.rejectReasons) {
    add(
      'rejected-by-reason',
      r.reason,
      r.count,
      r.examples.map((e) => `row ${e.rowNumber}: ${e.reason}`).join(' | '),
    );
  }
  add('accounts', 'expected', report.accounts.expected);
  add('accounts', 'billed', report.accounts.billed);
  add('accounts', 'missing', report.accounts.missing.length);
  add('accounts', 'held', report.accounts.held.length);
  for (const id of report.accounts.missing) add('missing-account', id, '');
  for (const h of report.accounts.held) add('held-account', h.accountId, h.version, h.reasons.join(' | '));
  add('versions', 'created', report.versions.created);
  add('versions', 'corrected', report.versions.corrected);
  add('versions', 'unchanged', report.versions.unchanged);
  add('totals', 'current', CsvDecimal.of(report.totals.current));
  add('totals', 'previous', CsvDecimal.of(report.totals.previous));
  add('totals', 'changePercent', CsvDecimal.of(report.totals.changePercent));
  for (const b of report.totals.histogram) add('change-histogram', b.label, b.count);
  for (const channel of ['email', 'sms'] as const) {
    for (const o of NOTICE_OUTCOMES) add('notices', `${channel} ${o}`, report.notices[channel][o]);
  }
  for (const b of report.bills) {
    add(
      'bill',
      b.accountId,
      CsvDecimal.of(b.total),
      `${b.name} | version ${b.version} | previous ${b.previousTotal ?? '–'} | change ${b.changePercent ?? '–'}%`,
    );
  }
  return writeCsv(rows);
}
