import { describe, expect, it } from 'vitest';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import { billsAsSent } from '#services/bills-as-sent.ts';

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
