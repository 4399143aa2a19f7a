import { describe, expect, it } from 'vitest';
import { type BillDocument, findingsThatHold } from '#domain/bill.ts';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { referenceComputeBill } from '../../../oracle/billing-reference/index.ts';
import { findingCodes, simpleRead, testAccount } from './helpers.ts';

/*
 * How the engine tells the incoming lines of an account from its meter changes (issue #12): what it
 * pairs, what it reports as unpaired (which meter, which reads, why), when a meter_in is a new connection,
 * and which finding holds the bill. Each bill is also the reference engine's, to the byte.
 */

type Read = Parameters<typeof simpleRead>[0] & { point?: string; day?: string };

const read = ({ point, day, ...spec }: Read): MeterReadRow => {
  const row = simpleRead({ readAt: `2026-10-${day ?? '31'}T23:45:00+08:00`, ...spec });
  return point === undefined ? row : { ...row, meteringPointId: point };
};

function bill(reads: Read[], extra: { firstPeriod?: boolean; connectedOn?: string } = {}): BillDocument {
  const input = {
    account: testAccount({
      basicChargeMethod: 'actual-demand',
      capacityKva: '100',
      ...(extra.connectedOn === undefined ? {} : { connectedOn: extra.connectedOn }),
    }),
    tariffs: SAMPLE_TARIFFS,
    reads: reads.map(read),
    period: '2026-10',
    ...(extra.firstPeriod === undefined ? {} : { firstPeriod: extra.firstPeriod }),
    advice: { enabled: false },
  };
  const b = computeBill(input);
  expect(JSON.stringify(b)).toBe(JSON.stringify(referenceComputeBill(input)));
  return b;
}

describe('a meter_in with no meter it replaced', () => {
  it('is a new connection on the account’s first period: no finding', () => {
    const b = bill([{ meterId: 'NEW', readType: 'meter_in' }], { firstPeriod: true });
    expect(b.findings).toEqual([]);
    expect(b.demand.maxDemandKw).toBe('100');
  });

  it('is a new connection in the month of the account’s connectedOn, whatever the caller knows', () => {
    expect(bill([{ meterId: 'NEW', readType: 'meter_in' }], { connectedOn: '2026-10-12' }).findings).toEqual(
      [],
    );
  });

  it('is a new connection for every new meter of a new account, each its own line', () => {
    const b = bill(
      [
        { meterId: 'N1', readType: 'meter_in' },
        { meterId: 'N2', readType: 'meter_in', demand: '60' },
      ],
      { firstPeriod: true },
    );
    expect(b.findings).toEqual([]);
    expect(b.demand.maxDemandKw).toBe('160');
  });

  it('is an unpaired meter change on a later period, naming the meter, its reads and why', () => {
    const b = bill([{ meterId: 'L1' }, { meterId: 'NEW', readType: 'meter_in', total: ['0', '300'] }]);
    expect(b.findings).toEqual([
      {
        code: 'UNPAIRED_METER_CHANGE',
        meterId: 'NEW',
        message:
          "meter_in of meter NEW (read_at 2026-10-31T23:45:00+08:00, kwh_total 0 → 300) cannot be paired: no meter_out is left to pair it with and it is not the account's first period: the account has 0 meter_out and 1 meter_in reads in 2026-10 without a metering_point_id; its demand is added as a line of its own",
      },
    ]);
    expect(findingsThatHold(b)).toEqual([]);
  });

  it('alone on its metering point is new on the first period and unpaired later', () => {
    expect(
      bill([{ meterId: 'NEW', readType: 'meter_in', point: 'P1' }], { firstPeriod: true }).findings,
    ).toEqual([]);
    const later = bill([{ meterId: 'NEW', readType: 'meter_in', point: 'P1' }]);
    expect(later.findings.map((f) => f.message)).toEqual([
      "meter_in of meter NEW (read_at 2026-10-31T23:45:00+08:00, kwh_total 0 → 300) cannot be paired: it is the only read of metering point P1 in 2026-10 and not the account's first period: the meter it replaced has no meter_out; its demand counts in the line of metering point P1",
    ]);
  });
});

