import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '#domain/run.ts';
import { buildRunReport, type RunReportInput, reasonKind } from '#domain/run-report/model.ts';
import { renderRunReportCsv, renderRunReportHtml } from '#domain/run-report/render.ts';

const run: RunRecord = {
  runId: 'meter-reads#abc',
  feed: 'meter-reads',
  bucket: 'keybill-drops',
  key: 'drops/reads/2026-10/meter-reads-2026-10.csv',
  period: '2026-10',
  status: 'SUCCEEDED',
  startedAt: '2026-11-02T01:00:00.000Z',
  finishedAt: '2026-11-02T01:05:00.000Z',
  counts: { rows: 9, accepted: 6, rejected: 3, accountsBilled: 4, billsCreated: 4, billsUnchanged: 0 },
};

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> 有限公司';

const input: RunReportInput = {
  run,
  rejects: [
    { rowNumber: 3, column: 'multiplier', reason: 'multiplier "0" must be positive' },
    { rowNumber: 5, column: 'multiplier', reason: 'multiplier "-2" must be positive' },
    {
      rowNumber: 7,
      column: 'meter_id',
      reason: `meter M-1 of account 3100010007 has no read for 2026-10: ${HOSTILE}`,
    },
  ],
  bills: [
    { accountId: 'A1', name: HOSTILE, version: 1, total: '1000.00', previousTotal: '1000.00' },
    {
      accountId: 'A2',
      name: '=HYPERLINK("http://evil.example")',
      version: 2,
      total: '300.00',
      previousTotal: '1000.00',
    },
    { accountId: 'A3', name: 'Plant', version: 1, total: '2000.00', previousTotal: '1000.00' },
    { accountId: 'A4', name: 'New', version: 1, total: '10.00' },
  ],
  expectedAccounts: 6,
  missingAccounts: ['A5', 'A6'],
  held: [{ accountId: 'A3', version: 1, reasons: [`TOTAL_JUMP: ${HOSTILE}`] }],
  notices: [
    { channel: 'email', status: 'DELIVERED' },
    { channel: 'email', status: 'SENT' },
    { channel: 'email', status: 'BOUNCED' },
    { channel: 'sms', status: 'DEFERRED' },
    { channel: 'sms', status: 'SUPPRESSED' },
    { channel: 'sms', status: 'QUEUED' },
  ],
  generatedAt: '2026-11-02T02:00:00.000Z',
};
const report = buildRunReport(input);

describe('run report', () => {
  it('counts rows, accounts billed / missing / held, and versions created and corrected', () => {
    expect(report.rows).toEqual({ total: 9, accepted: 6, rejected: 3 });
    expect(report.accounts).toMatchObject({ expected: 6, billed: 4, missing: ['A5', 'A6'] });
    expect(report.accounts.held.map((h) => h.accountId)).toEqual(['A3']);
    expect(report.versions).toEqual({ created: 4, corrected: 1, unchanged: 0 });
  });

  it('groups rejects by the kind of reason, most frequent first, with examples', () => {
    expect(report.rejectReasons.map((r) => [r.reason, r.count])).toEqual([
      ['multiplier: multiplier "…" must be positive', 2],
      [`meter_id: ${reasonKind(input.rejects[2]!.reason)}`, 1],
    ]);
    expect(report.rejectReasons[0]!.examples.map((e) => e.rowNumber)).toEqual([3, 5]);
  });

  it('compares totals with the previous period and draws the distribution of the change', () => {
    // Compared: A1 0 %, A2 -70 %, A3 +100 %; A4 has no previous bill.
    expect(report.totals).toMatchObject({
      current: '3310.00',
      previous: '3000.00',
      changePercent: '10.0',
      withoutPrevious: 1,
    });
    expect(report.totals.histogram.map((b) => b.count)).toEqual([1, 0, 0, 1, 0, 0, 1]);
    expect(report.bills.map((b) => b.accountId)).toEqual(['A3', 'A2', 'A1', 'A4']);
  });

  it('counts the previews sent, deferred, suppressed, failed and pending by channel', () => {
    expect(report.notices).toEqual({
      email: { sent: 2, deferred: 0, suppressed: 0, failed: 1, pending: 0 },
      sms: { sent: 0, deferred: 1, suppressed: 1, failed: 0, pending: 1 },
    });
  });

  describe('HTML', () => {
    const html = renderRunReportHtml(report);

    it('escapes hostile account names and reasons', () => {
      expect(html).not.toMatch(/<script|<img/i);
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it('lists the missing accounts by id and the held ones with why', () => {
      expect(html).toContain('<code>A5</code> <code>A6</code>');
      expect(html).toContain('TOTAL_JUMP: &lt;script&gt;');
    });

    it('carries the change histogram as inline SVG and fetches nothing', () => {
      expect(html.match(/<svg /g)).toHaveLength(1);
      expect(html).toContain('Bill change against the previous period');
      expect(html).not.toMatch(/(href|src)=|url\(|@import/i);
    });
  });

  describe('CSV', () => {
    const rows = parse(renderRunReportCsv(report), { columns: true }) as Record<string, string>[];
    const value = (section: string, item: string) =>
      rows.find((r) => r.section === section && r.item === item)?.value;

    it('has every figure of the HTML, section by section', () => {
      expect(value('rows', 'rejected')).toBe('3');
      expect(value('accounts', 'missing')).toBe('2');
      expect(rows.filter((r) => r.section === 'missing-account').map((r) => r.item)).toEqual(['A5', 'A6']);
      expect(value('totals', 'changePercent')).toBe('10.0');
      expect(value('notices', 'email failed')).toBe('1');
    });

    it('neutralises text a spreadsheet would run as a formula', () => {
      const a2 = rows.find((r) => r.section === 'bill' && r.item === 'A2')!;
      expect(a2.detail!.startsWith('=')).toBe(false);
      expect(rows.every((r) => !/^[=+@]/.test(r.detail ?? ''))).toBe(true);
    });
  });
});
