import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ArrearsOperatorCommand,
  addDays,
  buildLedger,
  daysBetween,
  instantMs,
  isInsideWorkingHours,
  openBalanceAt,
  penaltyOpenAt,
  replayArrears,
  WARNING_LEVELS,
} from '#domain/arrears/index.ts';
import { dec } from '#domain/money.ts';
import type { PaymentRow } from '#domain/payment.ts';
import { ACCOUNT_ID, account, policy } from './fixtures.ts';

/*
 * Random payment timelines over 70 days (2026-11-10 … 2027-01-18) for an account with an October bill
 * (due 2026-11-20) and a November bill (due 2026-12-20): payments of random size on random days, some
 * naming a bill, some reversed later, an important customer or not, an approval or not, and sometimes an
 * operator's deferral or exemption. Whatever happens, the rules of billing-rules §8 hold.
 */

const FROM = '2026-11-10';
const TO = '2027-01-18';
const POLICIES = {
  important: policy(),
  all: policy({ disconnection: { approvalRequiredFor: 'all' } }),
};
const MINUTE = 60_000;
const DAY_MS = 86_400_000;

const at = (dayOffset: number, minuteOfDay: number) => {
  const ms = instantMs(`${addDays(FROM, dayOffset)}T00:00:00+08:00`) + minuteOfDay * MINUTE;
  return new Date(ms).toISOString();
};

const timelineArb = fc.record({
  octCents: fc.integer({ min: 100, max: 50_000_000 }),
  novCents: fc.integer({ min: 100, max: 50_000_000 }),
  important: fc.boolean(),
  approvalFor: fc.constantFrom('important' as const, 'all' as const),
  approval: fc.option(
    fc.record({ day: fc.integer({ min: 35, max: 69 }), minute: fc.integer({ min: 0, max: 1439 }) }),
  ),
  command: fc.option(
    fc.record({
      kind: fc.constantFrom('defer', 'exempt'),
      day: fc.integer({ min: 38, max: 69 }),
      minute: fc.integer({ min: 0, max: 1439 }),
      newDateOffset: fc.integer({ min: 2, max: 12 }),
    }),
  ),
  payments: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 69 }),
      minute: fc.integer({ min: 0, max: 1439 }),
      share: fc.constantFrom(5, 25, 50, 99, 100, 120),
      whole: fc.constantFrom('oct', 'both'),
      named: fc.constantFrom(undefined, '2026-10', '2026-11'),
      reverseAfter: fc.option(fc.integer({ min: 0, max: 20 })),
    }),
    { maxLength: 6 },
  ),
});

