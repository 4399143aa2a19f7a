import { describe, expect, it } from 'vitest';
import { PaymentRowSchema } from '#domain/payment.ts';
import { DropFileError, PAYMENT_FEED, readDrop } from '#ingest/index.ts';
import { collect, rejectionOf, source } from './fixtures.ts';

const read = (text: string) =>
  collect(readDrop(source(text, { fileName: 'payments-2026-11-02.csv' }), PAYMENT_FEED));

describe('payments feed', () => {
  it('reads payments, settling a named bill or the oldest, and a reversal', async () => {
    const text = [
      'payment_id,account_id,amount,paid_at,bill_id,reverses',
      'P-1001,3100012345,128000.50,2026-11-02T10:15:00+08:00,B-2026-10-3100012345,',
      'P-1002,3100012346,99.00,2026-11-02T11:00:00+08:00,,',
      'P-1003,3100012346,-99.00,2026-11-03T09:00:00+08:00,,P-1002',
    ].join('\r\n');
    const { rows, counts } = await read(text);
    expect(counts).toEqual({ rows: 3, accepted: 3, rejected: 0 });
    expect(rows.map((r) => r.row)).toEqual([
      {
        paymentId: 'P-1001',
        accountId: '3100012345',
        amount: '128000.50',
        paidAt: '2026-11-02T10:15:00+08:00',
        billId: 'B-2026-10-3100012345',
      },
      { paymentId: 'P-1002', accountId: '3100012346', amount: '99.00', paidAt: '2026-11-02T11:00:00+08:00' },
      {
        paymentId: 'P-1003',
        accountId: '3100012346',
        amount: '-99.00',
        paidAt: '2026-11-03T09:00:00+08:00',
        reverses: 'P-1002',
      },
    ]);
  });

  it('reads a payments file without the optional columns', async () => {
    const { rows } = await read(
      'PAID_AT,Amount,account_id,payment_id\n2026-11-02T10:15:00Z,1,3100012345,P1\n',
    );
    expect(rows[0]?.row).toEqual({
      paymentId: 'P1',
      accountId: '3100012345',
      amount: '1',
      paidAt: '2026-11-02T10:15:00Z',
    });
  });

  it('refuses a payments file without an amount column', async () => {
    const err = await rejectionOf(
      read('payment_id,account_id,paid_at\nP1,3100012345,2026-11-02T10:15:00Z\n'),
    );
    expect(err).toBeInstanceOf(DropFileError);
    expect(err).toMatchObject({ code: 'missing-column', columns: ['amount'] });
  });

  const cells = (overrides: Record<string, string>) => ({
    payment_id: 'P-1',
    account_id: '3100012345',
    amount: '10.00',
    paid_at: '2026-11-02T10:15:00+08:00',
    bill_id: '',
    reverses: '',
    ...overrides,
  });

  it.each([
    ['a zero amount', { amount: '0.00' }, 'amount', /greater than zero/],
    ['a negative amount without reverses', { amount: '-5' }, 'amount', /greater than zero/],
    [
      'a positive reversal',
      { amount: '5', reverses: 'P-0' },
      'amount',
      /reversal must have a negative amount/,
    ],
    ['fractions of a fen', { amount: '1.005' }, 'amount', /at most 2 decimals/],
    ['an amount that is not a number', { amount: '1,000.00' }, 'amount', /decimal number/],
    ['a time without offset', { paid_at: '2026-11-02T10:15:00' }, 'paid_at', /datetime/],
    ['a payment reversing itself', { amount: '-5', reverses: 'P-1' }, 'reverses', /cannot reverse itself/],
    [
      'a payment id that could be a formula',
      { payment_id: '=HYPERLINK("x")' },
      'payment_id',
      /starting with a letter/,
    ],
  ])('rejects %s', (_name, overrides, column, message) => {
    const result = PaymentRowSchema.safeParse(cells(overrides));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(column);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it('reports a bad payment row as a reject and keeps the others', async () => {
    const text = [
      'payment_id,account_id,amount,paid_at,bill_id,reverses',
      'P-1,3100012345,10.00,2026-11-02T10:15:00+08:00,,',
      'P-2,3100012345,10.00,2026-11-02T10:15:00+08:00,,P-1',
      'P-3,3100012345,-10.00,2026-11-02T10:15:00+08:00,,P-1',
    ].join('\n');
    const { items } = await read(text);
    expect(items.map((i) => (i.kind === 'row' ? i.row.paymentId : `${i.rowNumber}:${i.column}`))).toEqual([
      'P-1',
      '2:amount',
      'P-3',
    ]);
  });
});
