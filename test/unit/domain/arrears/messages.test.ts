import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ARREARS_MESSAGE_KINDS,
  type ArrearsMessageModel,
  buildWarnings,
  formatYuanAmount,
  renderArrearsMessage,
  warningRecipients,
} from '../../../../shared/domain/arrears/index.ts';
import { account, policy } from './fixtures.ts';

const POLICY = policy();

const model = (kind: ArrearsMessageModel['kind']): ArrearsMessageModel => ({
  kind,
  accountId: '3100012345',
  accountName: '华东精密铸造有限公司',
  periods: ['2026-10'],
  dueDate: '2026-11-20',
  arrears: '128000.50',
  penalty: '7936.03',
  asOf: '2026-12-21',
  daysOverdue: 31,
  penaltyRatePerMille: '2',
  disconnectAt: '2026-12-24T10:00:00+08:00',
  disconnectionNoticeFrom: '2026-12-21',
  cancellation: { reason: 'paid' },
  restoreWithinDays: 3,
  paymentInstructions: POLICY.paymentInstructions,
  manager: { name: '王经理', phone: '+8613900001000', email: 'am@power.example.cn' },
  important: false,
});

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
        '因您2026年10月的电费逾期 31 天且经催告仍未缴清，我公司定于 2026-12-24 10:00（北京时间）对户号 3100012345（华东精密铸造有限公司）中止供电。在此之前缴清欠费的，停电将取消。',
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

describe('warning evidence', () => {
  it('copies the account manager on every warning and hashes the exact text', () => {
    const warnings = buildWarnings({
      account: account(),
      model: model('overdue-notice'),
      scope: '3100012345#2026-10',
      billIds: ['3100012345#2026-10'],
      sendAt: '2026-11-21T09:00:00+08:00',
      policy: POLICY,
    });
    expect(warnings.map((w) => [w.recipient.role, w.channel, w.recipient.language])).toEqual([
      ['customer', 'email', 'zh-CN'],
      ['customer', 'sms', 'zh-CN'],
      ['customer', 'email', 'en'],
      ['account-manager', 'email', 'zh-CN'],
    ]);
    for (const w of warnings) {
      expect(w.textSha256).toBe(createHash('sha256').update(w.text, 'utf8').digest('hex'));
      expect(w).toMatchObject({
        accountId: '3100012345',
        kind: 'overdue-notice',
        level: 'overdue-notice',
        sendAt: '2026-11-21T09:00:00+08:00',
        amounts: { arrears: '128000.50', penalty: '7936.03', asOf: '2026-12-21' },
        policyId: 'test-2026',
      });
    }
    expect(warnings[3]?.text).toMatch(/^【抄送客户经理 王经理】/);
  });

  it('addresses the authority on the disconnection notice of an important customer only', () => {
    const roles = (important: boolean, kind: ArrearsMessageModel['kind']) =>
      warningRecipients(account({ important }), kind, POLICY).map((r) => r.recipient.role);
    expect(roles(true, 'disconnection-notice')).toContain('authority');
    expect(roles(true, 'disconnection-cancelled')).toContain('authority');
    expect(roles(true, 'payment-demand')).not.toContain('authority');
    expect(roles(false, 'disconnection-notice')).not.toContain('authority');
  });

  it("honours a contact's opt-out for reminders but not for the legal notices", () => {
    const optedOut = account({
      contacts: [
        { name: 'A', email: 'a@plant.example.cn', phone: '13812345678', optOut: { email: true, sms: true } },
      ],
    });
    const channels = (kind: ArrearsMessageModel['kind']) =>
      warningRecipients(optedOut, kind, POLICY)
        .filter((r) => r.recipient.role === 'customer')
        .map((r) => r.channel);
    expect(channels('reminder')).toEqual([]);
    expect(channels('disconnection-notice')).toEqual(['email', 'sms']);
  });
});
