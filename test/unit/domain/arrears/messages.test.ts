import { describe, expect, it } from 'vitest';
import {
  ARREARS_MESSAGE_KINDS,
  type ArrearsMessageModel,
  formatYuanAmount,
  renderArrearsMessage,
} from '#domain/arrears/index.ts';
import { messageModel, policy } from './fixtures.ts';

const POLICY = policy();
const model = (kind: ArrearsMessageModel['kind']) => messageModel(kind, POLICY);

describe('arrears messages', () => {
  const cases = ARREARS_MESSAGE_KINDS.flatMap((kind) =>
    (['zh-CN', 'en'] as const).flatMap((language) =>
      (['email', 'sms'] as const).map((channel) => [kind, language, channel] as const),
    ),
  );

  it.each(cases)(
    '%s in %s by %s states the amount, the penalty, the time and how to pay',
    (kind, language, channel) => {
      const { subject, text } = renderArrearsMessage(model(kind), {
        role: 'customer',
        name: '张伟',
        language,
        channel,
      });
      expect(text).toContain('¥128,000.50');
      expect(text).toContain('¥7,936.03');
      expect(text).toContain('2026-12-24 10:00');
      expect(text).toContain(POLICY.paymentInstructions[language].replace(/[。.]$/u, ''));
      expect(subject === null).toBe(channel === 'sms');
    },
  );

  it('renders the exact zh-CN disconnection notice text', () => {
    const { subject, text } = renderArrearsMessage(model('disconnection-notice'), {
      role: 'customer',
      name: '张伟',
      language: 'zh-CN',
      channel: 'email',
    });
    expect(subject).toBe('停电通知：户号 3100012345 定于 2026-12-24 10:00（北京时间）中止供电');
    expect(text).toBe(
      [
        '尊敬的 张伟（华东精密铸造有限公司，户号 3100012345）：',
        '',
        '因您2026年10月的电费逾期 31 天且经催告仍未缴清，我公司定于 2026-12-24 10:00（北京时间）对户号 3100012345（华东精密铸造有限公司）中止供电。在此之前缴清欠费及违约金的，停电将取消。',
        '',
        '欠费金额：¥128,000.50',
        '截至 2026-12-21 的违约金：¥7,936.03',
        '停电时间：2026-12-24 10:00（北京时间）',
        '缴费方式：银行转账至账号 6222 0000 0000 0000，注明户号。',
        '',
        '如有疑问，请联系客户经理 王经理（+8613900001000）。',
        '',
      ].join('\n'),
    );
  });

  it('formats money half-up with thousands separators, never through a float', () => {
    expect(formatYuanAmount('1234567.005')).toBe('¥1,234,567.01');
    expect(formatYuanAmount('0.1')).toBe('¥0.10');
  });
});
