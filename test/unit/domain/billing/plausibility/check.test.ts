import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account.ts';
import type { BillDocument, DataFinding } from '#domain/bill.ts';
import {
  checkPlausibility,
  type HoldRule,
  PLAUSIBILITY_POLICY_V1,
  type PlausibilityPolicy,
  PlausibilityPolicySchema,
  plausibilityPolicyFor,
} from '#domain/billing/plausibility/index.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { billWith, simpleRead, testAccount } from '../helpers.ts';

/*
 * The plausibility policy, rule by rule: each row is a bill that one rule holds (or lets through), with
 * every other rule quiet. The bills are the engine's own, with the parts a rule reads set by hand.
 */

const base = billWith({});
const policy = PLAUSIBILITY_POLICY_V1;

interface Case {
  name: string;
  bill?: Partial<BillDocument>;
  account?: Record<string, unknown>;
  reads?: MeterReadRow[];
  findings?: (DataFinding & { severity?: string })[];
  rules: HoldRule[];
}

const comparedWith = (previous: [string, string], lastYear?: [string, string]): Partial<BillDocument> => ({
  comparison: {
    previousPeriod: {
      period: '2026-09',
      total: previous[0],
      totalKwh: previous[1],
      totalChangePercent: null,
    },
    ...(lastYear === undefined
      ? {}
      : {
          samePeriodLastYear: {
            period: '2025-10',
            total: lastYear[0],
            totalKwh: lastYear[1],
            totalChangePercent: null,
          },
        }),
  },
});

const withTotals = (total: string, kwh: string): Partial<BillDocument> => ({
  total,
  consumption: { ...base.consumption, totalKwh: kwh },
});

const cases: Case[] = [
  {
    name: 'a bill like last month is sent',
    bill: {
      ...withTotals('30000.00', '40000'),
      ...comparedWith(['29000.00', '39000'], ['31000.00', '41000']),
    },
    rules: [],
  },
  {
    name: 'a total and consumption ten times last month (a multiplier ×10) hold',
    bill: { ...withTotals('300000.00', '400000'), ...comparedWith(['30000.00', '40000']) },
    rules: ['total-vs-previous-period', 'consumption-vs-previous-period'],
  },
  {
    name: 'a total a tenth of last month (a multiplier ÷10) holds',
    bill: { ...withTotals('3000.00', '4000'), ...comparedWith(['30000.00', '40000']) },
    rules: ['total-vs-previous-period', 'consumption-vs-previous-period'],
  },
  {
    name: 'exactly the factor is still plausible',
    bill: { ...withTotals('90000.00', '120000'), ...comparedWith(['30000.00', '40000']) },
    rules: [],
  },
  {
    name: 'the same period last year counts on its own',
    bill: { ...withTotals('30000.00', '40000'), ...comparedWith(['29000.00', '39000'], ['5000.00', '6000']) },
    rules: ['total-vs-same-period-last-year', 'consumption-vs-same-period-last-year'],
  },
  {
    name: 'an earlier bill below the minimums is not compared with',
    bill: { ...withTotals('30000.00', '40000'), ...comparedWith(['900.00', '800']) },
    rules: [],
  },
  {
    name: 'zero consumption of an account in supply holds',
    bill: withTotals('26000.00', '0'),
    rules: ['zero-consumption'],
  },
  {
    name: 'zero consumption of an account terminated in the period does not',
    bill: withTotals('0.00', '0'),
    account: { terminatedOn: '2026-10-15' },
    rules: [],
  },
  {
    name: 'zero consumption of a wholly suspended account does not',
    bill: withTotals('0.00', '0'),
    account: { suspendedKva: '1000' },
    rules: [],
  },
  {
    name: 'one meter of one read by estimate holds (above half)',
    reads: [simpleRead({ readType: 'estimated' })],
    rules: ['estimated-share'],
  },
  {
    name: 'one estimated meter of two is within the share',
    reads: [simpleRead({ readType: 'estimated' }), simpleRead({ meterId: 'M2' })],
    rules: [],
  },
  {
    name: 'demand more than twice the contract holds',
    bill: { demand: { ...base.demand, maxDemandKw: '2100' } },
    account: { basicChargeMethod: 'contracted-demand', contractedDemandKw: '1000' },
    rules: ['demand-over-contract'],
  },
  {
    name: 'demand 1.8 times the contract is billed as excess, not held',
    bill: { demand: { ...base.demand, maxDemandKw: '1800' } },
    account: { basicChargeMethod: 'contracted-demand', contractedDemandKw: '1000' },
    rules: [],
  },
  {
    name: 'demand far above the capacity in operation holds (no contracted demand)',
    bill: { demand: { ...base.demand, maxDemandKw: '1300' } },
    rules: ['demand-over-capacity'],
  },
  {
    name: 'a negative total holds',
    bill: { total: '-12.50' },
    rules: ['negative-total'],
  },
  {
    name: 'IMPLAUSIBLE_ROLLOVER holds',
    findings: [{ code: 'IMPLAUSIBLE_ROLLOVER', meterId: 'M1', message: 'roll-over of more than half' }],
    rules: ['finding'],
  },
  {
    name: 'a band register mismatch holds',
    findings: [{ code: 'BAND_SUM_MISMATCH', meterId: 'M1', message: 'bands ≠ total' }],
    rules: ['finding'],
  },
  {
    name: 'an unpaired meter change holds',
    findings: [{ code: 'UNPAIRED_METER_CHANGE', meterId: 'M1', message: 'meter_out alone' }],
    rules: ['finding'],
  },
  {
    name: "any finding the engine marks severity 'hold' holds, listed or not",
    findings: [{ code: 'METER_PAIRING_GUESSED', meterId: 'M1', message: 'paired by time', severity: 'hold' }],
    rules: ['finding'],
  },
  {
    name: 'a reported-only finding does not hold',
    findings: [{ code: 'REGISTER_ROLLOVER', meterId: 'M1', message: 'rolled over at 10^4' }],
    rules: [],
  },
];

