import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_ACCOUNT_CONFIG } from '#domain/key-accounts/config.ts';
import { rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import {
  csvNumberCell,
  csvTextCell,
  KEY_ACCOUNT_CSV_COLUMNS,
  renderKeyAccountCsv,
} from '#domain/key-accounts/report-csv.ts';
import { renderKeyAccountHtml } from '#domain/key-accounts/report-html.ts';
import type { KeySelectionRecord } from '#domain/key-accounts/selection.ts';
import { account, history } from './fixtures.ts';

const HOSTILE_NAMES = {
  A1: '=HYPERLINK("http://evil.example","点我")',
  A2: '+86 工厂, "东区"',
  A3: '-1+1',
  A4: '@SUM(A1:A9)',
  A5: '\tTabbed 厂',
  A6: '<script>alert("x")</script> 有限公司',
  A7: 'Line one\nline two',
} as const;

const accounts = Object.entries(HOSTILE_NAMES).map(([id, name]) => account(id, { name }));
const bills = Object.keys(HOSTILE_NAMES).flatMap((id, i) =>
  history(id, { kwh: [...Array(11).fill((7 - i) * 100_000), (7 - i) * 45_000] }),
);
const previous: KeySelectionRecord = {
  period: '2026-09',
  effectiveFrom: '2026-10-01',
  configVersion: 'v0',
  keyAccounts: [{ accountId: 'A7', segmentId: 'balanced', managerId: null }],
};
const result = rankKeyAccounts({
  accounts,
  bills,
  config: DEFAULT_KEY_ACCOUNT_CONFIG,
  asOf: '2026-11-01',
  previous,
  overrides: [
    {
      kind: 'key-status',
      accountId: 'A6',
      status: 'always',
      reason: '"><img src=x onerror=alert(1)>',
      setOn: '2026-10-01',
      expiresOn: '2026-12-31',
    },
  ],
});

describe('ranking CSV', () => {
  const csv = renderKeyAccountCsv(result);
  const rows: string[][] = parse(csv, { relax_column_count: false });

  it('is RFC 4180: CRLF line ends, a header, one row per ranked account, every row the same width', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '').includes('\r')).toBe(false);
    expect(rows[0]).toEqual([...KEY_ACCOUNT_CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + result.ranking.length);
  });

  it('neutralises text a spreadsheet would run as a formula, and keeps the rest of the text as it was', () => {
    const nameOf = new Map(rows.slice(1).map((r) => [r[1], r[2]]));
    expect(nameOf.get('A1')).toBe(`'${HOSTILE_NAMES.A1}`);
    expect(nameOf.get('A2')).toBe(`'${HOSTILE_NAMES.A2}`);
    expect(nameOf.get('A3')).toBe(`'${HOSTILE_NAMES.A3}`);
    expect(nameOf.get('A4')).toBe(`'${HOSTILE_NAMES.A4}`);
    expect(nameOf.get('A5')).toBe(`'${HOSTILE_NAMES.A5}`);
    expect(nameOf.get('A6')).toBe(HOSTILE_NAMES.A6);
    expect(nameOf.get('A7')).toBe(HOSTILE_NAMES.A7);
  });

  it('leaves negative numbers as numbers', () => {
    const mom = rows[0]!.indexOf('mom_change_pct');
    expect(rows.slice(1).map((r) => r[mom])).toContain('-55.0');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['-x, "y"', `"'-x, ""y"""`],
    ['plain 文本', 'plain 文本'],
  ])('writes the text cell %j as %j', (value, expected) => {
    expect(csvTextCell(value)).toBe(expected);
  });

  it('refuses anything but a decimal in a numeric cell', () => {
    expect(csvNumberCell('-12.5')).toBe('-12.5');
    expect(csvNumberCell(null)).toBe('');
    expect(() => csvNumberCell('=1+1')).toThrow(/not a decimal/);
  });
});

describe('ranking HTML report', () => {
  const html = renderKeyAccountHtml(result);

  it('escapes account names and operator text', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 有限公司');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('shows the summary, the segments, the changes and the notice rule', () => {
    expect(html).toContain(`${result.key.count} (${result.key.accountPercent}%)`);
    expect(html).toContain('用电骤降型 / Sudden drop');
    expect(html).toContain('不再是大客户');
    expect(html).toContain('2026-11-01 起生效');
    const en = renderKeyAccountHtml(result, { language: 'en' });
    expect(en).toContain('notices already planned or sent are neither withdrawn nor changed');
    expect(en).toContain('<html lang="en">');
  });

  it('draws the Pareto curve with the 80 % line and the accounts per segment as inline SVG, nothing fetched', () => {
    const charts = html.slice(html.indexOf('data-field="charts"'));
    expect(charts).toContain('帕累托曲线');
    expect(charts).toContain('目标 80.0%');
    expect(charts).toContain(`大客户 ${result.key.count}`);
    expect(charts).toContain('各分群大客户数');
    // From the origin (no accounts, no revenue) to the top right (every account, all the revenue).
    expect(charts).toMatch(/<polyline points="44,240 [^"]* 460,30"/);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/(href|src)=|url\(|@import|<script/i);
  });
});
