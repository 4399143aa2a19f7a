import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccountLedger,
  type ArrearsBillInput,
  billPenalty,
  buildLedger,
  creditAt,
  instantMs,
  openBalanceAt,
  openBalanceOn,
} from '#domain/arrears/index.ts';
import { dec, sum } from '#domain/money.ts';
import type { PaymentRow } from '#domain/payment.ts';
import { ACCOUNT_ID, payment, policy, reversal } from './fixtures.ts';

const bill = (period: string, total: string, dueDate: string, extra: Partial<ArrearsBillInput> = {}) => ({
  accountId: ACCOUNT_ID,
  period,
  total,
  dueDate,
  ...extra,
});
const SEP = bill('2026-09', '1000.00', '2026-10-20');
const OCT = bill('2026-10', '2000.00', '2026-11-20');
const NOV = bill('2026-11', '3000.00', '2026-12-20');
const id = (period: string) => `${ACCOUNT_ID}#${period}`;

const ledgerOf = (payments: PaymentRow[], bills: ArrearsBillInput[] = [SEP, OCT, NOV]) =>
  buildLedger({ accountId: ACCOUNT_ID, bills, payments });
const balances = (ledger: AccountLedger, date: string) =>
  Object.fromEntries(ledger.bills.map((b) => [b.period, openBalanceOn(ledger, b.billId, date)]));