function check(c: Case) {
  const account: Account = testAccount(c.account);
  const bill: BillDocument = {
    ...base,
    ...c.bill,
    findings: [...base.findings, ...(c.findings ?? [])],
  };
  return checkPlausibility({ bill, account, reads: c.reads ?? [simpleRead()], policy });
}

describe('plausibility policy', () => {
  it.each(cases)('$name', (c) => {
    expect(check(c).map((r) => r.rule)).toEqual(c.rules);
  });

  it('names the figures and the policy in each reason', () => {
    const [reason] = check(cases[1]!);
    expect(reason?.message).toBe(
      "total ¥300000.00 is 10× 2026-09's ¥30000.00 (policy: within 3× either way)",
    );
  });

  it('names the finding and its meter', () => {
    const [reason] = check(cases[15]!);
    expect(reason).toMatchObject({ rule: 'finding', finding: 'IMPLAUSIBLE_ROLLOVER', meterId: 'M1' });
    expect(reason?.message).toMatch(/^IMPLAUSIBLE_ROLLOVER \(meter M1\): /);
  });

  it('holds a bill the engine computed with an implausible roll-over', () => {
    const bill = billWith({
      reads: [
        simpleRead({ total: ['200', '100'], peak: ['0', '300'], flat: ['0', '300'], valley: ['0', '300'] }),
      ],
    });
    const reasons = checkPlausibility({ bill, account: testAccount(), reads: [simpleRead()], policy });
    expect(reasons.map((r) => r.finding)).toContain('IMPLAUSIBLE_ROLLOVER');
  });
});

describe('plausibility policy versions', () => {
  const later: PlausibilityPolicy = { ...policy, version: '2027-07.1', effectiveFrom: '2027-07-01' };

  it('applies the version in force on the period’s first day', () => {
    expect(plausibilityPolicyFor('2027-06', [later, policy]).version).toBe(policy.version);
    expect(plausibilityPolicyFor('2027-07', [later, policy]).version).toBe('2027-07.1');
  });

  it.each([
    ['a factor of 1 or less', { change: { ...policy.change, factor: '1' } }, 'change.factor'],
    ['a share above 1', { maxEstimatedShare: '1.5' }, 'maxEstimatedShare'],
    ['a finding code in lower case', { holdingFindings: ['rollover'] }, 'holdingFindings.0'],
    ['an unknown threshold', { maxTotal: '1' }, ''],
  ])('refuses %s, naming the field', (_name, change, path) => {
    const parsed = PlausibilityPolicySchema.safeParse({ ...policy, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(path);
  });
});
