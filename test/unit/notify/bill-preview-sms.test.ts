import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SMS_SEGMENTS, renderBillPreviewSms, smsSegments, smsWithAnswerLink } from '#notify/index.ts';
import { sampleAccount, sampleBill } from './fixtures.ts';

describe('SMS segment counting', () => {
  it.each([
    ['empty text', '', 'GSM-7', 1],
    ['160 GSM-7 characters fit one part', 'a'.repeat(160), 'GSM-7', 1],
    ['161 GSM-7 characters take two parts', 'a'.repeat(161), 'GSM-7', 2],
    ['306 GSM-7 characters fill two parts of 153', 'a'.repeat(306), 'GSM-7', 2],
    ['307 GSM-7 characters take three parts', 'a'.repeat(307), 'GSM-7', 3],
    ['¥, £, é and Δ are in the GSM-7 default alphabet', '¥£éΔ'.repeat(40), 'GSM-7', 1],
    ['80 euro signs (extension, 2 septets each) fit one part', '€'.repeat(80), 'GSM-7', 1],
    ['81 euro signs take two parts', '€'.repeat(81), 'GSM-7', 2],
    ['159 letters and one extension character are 161 septets', `${'a'.repeat(159)}{`, 'GSM-7', 2],
    [
      'an extension character is never split across parts',
      `${'a'.repeat(152)}€${'a'.repeat(152)}`,
      'GSM-7',
      3,
    ],
    ['70 Chinese characters fit one UCS-2 part', '电'.repeat(70), 'UCS-2', 1],
    ['71 Chinese characters take two parts', '电'.repeat(71), 'UCS-2', 2],
    ['134 Chinese characters fill two parts of 67', '电'.repeat(134), 'UCS-2', 2],
    ['135 Chinese characters take three parts', '电'.repeat(135), 'UCS-2', 3],
    ['one non-GSM character turns the whole text into UCS-2', `${'a'.repeat(70)}…`, 'UCS-2', 2],
    ['an emoji counts two UTF-16 code units', '😀'.repeat(35), 'UCS-2', 1],
    ['a surrogate pair is never split across parts', `${'电'.repeat(66)}😀${'电'.repeat(66)}`, 'UCS-2', 3],
  ] as const)('%s', (_case, text, encoding, segments) => {
    expect(smsSegments(text)).toEqual({ encoding, segments });
  });
});

describe('bill-preview SMS', () => {
  it('tells a Chinese-speaking clerk the account, amount, due date and change on last period', () => {
    const sms = renderBillPreviewSms({ bill: sampleBill(), account: sampleAccount(), language: 'zh-CN' });
    expect(sms.text).toBe(
      '电费预告：华东精密机械制造有限公司（账户3100012345）2026年10月电费¥436,692.08，较上期+6.5%，请于2026年11月20日前缴清。以正式账单为准。咨询客户经理张伟 13900001111',
    );
    expect(sms).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('stays in GSM-7 in English by leaving out text in another script', () => {
    const sms = renderBillPreviewSms({ bill: sampleBill(), account: sampleAccount(), language: 'en' });
    expect(sms.text).toBe(
      'Bill preview Oct 2026, acct 3100012345: ¥436,692.08, +6.5% on Sep 2026, due 20 Nov 2026. Final bill prevails. Questions: 13900001111',
    );
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('names an English-named account in full when it fits', () => {
    const account = sampleAccount({
      name: 'Huadong Precision Ltd',
      accountManager: {
        id: 'AM-1',
        name: 'Wei Zhang',
        email: 'wei.zhang@grid.example.cn',
        phone: '13900001111',
      },
    });
    const sms = renderBillPreviewSms({ bill: sampleBill(), account, language: 'en', corrected: true });
    expect(sms.text).toBe(
      'Corrected: Bill preview Oct 2026, Huadong Precision Ltd (acct 3100012345): ¥436,692.08, +6.5% on Sep 2026, due 20 Nov 2026. Final bill prevails. Questions: Wei Zhang 13900001111',
    );
    expect(sms.encoding).toBe('GSM-7');
  });

  it('marks a corrected preview', () => {
    const sms = renderBillPreviewSms({
      bill: sampleBill(),
      account: sampleAccount(),
      language: 'zh-CN',
      corrected: true,
    });
    expect(sms.text.startsWith('更正：')).toBe(true);
  });

  it('leaves the change out when there is no earlier period to compare with', () => {
    const sms = renderBillPreviewSms({
      bill: sampleBill({ comparison: undefined }),
      account: sampleAccount(),
      language: 'zh-CN',
    });
    expect(sms.text).not.toContain('较上期');
    expect(sms.text).toContain('¥436,692.08');
  });

  it('cuts a long account name before dropping it', () => {
    const account = sampleAccount({ name: '华东精密机械制造（集团）股份有限公司'.repeat(4) });
    const sms = renderBillPreviewSms({ bill: sampleBill(), account, language: 'zh-CN' });
    expect(sms.text).toContain('华东精密机械制造（集团）股...（账户3100012345）');
    expect(sms.segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
  });

  it('never needs more than two parts, and always carries the account, amount and due date', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }),
        fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
        fc.stringMatching(/^[A-Za-z0-9]{1,20}$/),
        fc.stringMatching(/^\d{1,13}\.\d{2}$/),
        fc.constantFrom('zh-CN' as const, 'en' as const),
        fc.boolean(),
        (name, managerName, accountId, total, language, corrected) => {
          const account = sampleAccount({
            name,
            accountId,
            accountManager: {
              id: 'AM-1',
              name: managerName,
              email: 'a@b.example.cn',
              phone: '+86 139 0000 1111',
            },
          });
          const sms = renderBillPreviewSms({
            bill: sampleBill({ accountId, total }),
            account,
            language,
            corrected,
          });
          expect(sms.segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
          expect(smsSegments(sms.text)).toEqual({ encoding: sms.encoding, segments: sms.segments });
          expect(sms.text).toContain(accountId);
          expect(sms.text).toContain(language === 'zh-CN' ? '2026年11月20日' : '20 Nov 2026');
          expect(sms.text).toMatch(/¥[\d,]+\.\d{2}/);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the answer link in an SMS', () => {
  const API_LINK = 'https://abcdefghij.execute-api.cn-north-1.amazonaws.com.cn/s/1UWRMJAnfDJda8Ei';

  it.each(['zh-CN', 'en'] as const)(
    'is carried in %s within the segment budget, the text shortened to fit',
    (language) => {
      const sms = renderBillPreviewSms({
        bill: sampleBill(),
        account: sampleAccount(),
        language,
        answerLink: API_LINK,
      });
      expect(sms.text.endsWith(` ${API_LINK}`)).toBe(true);
      expect(sms.segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
      expect(smsSegments(sms.text).segments).toBe(sms.segments);
    },
  );

  it('is added to a warning only when the warning stays within its parts', () => {
    const short = '停电通知：请于12月1日前缴清欠费。';
    expect(smsWithAnswerLink(short, API_LINK)).toBe(`${short} ${API_LINK}`);
    const long = '电'.repeat(130);
    expect(smsWithAnswerLink(long, API_LINK)).toBe(long);
    expect(smsWithAnswerLink(short, undefined)).toBe(short);
  });
});
