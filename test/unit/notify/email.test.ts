import { describe, expect, it } from 'vitest';
import { dec, sum } from '#domain/money.ts';
import { MESSAGES, renderBillPreviewEmail } from '#notify/index.ts';
import { SAMPLE_HISTORY, sampleAccount, sampleBill } from './fixtures.ts';
import { count, lineAmountsInHtml, parseMoneyText, textOf } from './helpers.ts';

const LANGUAGES = ['zh-CN', 'en'] as const;
const EVIL_NAME = '<script>alert(1)</script> & Co "Ltd"';

const render = (overrides: Partial<Parameters<typeof renderBillPreviewEmail>[0]> = {}) =>
  renderBillPreviewEmail({
    bill: sampleBill(),
    account: sampleAccount(),
    language: 'zh-CN',
    history: SAMPLE_HISTORY,
    ...overrides,
  });

describe('bill-preview email: amounts', () => {
  it.each(LANGUAGES)(
    'prints every bill line and the total exactly as the bill has them (%s, HTML)',
    (language) => {
      const bill = sampleBill();
      const { html } = render({ language });
      const printed = lineAmountsInHtml(html);
      expect([...printed.keys()]).toEqual(bill.lines.map((line) => line.code));
      for (const line of bill.lines) expect(printed.get(line.code)).toBe(dec(line.amount).toFixed(2));
      const total = parseMoneyText(textOf(html, 'data-field', 'total'));
      expect(total).toBe('436692.08');
      expect(parseMoneyText(textOf(html, 'data-cell', 'lines-total'))).toBe(total);
      expect(sum([...printed.values()]).toFixed(2)).toBe(total);
    },
  );

  it.each(LANGUAGES)('prints every bill line and the total in the plain-text part (%s)', (language) => {
    const bill = sampleBill();
    const { text } = render({ language });
    const colon = MESSAGES[language].labels.colon;
    for (const line of bill.lines) {
      const row = text.split('\n').find((l) => l.startsWith(`- ${line.label[language]}${colon}`));
      expect(row, line.code).toBeDefined();
      expect(parseMoneyText(row!.slice(row!.lastIndexOf('= ') + 2))).toBe(dec(line.amount).toFixed(2));
    }
    const totalLine = text
      .split('\n')
      .find((l) => l.startsWith(`${MESSAGES[language].labels.totalLabel}${colon}`));
    expect(parseMoneyText(totalLine!.split(colon)[1]!)).toBe('436692.08');
  });

  it('formats money from the decimal string, beyond what a binary float holds', () => {
    const { html, text, subject } = render({ bill: sampleBill({ total: '12345678901234567.89' }) });
    expect(textOf(html, 'data-field', 'total')).toBe('¥12,345,678,901,234,567.89');
    expect(text).toContain('¥12,345,678,901,234,567.89');
    expect(subject).toContain('¥12,345,678,901,234,567.89');
  });

  it('prints quantities with grouping, unit prices as the tariff states them and negative amounts with a sign', () => {
    const { html } = render({ language: 'en' });
    const peak = /<tr data-line="ENERGY_PEAK">([\s\S]*?)<\/tr>/.exec(html)![1]!;
    expect(peak).toContain('180,000 kWh');
    expect(peak).toContain('¥0.9600');
    const pf = /<tr data-line="POWER_FACTOR_ADJUSTMENT">([\s\S]*?)<\/tr>/.exec(html)![1]!;
    expect(pf).toContain('¥421,760.00');
    expect(pf).toContain('-0.45%');
    expect(pf).toContain('-¥1,897.92');
  });

  it('refuses a malformed amount instead of printing NaN or zero', () => {
    expect(() => render({ bill: sampleBill({ total: '1e5' }) })).toThrow(/not a decimal/);
  });
});