describe('arrears warnings over random payment timelines', () => {
  it('never warn after clearing, keep notice 3–7 days and reminder 30 minutes ahead in working hours, never skip a level', () => {
    // What the runs went through, so that the property is known to have met the cases it guards.
    const seen = { notices: 0, reminders: 0, cancellations: 0, reversals: 0, awaitingApproval: 0 };
    fc.assert(
      fc.property(timelineArb, (t) => {
        const POLICY = POLICIES[t.approvalFor];
        const octTotal = dec(t.octCents).dividedBy(100);
        const bills = [
          { accountId: ACCOUNT_ID, period: '2026-10', total: octTotal.toFixed(2), dueDate: '2026-11-20' },
          {
            accountId: ACCOUNT_ID,
            period: '2026-11',
            total: dec(t.novCents).dividedBy(100).toFixed(2),
            dueDate: '2026-12-20',
          },
        ];
        const payments: PaymentRow[] = [];
        t.payments.forEach((p, i) => {
          const base = p.whole === 'oct' ? octTotal : octTotal.plus(dec(t.novCents).dividedBy(100));
          const amount = base.times(p.share).dividedBy(100).toDecimalPlaces(2);
          if (amount.lte(0)) return;
          const row: PaymentRow = {
            paymentId: `P${i}`,
            accountId: ACCOUNT_ID,
            amount: amount.toFixed(2),
            paidAt: at(p.day, p.minute),
            ...(p.named === undefined ? {} : { billId: `${ACCOUNT_ID}#${p.named}` }),
          };
          payments.push(row);
          if (p.reverseAfter !== null) {
            payments.push({
              paymentId: `R${i}`,
              accountId: ACCOUNT_ID,
              amount: `-${row.amount}`,
              paidAt: at(p.day + p.reverseAfter, p.minute + 1),
              reverses: row.paymentId,
            });
          }
        });
        const commands: ArrearsOperatorCommand[] = [];
        if (t.command !== null) {
          const c = t.command;
          commands.push(
            c.kind === 'defer'
              ? {
                  command: 'defer',
                  accountId: ACCOUNT_ID,
                  newDate: addDays(FROM, c.day + c.newDateOffset),
                  by: 'op',
                  reason: 'what-if',
                  at: at(c.day, c.minute),
                }
              : {
                  command: 'exempt',
                  accountId: ACCOUNT_ID,
                  by: 'op',
                  reason: 'what-if',
                  at: at(c.day, c.minute),
                },
          );
        }
        const result = replayArrears({
          accounts: [account({ important: t.important })],
          bills,
          payments,
          from: FROM,
          to: TO,
          policy: POLICY,
          commands,
          approvals:
            t.approval === null
              ? []
              : [
                  {
                    accountId: ACCOUNT_ID,
                    approvedBy: 'mgr',
                    approvedAt: at(t.approval.day, t.approval.minute),
                  },
                ],
        });
        const ledger = buildLedger({
          accountId: ACCOUNT_ID,
          bills,
          payments,
          penalty: { rates: POLICY.penalty, order: POLICY.paymentAllocation, waivers: [] },
        });
        if (result.disconnections.some((d) => d.noticeSentAt !== undefined)) seen.notices++;
        if (result.disconnections.some((d) => d.reminderSentAt !== undefined)) seen.reminders++;
        if (result.cancellations.length > 0) seen.cancellations++;
        if (ledger.entries.some((e) => e.kind === 'reversed-from-bill')) seen.reversals++;
        if (result.awaitingApproval.length > 0) seen.awaitingApproval++;
        const due = new Map(ledger.bills.map((b) => [b.billId, b.dueDate]));

        // 1. No warning goes out while its arrears (charges and penalty) are cleared.
        for (const w of result.notices) {
          const ms = instantMs(w.sendAt);
          const open = w.billIds.reduce(
            (acc, id) =>
              acc.plus(openBalanceAt(ledger, id, ms)).plus(penaltyOpenAt(ledger, id, ms, POLICY.penalty)),
            dec(0),
          );
          expect(open.gt(0), `${w.kind} at ${w.sendAt} with nothing owed`).toBe(true);
        }

        // 2. Every planned disconnection: notice 3–7 days ahead, reminder exactly 30 minutes ahead, both
        //    the disconnection and the reminder inside working hours, sent when planned.
        for (const d of result.disconnections) {
          const cut = instantMs(d.disconnectAt);
          const lead = cut - instantMs(d.noticeAt);
          expect(lead).toBeGreaterThanOrEqual(3 * DAY_MS);
          expect(lead).toBeLessThanOrEqual(7 * DAY_MS);
          // The lead counts from the notice's delivery, plus the 2-hour margin.
          if (d.noticeSentAt !== undefined) {
            expect(d.countedFrom?.outcome).toBe('delivered');
            expect(cut - instantMs(d.countedFrom!.at)).toBeGreaterThanOrEqual(3 * DAY_MS + 2 * 60 * MINUTE);
          }
          expect(cut - instantMs(d.reminderAt)).toBe(30 * MINUTE);
          expect(isInsideWorkingHours(cut, POLICY.disconnection)).toBe(true);
          expect(isInsideWorkingHours(instantMs(d.reminderAt), POLICY.disconnection)).toBe(true);
          if (d.noticeSentAt !== undefined) expect(d.noticeSentAt).toBe(d.noticeAt);
          if (d.reminderSentAt !== undefined) expect(d.reminderSentAt).toBe(d.reminderAt);
          if (d.outcome === 'disconnect-due' || d.outcome === 'restored')
            expect(d.reminderSentAt).toBeDefined();
        }

        // 3. Per bill, levels come in ladder order, one step at a time, at most one a day (the manager is
        //    copied on every warning, so the manager's copies are the record of what went out).
        const copies = result.notices.filter(
          (w) => w.recipient.role === 'account-manager' && w.level !== null,
        );
        const levelsByBill = new Map<string, { level: number; day: string }[]>();
        for (const w of copies) {
          for (const billId of w.billIds) {
            const seq = levelsByBill.get(billId) ?? [];
            seq.push({ level: WARNING_LEVELS.indexOf(w.level!), day: w.sendAt.slice(0, 10) });
            levelsByBill.set(billId, seq);
          }
        }
        for (const [billId, seq] of levelsByBill) {
          expect(['reminder', 'overdue-notice']).toContain(WARNING_LEVELS[seq[0]!.level]);
          for (let i = 1; i < seq.length; i++) {
            const [prev, next] = [seq[i - 1]!, seq[i]!];
            const repeatNotice = prev.level === 3 && next.level === 3;
            expect(
              repeatNotice || next.level === prev.level + 1,
              `${billId}: ${prev.level} → ${next.level}`,
            ).toBe(true);
            // A deferral re-announces the new time at once, which may be the day the first notice went out.
            expect(repeatNotice || next.day > prev.day, `${billId}: two levels on ${next.day}`).toBe(true);
          }
        }

        // 4. A disconnection notice only for bills more than 30 days overdue whose demand went out before.
        for (const w of copies.filter((c) => c.kind === 'disconnection-notice')) {
          const day = w.sendAt.slice(0, 10);
          for (const billId of w.billIds) {
            expect(daysBetween(due.get(billId)!, day)).toBeGreaterThan(30);
            const demand = copies.find(
              (c) => c.kind === 'payment-demand' && c.billIds.includes(billId) && c.sendAt.slice(0, 10) < day,
            );
            expect(demand, `${billId}: notice on ${day} without a demand`).toBeDefined();
          }
        }

        // 5. A customer whose plan needs approval (every one, or the important ones) is never given notice
        //    without an approval on record.
        if (t.important || t.approvalFor === 'all') {
          for (const plan of result.plans) {
            if (plan.revisions.some((r) => r.noticeSentAt !== undefined)) expect(plan.approval).toBeDefined();
          }
        }
      }),
      { numRuns: 100 },
    );
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });
});
