import type { Account } from '#domain/account.ts';
import {
  type ArrearsBillInput,
  type ArrearsMessageModel,
  type ArrearsPolicy,
  type ArrearsPolicyInput,
  ArrearsPolicySchema,
  type ReplayInput,
  type ReplayResult,
  replayArrears,
} from '#domain/arrears/index.ts';
import type { PaymentRow } from '#domain/payment.ts';

export const ACCOUNT_ID = '3100012345';

export function account(overrides: Partial<Account> = {}): Account {
  return {
    accountId: ACCOUNT_ID,
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
    contacts: [
      { name: '张伟', email: 'zw@plant.example.cn', phone: '13812345678' },
      { name: 'Li Na', email: 'ln@plant.example.cn', language: 'en' },
    ],
    accountManager: { id: 'AM001', name: '王经理', email: 'am@power.example.cn', phone: '+8613900001000' },
    ...overrides,
  };
}

export function policy(overrides: Partial<ArrearsPolicyInput> = {}): ArrearsPolicy {
  return ArrearsPolicySchema.parse({
    policyId: 'test-2026',
    effectiveFrom: '2026-01-01',
    authorityEmail: 'authority@energy.example.gov.cn',
    approvers: { default: { name: '李主任', email: 'approver@power.example.cn' } },
    paymentInstructions: {
      'zh-CN': '银行转账至账号 6222 0000 0000 0000，注明户号。',
      en: 'Bank transfer to account 6222 0000 0000 0000 quoting your account number.',
    },
    // The scenarios written before approval was required for every plan keep it for important customers only.
    disconnection: { approvalRequiredFor: 'important' },
    ...overrides,
  });
}

/** October 2026 bill, due Friday 2026-11-20. */
export const OCTOBER: ArrearsBillInput = {
  accountId: ACCOUNT_ID,
  period: '2026-10',
  total: '128000.50',
  dueDate: '2026-11-20',
};
export const OCTOBER_ID = `${ACCOUNT_ID}#2026-10`;

let sequence = 0;
export function payment(amount: string, paidAt: string, extra: Partial<PaymentRow> = {}): PaymentRow {
  sequence++;
  return { paymentId: `P-${sequence}`, accountId: ACCOUNT_ID, amount, paidAt, ...extra };
}

export function reversal(of: PaymentRow, paidAt: string): PaymentRow {
  sequence++;
  return {
    paymentId: `R-${sequence}`,
    accountId: of.accountId,
    amount: `-${of.amount}`,
    paidAt,
    reverses: of.paymentId,
  };
}

/** 60 days around the October bill: 2026-11-10 … 2027-01-08. */
export function replay(input: Partial<ReplayInput> = {}): ReplayResult {
  return replayArrears({
    accounts: [account()],
    bills: [OCTOBER],
    payments: [],
    from: '2026-11-10',
    to: '2027-01-08',
    policy: policy(),
    ...input,
  });
}

/** Customer-facing sends (not the approver's requests or escalations) as `day kind` (one line per send instant and kind). */
export function timeline(result: ReplayResult): string[] {
  const lines = [...result.notices, ...result.confirmations]
    .filter((w) => w.recipient.role !== 'approver' && w.kind !== 'delivery-escalation')
    .sort((a, b) => (a.sendAt < b.sendAt ? -1 : a.sendAt > b.sendAt ? 1 : 0))
    .map((w) => `${w.sendAt.slice(0, 16).replace('T', ' ')} ${w.kind}`);
  return [...new Set(lines)];
}

/** A message model with every field any message kind prints (illustrative amounts and times). */
export const messageModel = (
  kind: ArrearsMessageModel['kind'],
  p: ArrearsPolicy = policy(),
): ArrearsMessageModel => ({
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
  restoreBy: '2026-12-28T16:00:00+08:00',
  planId: '3100012345#DP1',
  approverName: '李主任',
  noticeSentAt: '2026-12-21T09:00:00+08:00',
  bouncedChannels: ['email'],
  deliveryWindowHours: 24,
  paymentInstructions: p.paymentInstructions,
  manager: { name: '王经理', phone: '+8613900001000', email: 'am@power.example.cn' },
  important: false,
});