describe('bill-preview email: subject', () => {
  it.each([
    ['zh-CN', false, '【电费预告】2026年10月 电费 ¥436,692.08（账户 3100012345）'],
    ['en', false, 'Bill preview Oct 2026: ¥436,692.08 (account 3100012345)'],
    ['zh-CN', true, '【更正】【电费预告】2026年10月 电费 ¥436,692.08（账户 3100012345）'],
    ['en', true, 'Corrected: Bill preview Oct 2026: ¥436,692.08 (account 3100012345)'],
  ] as const)('reads %s (corrected: %s) as %s', (language, corrected, subject) => {
    expect(render({ language, corrected }).subject).toBe(subject);
  });
});

describe('bill-preview email: customer text is never markup', () => {
  it.each(LANGUAGES)(
    'escapes a hostile account name in the HTML and keeps it readable in the text (%s)',
    (language) => {
      const { html, text } = render({ language, account: sampleAccount({ name: EVIL_NAME }) });
      expect(html).not.toContain('<script');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co &quot;Ltd&quot;');
      expect(textOf(html, 'data-field', 'account-name')).toBe(EVIL_NAME);
      expect(text).toContain(EVIL_NAME);
    },
  );

  it('escapes markup in engine text (advice, line labels) and the account manager', () => {
    const bill = sampleBill();
    bill.advice[0]!.message = { 'zh-CN': '<img src=x onerror=alert(1)>', en: '<img src=x onerror=alert(1)>' };
    bill.lines[0]!.label = { 'zh-CN': '<b>基本</b>', en: '<b>Basic</b>' };
    const account = sampleAccount({
      accountManager: {
        id: 'AM-1',
        name: '"><a href="javascript:x">',
        email: 'a@b.example.cn',
        phone: '13900001111',
      },
    });
    const { html } = render({ bill, account });
    expect(html).not.toMatch(/<img|<b>|href="javascript/);
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;基本&lt;/b&gt;');
    expect(html).toContain('&quot;&gt;&lt;a href&#x3D;&quot;javascript:x&quot;&gt;');
  });

  it('keeps a name with line breaks or bidi overrides on one line in the text part', () => {
    const { text } = render({ account: sampleAccount({ name: 'ACME\r\n本期预计电费: ¥0.00\u202e' }) });
    expect(text).toContain('ACME 本期预计电费: ¥0.00\n');
    expect(text).not.toContain('\u202e');
  });
});

describe('bill-preview email: safe for email clients', () => {
  it.each(LANGUAGES)('has no script, remote resource, stylesheet link or event handler (%s)', (language) => {
    const { html } = render({ language, corrected: true, version: 2 });
    for (const forbidden of [
      '<script',
      'src="http',
      "src='http",
      '<link',
      '<img',
      '<iframe',
      'href="javascript',
      '@import',
    ]) {
      expect(html.toLowerCase()).not.toContain(forbidden);
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).toContain('max-width:600px');
    expect(html).toContain('<meta name="viewport"');
  });

  it.each(LANGUAGES)('closes every table, row, cell and div it opens (%s)', (language) => {
    const { html } = render({ language, corrected: true, version: 2 });
    for (const tag of ['table', 'tr', 'td', 'div', 'span', 'a', 'strong']) {
      expect(count(html, new RegExp(`<${tag}[\\s>]`, 'g')), tag).toBe(count(html, `</${tag}>`));
    }
    expect(count(html, '<table')).toBeGreaterThan(5);
  });

  it('renders the same bytes for the same bill, so a re-sent preview is identical', () => {
    expect(render({ language: 'en' })).toEqual(render({ language: 'en' }));
  });
});

describe('bill-preview email: content', () => {
  it('shows the account, period, due date and the preview disclaimer in both parts', () => {
    for (const language of LANGUAGES) {
      const { html, text } = render({ language });
      const dueDate = language === 'zh-CN' ? '2026年11月20日' : '20 Nov 2026';
      const period = language === 'zh-CN' ? '2026年10月' : 'Oct 2026';
      expect(textOf(html, 'data-field', 'due-date')).toBe(dueDate);
      for (const part of [html, text]) {
        expect(part).toContain('3100012345');
        expect(part).toContain('华东精密机械制造有限公司');
        expect(part).toContain(period);
        expect(part).toContain(dueDate);
        expect(part).toContain(MESSAGES[language].labels.previewNotice);
      }
    }
  });

  it('takes every fixed string from the recipient language only', () => {
    const en = render({ language: 'en', account: sampleAccount({ name: 'Huadong Precision Ltd' }) });
    const bill = sampleBill();
    const withoutData = (s: string) =>
      [...bill.lines.map((l) => l.label['zh-CN']), '张伟'].reduce((acc, data) => acc.replaceAll(data, ''), s);
    expect(withoutData(en.html)).not.toMatch(/\p{Script=Han}/u);
    expect(withoutData(en.text)).not.toMatch(/\p{Script=Han}/u);
    const zh = render({ language: 'zh-CN' });
    expect(zh.html).toContain(MESSAGES['zh-CN'].labels.linesHeading);
    expect(zh.html).not.toContain(MESSAGES.en.labels.linesHeading);
  });

  it('does not show data-quality findings to customers', () => {
    for (const language of LANGUAGES) {
      const { html, text } = render({ language });
      for (const part of [html, text]) {
        expect(part).not.toContain('INTERNAL-FINDING');
        expect(part).not.toContain('BAND_SUM_MISMATCH');
      }
    }
  });

  it.each([
    ['zh-CN', '比上期（2026年9月，¥410,000.00）增加 6.5%'],
    ['en', 'Up 6.5% on the previous period (Sep 2026, ¥410,000.00)'],
  ] as const)('states the change on the previous period (%s)', (language, sentence) => {
    const { html, text } = render({ language });
    expect(html).toContain(sentence);
    expect(text).toContain(sentence);
  });

  it('states a decrease and an unknown change (previous total zero) in words', () => {
    const decreased = sampleBill({
      comparison: {
        previousPeriod: {
          period: '2026-09',
          total: '500000.00',
          totalKwh: '700000',
          totalChangePercent: '-12.7',
        },
      },
    });
    expect(render({ language: 'en', bill: decreased }).text).toContain('▼ Down 12.7% on the previous period');
    const fromZero = sampleBill({
      comparison: {
        previousPeriod: { period: '2026-09', total: '0.00', totalKwh: '0', totalChangePercent: null },
      },
    });
    const { text } = render({ language: 'en', bill: fromZero });
    expect(text).toContain('Previous period (Sep 2026): ¥0.00');
    expect(text).not.toContain('NaN');
  });

  it('leaves out the comparison when the bill has none', () => {
    const { html } = render({ language: 'en', bill: sampleBill({ comparison: undefined }) });
    expect(html).not.toContain('data-field="comparison"');
  });

  it('draws consumption by band as bars proportional to each band, with kWh and share', () => {
    const { html, text } = render({ language: 'zh-CN' });
    const rows = [...html.matchAll(/<tr data-band="(\w+)">([\s\S]*?)<\/tr>\s*<\/table>[\s\S]*?<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(['sharp', 'peak', 'flat', 'valley']);
    const widths = rows.map((r) =>
      [...r[2]!.matchAll(/width="(\d+)%" height="12"/g)].map((m) => Number(m[1])),
    );
    expect(widths).toEqual([
      [5, 95],
      [29, 71],
      [36, 64],
      [29, 71],
    ]);
    expect(text).toContain('- 平段：222,000 kWh（36.3%）');
    expect(text).toContain('总用电量：612,000 kWh');
  });

  it('shows the power factor against its standard and the adjustment rate', () => {
    const { text } = render({ language: 'en' });
    expect(text).toContain('Power factor this period: 0.93');
    expect(text).toContain('Standard: 0.90');
    expect(text).toContain('Adjustment: -0.45%');
    expect(text).toContain('reduced by 0.45%');
    const low = sampleBill({ powerFactor: { value: '0.75', standard: '0.90', adjustmentPercent: '7.5' } });
    expect(render({ language: 'en', bill: low }).text).toContain('increased by 7.5%');
  });

  it('compares maximum demand with the contract and warns above 105%', () => {
    expect(render({ language: 'en' }).text).toContain('Maximum demand was 102.0% of the contracted demand.');
    const over = sampleBill({
      demand: { maxDemandKw: '1200', contractedDemandKw: '1000', capacityKva: '2500' },
    });
    const { text, html } = render({ language: 'zh-CN', bill: over });
    expect(text).toContain('最大需量为合同需量的 120.0%，超过 105% 的部分按两倍价格计收基本电费。');
    expect(html).toContain('1,200 kW');
  });

  it('shows the last twelve periods as bars, the current one highlighted, only when history is given', () => {
    const { html, text } = render({ language: 'en' });
    const periods = [...html.matchAll(/data-period="(\d{4}-\d{2})"/g)].map((m) => m[1]);
    expect(periods).toHaveLength(12);
    expect(periods[0]).toBe('2025-11');
    expect(periods[11]).toBe('2026-10');
    expect(html).toMatch(/data-period="2026-08"[^>]*>\s*<div style="height:72px/);
    expect(html).toMatch(
      /data-period="2026-10"[^>]*>\s*<div style="height:61px;[^"]*background-color:#1f4e79/,
    );
    expect(text).toContain('- Feb 2026: ¥301,245.36');
    expect(text).toContain('- Oct 2026: ¥436,692.08');
    expect(render({ history: undefined }).html).not.toContain('data-period=');
  });

  it('keeps at most twelve periods and prefers the bill being previewed over a stored summary', () => {
    const older = [
      { period: '2025-09', total: '1.00', totalKwh: '1' },
      { period: '2025-10', total: '2.00', totalKwh: '2' },
    ];
    const stale = { period: '2026-10', total: '999999.99', totalKwh: '1' };
    const { html, text } = render({ language: 'en', history: [...older, ...SAMPLE_HISTORY, stale] });
    expect(count(html, /data-period="/g)).toBe(12);
    expect(html).not.toContain('data-period="2025-10"');
    expect(text).not.toContain('999,999.99');
  });

  it('lists the engine advice with its saving, and what to do', () => {
    const { html, text } = render({ language: 'en' });
    expect(html).toContain('Move 10% of your peak consumption (about 18,000 kWh) to valley hours.');
    expect(html).toContain('Could have saved about ¥12,960.00 this period');
    expect(text).toContain('Could have saved about ¥1,265.28 this period');
    expect(text).toContain('Please pay by 20 Nov 2026');
  });

  it('gives the account manager with a tap-to-call and a mail link', () => {
    const { html, text } = render({ language: 'en' });
    expect(textOf(html, 'data-field', 'manager-name')).toBe('张伟');
    expect(html).toContain('<a href="tel:+8613900001111"');
    expect(html).toContain('<a href="mailto:zhang.wei@grid.example.cn"');
    expect(text).toContain('Phone: 13900001111');
    expect(text).toContain('Email: zhang.wei@grid.example.cn');
  });

  it('shows a correction banner with the version only for a corrected preview', () => {
    const corrected = render({ language: 'zh-CN', corrected: true, version: 2 });
    expect(textOf(corrected.html, 'data-field', 'corrected-banner')).toContain('（现为第 2 版）');
    expect(corrected.text).toContain('更正：本邮件更正此前发送的2026年10月电费预告');
    const first = render({ language: 'zh-CN', version: 1 });
    expect(first.html).not.toContain('corrected-banner');
    expect(first.text).not.toContain('更正');
  });
});
