import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { basicLines, readRow, testAccount } from '../helpers.ts';

/*
 * One worked example per basic-charge rule (billing-rules.md §3), with the sample SC tariff:
 * 26.00 元/kVA·month, 38.00 元/kW·month, 90 % of the demand price at ≥ 260 kWh/kVA.
 */

export const PERIOD = '2026-04'; // 30 days

/** One meter, multiplier 1, all energy flat, no reactive energy. */
export const read = (
  kwh: string,
  demandKw: string,
  extra: Partial<Parameters<typeof readRow>[0]> = {},
): MeterReadRow =>
  readRow({
    period: PERIOD,
    multiplier: '1',
    total: ['0', kwh],
    peak: ['0', '0'],
    flat: ['0', kwh],
    valley: ['0', '0'],
    kvarh: ['0', '0'],
    demand: demandKw,
    ...extra,
  });

export const basic = (account: Record<string, unknown>, reads: MeterReadRow[] = [read('10000', '300')]) => {
  const bill = computeBill({
    account: testAccount(account),
    tariffs: SAMPLE_TARIFFS,
    reads,
    period: PERIOD,
    advice: { enabled: false },
  });
  return { bill, lines: basicLines(bill).map((l) => [l.code, l.quantity, l.unitPrice, l.amount]) };
};