describe('meters of one metering point that do not make a sequence are reported, still one line', () => {
  it('a meter_out last: no meter_in follows it', () => {
    const b = bill([
      { meterId: 'A', readType: 'meter_out', point: 'P1', day: '10', demand: '120' },
      { meterId: 'B', readType: 'meter_out', point: 'P1', day: '20', demand: '90' },
    ]);
    expect(b.demand.maxDemandKw).toBe('120');
    expect(b.findings).toHaveLength(1);
    expect(b.findings[0]).toMatchObject({ code: 'UNPAIRED_METER_CHANGE', meterId: 'B' });
    expect(b.findings[0]!.message).toContain(
      'no meter_in follows it at metering point P1 in 2026-10: the meter that replaced it is not in the reads',
    );
  });

  it('a meter_in read before a meter_out of the same point', () => {
    const b = bill([
      { meterId: 'IN', readType: 'meter_in', point: 'P1', day: '05' },
      { meterId: 'OUT', readType: 'meter_out', point: 'P1', day: '20' },
    ]);
    expect(findingCodes(b)).toEqual(['UNPAIRED_METER_CHANGE', 'UNPAIRED_METER_CHANGE']);
    expect(b.findings.map((f) => f.meterId)).toEqual(['IN', 'OUT']);
    expect(b.findings[0]!.message).toContain(
      'it is read before meter_out of meter OUT (read_at 2026-10-20T23:45:00+08:00) at metering point P1 in 2026-10',
    );
  });

  it('a meter read as in service all period beside a change on its point', () => {
    const b = bill([
      { meterId: 'STAY', point: 'P1', demand: '70' },
      { meterId: 'OLD', readType: 'meter_out', point: 'P1', day: '10', demand: '80' },
      { meterId: 'NEW', readType: 'meter_in', point: 'P1', demand: '75' },
    ]);
    expect(b.demand.maxDemandKw).toBe('80');
    expect(b.findings.map((f) => f.meterId)).toEqual(['STAY']);
    expect(b.findings[0]!.message).toContain(
      'it is read as in service the whole period, yet metering point P1',
    );
  });

  it('never holds the bill: the producer said which meters share the line, nothing was guessed', () => {
    const b = bill([
      { meterId: 'A', readType: 'meter_out', point: 'P1', day: '10' },
      { meterId: 'B', readType: 'meter_out', point: 'P1', day: '20' },
    ]);
    expect(findingsThatHold(b)).toEqual([]);
  });

  it('a single actual read on its metering point is just a line', () => {
    const b = bill([
      { meterId: 'A', point: 'P1' },
      { meterId: 'B', point: 'P2', demand: '40' },
    ]);
    expect(b.findings).toEqual([]);
    expect(b.demand.maxDemandKw).toBe('140');
  });
});

describe('a pairing the engine has to guess holds the bill', () => {
  it('two meter_out and two meter_in without metering points: both pairs guessed, in reading order', () => {
    const b = bill([
      { meterId: 'O1', readType: 'meter_out', day: '05', demand: '50' },
      { meterId: 'O2', readType: 'meter_out', day: '15', demand: '90' },
      { meterId: 'I1', readType: 'meter_in', day: '30', demand: '60' },
      { meterId: 'I2', readType: 'meter_in', day: '31', demand: '70' },
    ]);
    // max(50, 60) + max(90, 70)
    expect(b.demand.maxDemandKw).toBe('150');
    expect(findingsThatHold(b).map((f) => [f.code, f.meterId, f.severity])).toEqual([
      ['METER_PAIRING_GUESSED', 'O1', 'hold'],
      ['METER_PAIRING_GUESSED', 'O2', 'hold'],
    ]);
    expect(b.findings[0]!.message).toContain('paired with meter_in of meter I1');
  });

  it('the same reads with metering points are two sure lines and hold nothing', () => {
    const b = bill([
      { meterId: 'O1', readType: 'meter_out', day: '05', demand: '50', point: 'P1' },
      { meterId: 'O2', readType: 'meter_out', day: '15', demand: '90', point: 'P2' },
      { meterId: 'I1', readType: 'meter_in', day: '30', demand: '60', point: 'P2' },
      { meterId: 'I2', readType: 'meter_in', day: '31', demand: '70', point: 'P1' },
    ]);
    // P1: max(50, 70); P2: max(90, 60)
    expect(b.demand.maxDemandKw).toBe('160');
    expect(b.findings).toEqual([]);
  });
});
