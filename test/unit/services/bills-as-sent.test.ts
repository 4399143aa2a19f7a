import { describe, expect, it } from 'vitest';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import { billHistoryAsSent, billsAsSent } from '#services/bills-as-sent.ts';

/*
 * The bills as the customer was sent them, from the latest version of each period: a kept-back latest
 * version gives way to the latest version sent, or to nothing.
 */

const bill = (period: string, version: number) =>
  ({
    accountId: '3100012345',
    period,
    version,
    document: { total: `${version}.00` },
  }) as unknown as StoredBill;
const hold = (period: string, version: number, status: BillHold['status']) =>
  ({ accountId: '3100012345', period, version, status }) as BillHold;

describe('bills as sent to the customer', () => {
  it('keeps the order of the periods, replacing a held latest version with the version sent before', async () => {
    const holds = [hold('2026-10', 2, 'HELD')];
    const read: string[] = [];
    const sent = await billsAsSent(
      [bill('2026-11', 1), bill('2026-10', 2), bill('2026-09', 1)],
      (b) => holds.filter((h) => h.period === b.period),
      {
        getBill: async (_id, period, version) => {
          read.push(`${period} v${version}`);
          return bill(period, version);
        },
      },
    );
    expect(sent.map((b) => `${b.period} v${b.version}`)).toEqual(['2026-11 v1', '2026-10 v1', '2026-09 v1']);
    expect(read).toEqual(['2026-10 v1']);
  });

  it('leaves out a period whose earlier version the table no longer has', async () => {
    const sent = await billsAsSent([bill('2026-10', 2)], () => [hold('2026-10', 2, 'HELD')], {
      getBill: async () => undefined,
    });
    expect(sent).toEqual([]);
  });

  it('returns nothing for no bills, reading nothing', async () => {
    const sent = await billsAsSent([], () => Promise.reject(new Error('no holds to read')), {
      getBill: () => Promise.reject(new Error('no bill to read')),
    });
    expect(sent).toEqual([]);
  });

  it('refuses a stored version that is not a whole number', async () => {
    await expect(
      billsAsSent([bill('2026-10', Number.NaN)], () => [], { getBill: async () => undefined }),
    ).rejects.toThrow(RangeError);
  });
});

describe("an account's bill history as stored and as sent", () => {
  it('reads the history and the account’s holds at once, and an earlier version only for a held period', async () => {
    const started: string[] = [];
    let answer: () => void = () => {};
    const bothAsked = new Promise<void>((resolve) => (answer = resolve));
    const asked = (what: string) => {
      started.push(what);
      if (started.length === 2) answer();
      return bothAsked;
    };
    const history = await billHistoryAsSent('3100012345', '2026-12', 3, {
      bills: {
        getBillHistory: async (accountId, before, limit) => {
          await asked(`history ${accountId} ${before} ${limit}`);
          return [bill('2026-11', 1), bill('2026-10', 2), bill('2026-09', 3)];
        },
        getBill: async (_id, period, version) => {
          started.push(`bill ${period} v${version}`);
          return bill(period, version);
        },
      },
      holds: {
        listHolds: async (accountId, period) => {
          await asked(`holds ${accountId} ${period ?? 'of every period'}`);
          return [hold('2026-11', 1, 'HELD'), hold('2026-10', 1, 'SUPERSEDED'), hold('2026-09', 3, 'HELD')];
        },
      },
    });
    // Neither read waited for the other (each answers only once both were asked).
    expect(started).toEqual([
      'history 3100012345 2026-12 3',
      'holds 3100012345 of every period',
      'bill 2026-09 v2',
    ]);
    expect(history.latest.map((b) => `${b.period} v${b.version}`)).toEqual([
      '2026-11 v1',
      '2026-10 v2',
      '2026-09 v3',
    ]);
    expect(history.sent.map((b) => `${b.period} v${b.version}`)).toEqual(['2026-10 v2', '2026-09 v2']);
  });
});
