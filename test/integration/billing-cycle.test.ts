import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { dynamoStores } from '#adapters/dynamodb/index.ts';
import { type BillingCycleSummary, LOCAL_NAMES, runBillingCycle } from '../../local/runner/billing-cycle.ts';
import { type LocalStack, type SesStoredEmail, startLocalStack } from '../../local/stack.ts';

/** ¥1,234,567.89 from "1234567.89", written independently of the renderer so the test can catch it. */
const yuanAsPrinted = (amount: string): string => {
  const negative = amount.startsWith('-');
  const [int, frac = '00'] = amount.replace('-', '').split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${grouped}.${frac.padEnd(2, '0')}`;
};

describe('one billing cycle from meter-read drop to inbox (local stack)', () => {
  let stack: LocalStack;
  let summary: BillingCycleSummary;
  let emails: SesStoredEmail[];

  beforeAll(async () => {
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    summary = await runBillingCycle({ stack, accounts: 6, period: '2026-10' });
    // Bill previews; the managers' monthly digests, held-bill notices and the operations mail are checked on their own below.
    emails = (await stack.ses!.listEmails()).filter(
      (e) =>
        !e.subject.includes('大客户月度简报') &&
        !e.subject.includes('账单暂停发送') &&
        !e.subject.startsWith('【keybill】'),
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('bills every generated account and rejects only the broken rows', () => {
    expect(summary.counts.accountsBilled).toBe(6);
    expect(summary.counts.rowsRejected).toBe(2);
    expect(summary.counts.rowsAccepted + summary.counts.rowsRejected).toBe(summary.counts.rows);
    expect(summary.rejectReport).toContain('account_id');
    expect(summary.rejectReport).toContain('multiplier');
  });

  it('sends one email and one SMS per contact of every bill not held, and nothing again when the drop is re-delivered', () => {
    expect(summary.counts.emailsSent).toBe(5);
    expect(summary.counts.smsSent).toBe(5);
    expect(summary.counts.noticesFailed).toBe(0);
    expect(summary.counts.redeliveredDropOutcome).toBe('duplicate');
    expect(emails).toHaveLength(5);
    expect(stack.sms!.messages()).toHaveLength(5);
  });

  it('holds the bill of the account read by estimate: no preview, its account manager told why', async () => {
    expect(summary.counts.billsHeld).toBe(1);
    const [held] = summary.heldBills;
    expect(held?.reasons).toEqual(['1 of 1 meters read by estimate (100 %; policy: at most 50 %)']);
    expect(emails.some((e) => e.destination.to[0]?.includes(held!.accountId))).toBe(false);
    const notices = (await stack.ses!.listEmails()).filter((e) => e.subject.includes('账单暂停发送'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toContain(held!.accountId);
    expect(notices[0]!.destination.to[0]).toMatch(/^manager\d+@/);
  });

  it('shows in each email the total and every line amount of the bill stored in DynamoDB', async () => {
    const stores = dynamoStores(documentClient(), LOCAL_NAMES.table);
    for (const email of emails) {
      const accountId = /finance\.(\d+)@/.exec(email.destination.to[0] ?? '')?.[1];
      expect(accountId, `recipient of ${email.subject}`).toBeDefined();
      const stored = await stores.bills.getLatestBill(accountId!, '2026-10');
      expect(stored).toBeDefined();
      const bill = stored!.document;
      for (const part of [email.body.html ?? '', email.body.text ?? '']) {
        expect(part).toContain(yuanAsPrinted(bill.total));
        for (const line of bill.lines) expect(part, line.code).toContain(yuanAsPrinted(line.amount));
      }
      expect(email.subject).toContain(yuanAsPrinted(bill.total));
    }
  });

  it('keeps an SMS within two parts and states the amount due', async () => {
    const stores = dynamoStores(documentClient(), LOCAL_NAMES.table);
    const bills = await stores.bills.listBillsForPeriod('2026-10');
    for (const sms of stack.sms!.messages()) {
      expect(sms.phoneNumber).toMatch(/^\+861\d{10}$/);
      expect(bills.some((b) => sms.message.includes(yuanAsPrinted(b.document.total)))).toBe(true);
    }
  });

  it('sends each account manager a monthly digest of their key accounts', async () => {
    const digests = (await stack.ses!.listEmails()).filter((e) => e.subject.includes('大客户月度简报'));
    expect(summary.counts.managerDigestsSent).toBe(digests.length);
    expect(digests.length).toBeGreaterThan(0);
    expect(digests[0]!.destination.to[0]).toMatch(/^manager\d+@/);
    expect(digests[0]!.body.text).toContain('【服务报告】');
  });

  it('tells operations of the late drop and of the account the drop left out, and bills it from its own drop', async () => {
    expect(summary.counts.lateDrops).toBeGreaterThanOrEqual(1);
    expect(summary.counts.partialDrops).toBe(1);
    expect(summary.counts.accountsMissingFromDrop).toHaveLength(1);
    const operations = (await stack.ses!.listEmails()).filter((e) => e.destination.to[0]?.startsWith('ops@'));
    expect(operations.map((e) => e.subject)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('meter-reads drop for 2026-10 is late'),
        expect.stringContaining('1 key accounts have no bill for 2026-10'),
      ]),
    );
    expect(summary.runReport.html).toContain(`<code>${summary.counts.accountsMissingFromDrop[0]}</code>`);
  });

  it('records every notice as SENT with the provider message id', async () => {
    const stores = dynamoStores(documentClient(), LOCAL_NAMES.table);
    const sent = (await stores.notices.listNoticesByStatus('SENT')).filter((n) => n.kind === 'bill-preview');
    expect(sent).toHaveLength(10);
    const ids = new Set([
      ...emails.map((e) => e.messageId),
      ...stack.sms!.messages().map((m) => m.messageId),
    ]);
    for (const notice of sent) expect(ids.has(notice.providerMessageId!)).toBe(true);
  });
});
