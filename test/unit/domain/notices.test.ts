import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account.ts';
import { planBillPreviewNotices } from '#domain/notices.ts';
import { testRecipientKeys } from './recipient-key.fixtures.ts';

const account = (contacts: Account['contacts']): Account => ({
  accountId: '3100012345',
  name: '华东精密铸造有限公司',
  category: 'large-industrial',
  language: 'zh-CN',
  tariffId: 'GD-LI-1-10KV',
  basicChargeMethod: 'capacity',
  capacityKva: '2000',
  suspendedKva: '0',
  powerFactorStandard: '0.90',
  paymentDueDay: 20,
  important: false,
  contacts,
  accountManager: { id: 'AM001', name: '王经理', email: 'am@example.cn', phone: '+8613900001000' },
});

describe('bill-preview notices', () => {
  it('plans one email and one SMS per contact with both', () => {
    const plans = planBillPreviewNotices(
      account([
        { name: '张伟', email: 'zw@plant.example.cn', phone: '13812345678' },
        { name: 'Li Na', email: 'ln@plant.example.cn', language: 'en' },
      ]),
      { period: '2026-10', version: 1 },
      testRecipientKeys,
    );
    expect(plans.map((p) => [p.channel, p.recipient.name, p.recipient.language])).toEqual([
      ['email', '张伟', 'zh-CN'],
      ['sms', '张伟', 'zh-CN'],
      ['email', 'Li Na', 'en'],
    ]);
  });

  it('plans a recipient once even when two contacts share an address', () => {
    const plans = planBillPreviewNotices(
      account([
        { name: 'A', email: 'Finance@Plant.example.cn' },
        { name: 'B', email: 'finance@plant.example.cn ' },
      ]),
      { period: '2026-10', version: 1 },
      testRecipientKeys,
    );
    expect(plans).toHaveLength(1);
  });

  it('skips a channel the contact opted out of', () => {
    const plans = planBillPreviewNotices(
      account([
        { name: 'A', email: 'a@plant.example.cn', phone: '13812345678', optOut: { email: false, sms: true } },
      ]),
      { period: '2026-10', version: 1 },
      testRecipientKeys,
    );
    expect(plans.map((p) => p.channel)).toEqual(['email']);
  });

  it('gives a new bill version new notices, and the same version the same ids', () => {
    const a = account([{ name: 'A', email: 'a@plant.example.cn' }]);
    const v1 = planBillPreviewNotices(a, { period: '2026-10', version: 1 }, testRecipientKeys);
    const v1again = planBillPreviewNotices(a, { period: '2026-10', version: 1 }, testRecipientKeys);
    const v2 = planBillPreviewNotices(a, { period: '2026-10', version: 2 }, testRecipientKeys);
    expect(v1again[0]!.noticeId).toBe(v1[0]!.noticeId);
    expect(v2[0]!.noticeId).not.toBe(v1[0]!.noticeId);
  });

  it('keeps addresses out of notice ids', () => {
    const [plan] = planBillPreviewNotices(
      account([{ name: 'A', phone: '+86 138 1234 5678' }]),
      { period: '2026-10', version: 1 },
      testRecipientKeys,
    );
    expect(plan!.noticeId).not.toMatch(/1381234|5678/);
  });
});