describe('arrears ledger', () => {
  it('settles the oldest open bills first', () => {
    const ledger = ledgerOf([payment('1500.00', '2026-11-21T10:00:00+08:00')]);
    expect(balances(ledger, '2026-11-21')).toEqual({
      '2026-09': '0.00',
      '2026-10': '1500.00',
      '2026-11': '3000.00',
    });
  });

  it('settles a named bill first, and the rest oldest first', () => {
    const ledger = ledgerOf([payment('2500.00', '2026-11-21T10:00:00+08:00', { billId: id('2026-10') })]);
    expect(balances(ledger, '2026-11-21')).toEqual({
      '2026-09': '500.00',
      '2026-10': '0.00',
      '2026-11': '3000.00',
    });
  });

  it("accepts the collection system's own bill id when the bill carries it", () => {
    const ledger = ledgerOf(
      [payment('2000.00', '2026-11-21T10:00:00+08:00', { billId: 'B-2026-10-3100012345' })],
      [SEP, { ...OCT, externalId: 'B-2026-10-3100012345' }],
    );
    expect(balances(ledger, '2026-11-21')).toEqual({ '2026-09': '1000.00', '2026-10': '0.00' });
  });

  it('settles the oldest first when the named bill is unknown, and says so', () => {
    const ledger = ledgerOf([payment('100.00', '2026-11-21T10:00:00+08:00', { billId: 'NOPE-1' })]);
    expect(balances(ledger, '2026-11-21')['2026-09']).toBe('900.00');
    expect(ledger.findings.map((f) => f.code)).toEqual(['unknown-bill']);
  });

  it('keeps an over-payment as a credit and applies it to a later bill when it is issued', () => {
    const ledger = ledgerOf(
      [payment('1300.00', '2026-10-15T10:00:00+08:00')],
      [SEP, { ...OCT, issuedOn: '2026-11-05' }],
    );
    expect(creditAt(ledger, instantMs('2026-10-16T00:00:00+08:00'))).toBe('300.00');
    expect(balances(ledger, '2026-10-31')).toEqual({ '2026-09': '0.00', '2026-10': '2000.00' });
    expect(balances(ledger, '2026-11-05')).toEqual({ '2026-09': '0.00', '2026-10': '1700.00' });
    expect(creditAt(ledger, instantMs('2026-11-06T00:00:00+08:00'))).toBe('0.00');
  });

  it('lets a reversal undo exactly the allocations of the payment it reverses', () => {
    const first = payment('1500.00', '2026-11-21T10:00:00+08:00');
    const second = payment('1000.00', '2026-11-22T10:00:00+08:00');
    const ledger = ledgerOf([first, second, reversal(first, '2026-11-25T09:00:00+08:00')]);
    // first: Sep 1000 + Oct 500; second: Oct 1000. Reversing the first re-opens Sep 1000 and Oct 500 only.
    expect(balances(ledger, '2026-11-24')).toEqual({
      '2026-09': '0.00',
      '2026-10': '500.00',
      '2026-11': '3000.00',
    });
    expect(balances(ledger, '2026-11-25')).toEqual({
      '2026-09': '1000.00',
      '2026-10': '1000.00',
      '2026-11': '3000.00',
    });
  });

  it('re-opens a cleared bill when its payment bounces, and lets an unused credit settle it', () => {
    const bounced = payment('1000.00', '2026-10-19T10:00:00+08:00');
    const extra = payment('400.00', '2026-10-25T10:00:00+08:00', { billId: id('2026-09') });
    const ledger = ledgerOf([bounced, extra, reversal(bounced, '2026-10-28T09:00:00+08:00')], [SEP]);
    expect(openBalanceOn(ledger, id('2026-09'), '2026-10-27')).toBe('0.00');
    // The 400 credit from `extra` goes to the re-opened bill at once.
    expect(openBalanceOn(ledger, id('2026-09'), '2026-10-28')).toBe('600.00');
    expect(creditAt(ledger, instantMs('2026-10-29T00:00:00+08:00'))).toBe('0.00');
  });

  it('counts a payment id delivered twice once', () => {
    const p = payment('700.00', '2026-11-21T10:00:00+08:00');
    const ledger = ledgerOf([p, { ...p }]);
    expect(balances(ledger, '2026-11-21')['2026-09']).toBe('300.00');
    expect(ledger.payments).toHaveLength(1);
    expect(ledger.findings.map((f) => f.code)).toEqual(['duplicate-payment']);
  });

  it('keeps the first delivery when a payment id comes back with other content', () => {
    const p = payment('700.00', '2026-11-21T10:00:00+08:00');
    const ledger = ledgerOf([p, { ...p, amount: '900.00' }]);
    expect(balances(ledger, '2026-11-21')['2026-09']).toBe('300.00');
    expect(ledger.findings.map((f) => f.code)).toEqual(['conflicting-duplicate-payment']);
  });

  it('ignores a reversal of a payment it has never seen, with a finding', () => {
    const ledger = ledgerOf([
      {
        paymentId: 'R-X',
        accountId: ACCOUNT_ID,
        amount: '-5.00',
        paidAt: '2026-11-21T10:00:00Z',
        reverses: 'P-X',
      },
    ]);
    expect(balances(ledger, '2026-11-22')['2026-09']).toBe('1000.00');
    expect(ledger.findings.map((f) => f.code)).toEqual(['unknown-reversed-payment']);
  });

  it('uses the latest version of a bill as the amount due', () => {
    const ledger = ledgerOf([], [SEP, { ...SEP, total: '1200.00', version: 2 }]);
    expect(ledger.bills.map((b) => [b.version, b.amount])).toEqual([[2, '1200.00']]);
  });

  it('knows the balance at any instant, a payment counting from its own instant', () => {
    const ledger = ledgerOf([payment('1000.00', '2026-10-20T15:30:00+08:00')], [SEP]);
    expect(openBalanceAt(ledger, id('2026-09'), instantMs('2026-10-20T15:29:59+08:00'))).toBe('1000.00');
    expect(openBalanceAt(ledger, id('2026-09'), instantMs('2026-10-20T15:30:00+08:00'))).toBe('0.00');
  });

  it('reads payment times in Asia/Shanghai: 16:30 UTC on the due date is the next day there', () => {
    const ledger = ledgerOf([payment('1000.00', '2026-10-20T16:30:00Z')], [SEP]);
    expect(billPenalty(ledger, id('2026-09'), '2026-10-31', policy().penalty).days).toBe(1);
  });

  it('accrues the penalty on the balance left by partial payments', () => {
    // 1000 unpaid 21–25 Oct (5 days, paid 600 on the 25th), 400 from 26 to 31 Oct (6 days).
    // 1000 × 0.002 × 5 = 10.00; 400 × 0.002 × 6 = 4.80.
    const ledger = ledgerOf([payment('600.00', '2026-10-25T09:00:00+08:00')], [SEP]);
    expect(billPenalty(ledger, id('2026-09'), '2026-10-31', policy().penalty).total).toBe('14.80');
  });

  it('never loses or invents money over random payments and reversals', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cents: fc.integer({ min: 1, max: 400_000 }),
            day: fc.integer({ min: 0, max: 60 }),
            named: fc.constantFrom(undefined, '2026-09', '2026-10', '2026-11'),
            reverse: fc.boolean(),
          }),
          { maxLength: 8 },
        ),
        (draws) => {
          const payments: PaymentRow[] = [];
          let reversed = dec(0);
          draws.forEach((d, i) => {
            const paidAt = new Date(Date.UTC(2026, 9, 15 + d.day, 2, i)).toISOString();
            const p: PaymentRow = {
              paymentId: `P${i}`,
              accountId: ACCOUNT_ID,
              amount: dec(d.cents).dividedBy(100).toFixed(2),
              paidAt,
              ...(d.named === undefined ? {} : { billId: id(d.named) }),
            };
            payments.push(p);
            if (d.reverse) {
              payments.push({ ...reversal(p, new Date(Date.parse(paidAt) + 86_400_000).toISOString()) });
              reversed = reversed.plus(p.amount);
            }
          });
          const ledger = ledgerOf(payments);
          const end = instantMs('2027-01-31T00:00:00+08:00');
          const open = ledger.bills.map((b) => openBalanceAt(ledger, b.billId, end));
          for (const [i, b] of ledger.bills.entries()) {
            expect(dec(open[i]!).gte(0) && dec(open[i]!).lte(b.amount)).toBe(true);
          }
          const paidIn = sum(payments.filter((p) => p.reverses === undefined).map((p) => p.amount)).minus(
            reversed,
          );
          const settled = sum(ledger.bills.map((b) => b.amount)).minus(sum(open));
          expect(settled.plus(creditAt(ledger, end)).toFixed(2)).toBe(paidIn.toFixed(2));
        },
      ),
      { numRuns: 150 },
    );
  });
});
