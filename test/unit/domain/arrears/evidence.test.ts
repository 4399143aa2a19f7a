import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type ArrearsMessageModel,
  buildLedger,
  buildWarnings,
  isWarningStillDue,
  warningRecipients,
} from '#domain/arrears/index.ts';
import { testRecipientKeys } from '../recipient-key.fixtures.ts';
import { ACCOUNT_ID, account, messageModel, OCTOBER, payment, policy } from './fixtures.ts';
import { scanDays } from './helpers.ts';

const POLICY = policy();
const model = (kind: ArrearsMessageModel['kind']) => messageModel(kind, POLICY);

describe('a queued warning', () => {
  it('is no longer due once its bills are cleared, charges and penalty', () => {
    const { warnings } = scanDays('2026-11-21', '2026-11-21');
    const ledgerPaying = (amount: string) =>
      buildLedger({
        accountId: ACCOUNT_ID,
        bills: [OCTOBER],
        payments: [payment(amount, '2026-11-21T09:05:00+08:00')],
        penalty: { rates: POLICY.penalty, order: 'principal-first', waivers: [] },
      });
    // One day late: ¥256.00 of penalty on ¥128,000.50.
    const paid = ledgerPaying('128256.50');
    expect(isWarningStillDue(paid, warnings[0]!, '2026-11-21T09:01:00+08:00')).toBe(true);
    expect(isWarningStillDue(paid, warnings[0]!, '2026-11-21T09:06:00+08:00')).toBe(false);
    const chargesOnly = ledgerPaying('128000.50');
    expect(isWarningStillDue(chargesOnly, warnings[0]!, '2026-11-21T09:06:00+08:00')).toBe(true);
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
      recipientKeyOf: testRecipientKeys,
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
