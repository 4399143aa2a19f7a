import { describe, expect, it } from 'vitest';
import type { BasicChargeMethod } from '#domain/account.ts';
import { basicCharge, type DemandFacts } from '#domain/billing/basic-charge/basic-charge.ts';
import { basicPeriods } from '#domain/billing/basic-charge/periods.ts';
import type { Printing } from '#domain/billing/bill-lines.ts';
import { consumptionOf } from '#domain/billing/consumption.ts';
import { monthOf } from '#domain/billing/period-month.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/sample-tariffs.ts';
import { tariffSegments } from '#domain/billing/tariff-segments.ts';
import { compileAccount, tariffVersions } from '#domain/billing/validate.ts';
import { div, type Fx, isZero, toFixed } from '#domain/decimal/fixed-point.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { testAccount } from '../helpers.ts';
import { PERIOD, read } from './fixtures.ts';

/*
 * Advice re-prices the basic charge under another method without printing it (bill-context.ts): for every
 * method, the amounts priced alone must be the amounts of the printed lines, in line order.
 */

const ACCOUNTS: [string, Record<string, unknown>, MeterReadRow[]][] = [
  ['a whole month', { contractedDemandKw: '1000' }, [read('10000', '300')]],
  ['demand over 105 % of the contract', { contractedDemandKw: '250' }, [read('10000', '700')]],
  ['demand and contract below the 40 % floor', { contractedDemandKw: '100' }, [read('10000', '50')]],
  ['high utilisation', { capacityKva: '100', contractedDemandKw: '60' }, [read('30000', '80')]],
  ['suspension', { capacityKva: '1250', suspendedKva: '250', contractedDemandKw: '600' }, [read('100', '1')]],
  [
    'a capacity change inside the month',
    {
      capacityKva: '1250',
      previousCapacityKva: '1000',
      capacityChangedOn: '2026-04-11',
      contractedDemandKw: '500',
    },
    [read('10000', '900')],
  ],
  [
    'a connection inside the month',
    { connectedOn: '2026-04-19', contractedDemandKw: '400' },
    [read('10', '420')],
  ],
];
const METHODS: BasicChargeMethod[] = ['capacity', 'contracted-demand', 'actual-demand'];

const cases = ACCOUNTS.flatMap(([name, account, reads]) =>
  METHODS.map((method) => [`${method}, ${name}`, method, account, reads] as const),
);

describe('basic charge priced alone and printed', () => {
  it.each(cases)('%s: the same amounts', (_, method, overrides, reads) => {
    const acc = compileAccount(testAccount(overrides));
    const month = monthOf(PERIOD);
    const segments = tariffSegments(
      tariffVersions(SAMPLE_TARIFFS, acc.account.tariffId),
      month,
      acc.account.tariffId,
    );
    const consumption = consumptionOf(reads, acc.account.accountId, PERIOD);
    const periods = basicPeriods(acc, month, segments, []);
    const kwhPerKva = isZero(acc.effectiveCapacityKva)
      ? null
      : div(consumption.totalKwh, acc.effectiveCapacityKva);
    const price = (printing: Printing | null): Fx[] => {
      const amounts: Fx[] = [];
      const facts: DemandFacts = { kwhPerKva };
      basicCharge(acc, method, periods, consumption, kwhPerKva, amounts, printing, facts);
      return amounts;
    };
    const printing: Printing = { lines: [], findings: [], bandTexts: {} };
    const printed = price(printing).map((a) => toFixed(a, 2));
    expect(printed.length).toBeGreaterThan(0);
    expect(printing.lines.map((l) => l.amount)).toEqual(printed);
    expect(price(null).map((a) => toFixed(a, 2))).toEqual(printed);
  });
});
