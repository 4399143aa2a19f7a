import type { DataFinding } from '#domain/bill.ts';
import { BillingInputError } from '#domain/billing/errors.ts';
import type { MeterReadRow, RegisterPair } from '#domain/meter-read.ts';
import { type Dec, dec } from '#domain/money.ts';
import type { TouBand } from '#domain/primitives.ts';
import { pow10 } from './format.ts';

/*
 * Consumption from register reads (billing-rules.md §2): register deltas × multiplier, roll-over at
 * 10^digits, meter changes as two segments, several meters summed, maximum demand summed over incoming
 * lines with a changed meter taking the larger of its two meters.
 */

export const BANDS: readonly TouBand[] = ['sharp', 'peak', 'flat', 'valley'];

export interface MeterConsumption {
  meterId: string;
  readType: MeterReadRow['readType'];
  multiplier: Dec;
  totalKwh: Dec;
  bands: Partial<Record<TouBand, Dec>>;
  kvarhImport: Dec;
  kvarhExport: Dec;
  demandKw: Dec;
}

export interface Consumption {
  /** Active energy of the total registers, kWh. */
  totalKwh: Dec;
  /** Active energy of the band registers, kWh (only the bands some meter reports). */
  bands: Partial<Record<TouBand, Dec>>;
  kvarhImport: Dec;
  kvarhExport: Dec;
  /** |import| + |export| reactive energy, kvarh: what the power factor is computed with. */
  kvarh: Dec;
  maxDemandKw: Dec;
  meters: MeterConsumption[];
  findings: DataFinding[];
}

const REGISTER = /^\d+(\.\d+)?$/;

const BAND_COLUMNS: Record<TouBand, string> = {
  sharp: 'kwh_sharp',
  peak: 'kwh_peak',
  flat: 'kwh_flat',
  valley: 'kwh_valley',
};

function parseRegister(value: string, column: string, meterId: string): Dec {
  if (typeof value !== 'string' || !REGISTER.test(value))
    throw new BillingInputError(
      column,
      `meter ${meterId}: ${JSON.stringify(value)} is not a register reading`,
    );
  return dec(value);
}

const decimalsOf = (value: string): number => {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
};

/** Integer digits of a reading, the register size assumed for a roll-over without register_digits. */
const integerDigitsOf = (value: string): number => {
  const dot = value.indexOf('.');
  return (dot < 0 ? value : value.slice(0, dot)).replace(/^0+(?=\d)/, '').length;
};

/** The digits a register wraps at: register_digits when given, else the start reading's integer digits. */
export const wrapDigits = (start: string, registerDigits: number | undefined): number =>
  registerDigits ?? integerDigitsOf(start);

/**
 * Advance of a cumulative register in register units. A reading below the start is a roll-over at
 * 10^digits; it is billed, and reported as a finding (an implausibly large wrap too).
 */
function registerDelta(pair: RegisterPair, column: string, row: MeterReadRow, findings: DataFinding[]): Dec {
  const start = parseRegister(pair.start, `${column}_start`, row.meterId);
  const end = parseRegister(pair.end, `${column}_end`, row.meterId);
  if (row.registerDigits !== undefined) {
    const size = pow10(row.registerDigits);
    for (const [reading, side] of [
      [start, 'start'],
      [end, 'end'],
    ] as const)
      if (reading.gte(size))
        throw new BillingInputError(
          'register_digits',
          `meter ${row.meterId}: ${column}_${side} ${reading.toFixed()} does not fit in ${row.registerDigits} register digits`,
        );
  }
  if (end.gte(start)) return end.minus(start);
  const digits = wrapDigits(pair.start, row.registerDigits);
  const modulus = pow10(digits);
  const delta = end.plus(modulus).minus(start);
  findings.push({
    code: 'REGISTER_ROLLOVER',
    meterId: row.meterId,
    message: `${column} rolled over at 10^${digits}: ${pair.start} → ${pair.end} counted as ${delta.toFixed()}`,
  });
  if (delta.gt(modulus.div(2)))
    findings.push({
      code: 'IMPLAUSIBLE_ROLLOVER',
      meterId: row.meterId,
      message: `${column} roll-over implies ${delta.toFixed()} register units, more than half the register; check for a meter change or a reversed reading`,
    });
  return delta;
}

function meterConsumption(row: MeterReadRow, findings: DataFinding[]): MeterConsumption {
  const multiplier = parseRegister(row.multiplier, 'multiplier', row.meterId);
  if (multiplier.isZero()) throw new BillingInputError('multiplier', `meter ${row.meterId}: multiplier is 0`);
  const total = registerDelta(row.kwhTotal, 'kwh_total', row, findings);
  const bands: Partial<Record<TouBand, Dec>> = {};
  let bandSum = dec(0);
  let places = Math.max(decimalsOf(row.kwhTotal.start), decimalsOf(row.kwhTotal.end));
  let bandCount = 0;
  for (const band of BANDS) {
    const pair = row.kwhBands[band];
    if (pair === undefined) continue;
    const delta = registerDelta(pair, BAND_COLUMNS[band], row, findings);
    bands[band] = delta.times(multiplier);
    bandSum = bandSum.plus(delta);
    bandCount++;
    places = Math.max(places, decimalsOf(pair.start), decimalsOf(pair.end));
  }
  // Each register is truncated to the meter's resolution, so the bands may miss the total by up to one
  // resolution step per band register; beyond that the data is wrong and the operator must look.
  const tolerance = pow10(-places).times(bandCount);
  const gap = bandSum.minus(total);
  if (gap.abs().gt(tolerance))
    findings.push({
      code: 'BAND_SUM_MISMATCH',
      meterId: row.meterId,
      message: `band registers sum to ${bandSum.times(multiplier).toFixed()} kWh, the total register to ${total.times(multiplier).toFixed()} kWh (difference ${gap.times(multiplier).toFixed()} kWh); bands billed as read, funds on the total`,
    });
  const kvarhImport = registerDelta(row.kvarh, 'kvarh', row, findings).times(multiplier);
  const kvarhExport =
    row.kvarhExport === undefined
      ? dec(0)
      : registerDelta(row.kvarhExport, 'kvarh_export', row, findings).times(multiplier);
  const demandKw = parseRegister(row.maxDemandKw, 'max_demand_kw', row.meterId).times(multiplier);
  if (row.readType === 'estimated')
    findings.push({
      code: 'ESTIMATED_READ',
      meterId: row.meterId,
      message: 'billed on an estimated reading',
    });
  return {
    meterId: row.meterId,
    readType: row.readType,
    multiplier,
    totalKwh: total.times(multiplier),
    bands,
    kvarhImport,
    kvarhExport,
    demandKw,
  };
}

type Changed = MeterConsumption & { readAt: string; row: MeterReadRow };

const described = (row: MeterReadRow): string =>
  `${row.readType} of meter ${row.meterId} (read_at ${row.readAt}, kwh_total ${row.kwhTotal.start} → ${row.kwhTotal.end})`;

const unpairedFinding = (row: MeterReadRow, why: string, demand: string): DataFinding => ({
  code: 'UNPAIRED_METER_CHANGE',
  meterId: row.meterId,
  message: `${described(row)} cannot be paired: ${why}; ${demand}`,
});

/**
 * A metering point's changed meters in reading order must be removed meters (meter_out) and then one new
 * meter (meter_in); a meter in service all period (actual, estimated) only when it is the point's only one.
 */
function chainFindings(
  point: string,
  chain: readonly Changed[],
  period: string,
  firstPeriod: boolean,
): DataFinding[] {
  const at = `metering point ${point} in ${period}`;
  const demand = `its demand counts in the line of metering point ${point}`;
  const found: DataFinding[] = [];
  const changes = chain.filter((c) => c.readType === 'meter_out' || c.readType === 'meter_in');
  for (const c of chain) {
    let why: string | undefined;
    if (c.readType === 'actual' || c.readType === 'estimated') {
      if (chain.length > 1)
        why = `it is read as in service the whole period, yet ${at} has ${chain.length} meters: which meter it followed or preceded cannot be told`;
    } else {
      const i = changes.indexOf(c);
      const isLast = i === changes.length - 1;
      if (c.readType === 'meter_out') {
        if (isLast) why = `no meter_in follows it at ${at}: the meter that replaced it is not in the reads`;
      } else if (!isLast) {
        const next = changes[i + 1]!;
        why = `it is read before ${next.readType} of meter ${next.meterId} (read_at ${next.readAt}) at ${at}: a new meter's first period ends the sequence`;
      } else if (chain.length === 1 && !firstPeriod) {
        why = `it is the only read of ${at} and not the account's first period: the meter it replaced has no meter_out`;
      }
    }
    if (why !== undefined) found.push(unpairedFinding(c.row, why, demand));
  }
  return found;
}

const byReadAt = (a: Changed, b: Changed) =>
  a.readAt < b.readAt
    ? -1
    : a.readAt > b.readAt
      ? 1
      : a.meterId < b.meterId
        ? -1
        : a.meterId > b.meterId
          ? 1
          : 0;

/** Sums an account's reads for one period. Throws BillingInputError for reads that cannot be billed. */
export function consumptionOf(
  reads: readonly MeterReadRow[],
  accountId: string,
  period: string,
  firstPeriod = false,
): Consumption {
  if (reads.length === 0) throw new BillingInputError('reads', `no meter reads for account ${accountId}`);
  const findings: DataFinding[] = [];
  const seen = new Set<string>();
  const meters: MeterConsumption[] = [];
  const outs: Changed[] = [];
  const ins: Changed[] = [];
  const points = new Map<string, Changed[]>();
  let maxDemandKw = dec(0);
  for (const row of reads) {
    if (row.accountId !== accountId)
      throw new BillingInputError(
        'account_id',
        `read of meter ${row.meterId} is for account ${row.accountId}`,
      );
    if (row.period !== period)
      throw new BillingInputError(
        'period',
        `read of meter ${row.meterId} is for period ${row.period}, not ${period}`,
      );
    const key = `${row.meterId}|${row.readType}`;
    if (seen.has(key))
      throw new BillingInputError(
        'meter_id',
        `meter ${row.meterId} has two ${row.readType} reads in ${period}`,
      );
    seen.add(key);
    const m = meterConsumption(row, findings);
    meters.push(m);
    const changed = { ...m, readAt: row.readAt, row };
    if (row.meteringPointId !== undefined)
      points.set(row.meteringPointId, [...(points.get(row.meteringPointId) ?? []), changed]);
    else if (row.readType === 'meter_out') outs.push(changed);
    else if (row.readType === 'meter_in') ins.push(changed);
    else maxDemandKw = maxDemandKw.plus(m.demandKw);
  }
  // A metering point is one incoming line: the largest demand of its meters, however many there were.
  for (const point of [...points.keys()].sort()) {
    const chain = points.get(point)!.sort(byReadAt);
    maxDemandKw = maxDemandKw.plus(chain.map((c) => c.demandKw).reduce((a, b) => maxOf(a, b)));
    findings.push(...chainFindings(point, chain, period, firstPeriod));
  }
  // Without metering points a meter_out and a meter_in are one line: the larger of the two demands.
  outs.sort(byReadAt);
  ins.sort(byReadAt);
  const counts = `the account has ${outs.length} meter_out and ${ins.length} meter_in reads in ${period} without a metering_point_id`;
  const guessing = outs.length > 1 || ins.length > 1;
  const pairs = Math.min(outs.length, ins.length);
  for (let i = 0; i < pairs; i++) {
    maxDemandKw = maxDemandKw.plus(maxOf(outs[i]!.demandKw, ins[i]!.demandKw));
    if (guessing)
      findings.push({
        code: 'METER_PAIRING_GUESSED',
        meterId: outs[i]!.meterId,
        message: `${described(outs[i]!.row)} paired with ${described(ins[i]!.row)} by reading time, a guess: ${counts}, so nothing says which meters share an incoming line; the line's demand is the larger of the two. The bill is held until an operator checks the pairing`,
        severity: 'hold',
      });
  }
  for (const unpaired of [...outs.slice(pairs), ...ins.slice(pairs)]) {
    maxDemandKw = maxDemandKw.plus(unpaired.demandKw);
    if (unpaired.readType === 'meter_in' && firstPeriod && outs.length === 0) continue;
    const why =
      unpaired.readType === 'meter_out'
        ? `no meter_in is left to pair it with: ${counts}`
        : `no meter_out is left to pair it with and it is not the account's first period: ${counts}`;
    findings.push(unpairedFinding(unpaired.row, why, 'its demand is added as a line of its own'));
  }
  let totalKwh = dec(0);
  let kvarhImport = dec(0);
  let kvarhExport = dec(0);
  const bands: Partial<Record<TouBand, Dec>> = {};
  for (const m of meters) {
    totalKwh = totalKwh.plus(m.totalKwh);
    kvarhImport = kvarhImport.plus(m.kvarhImport);
    kvarhExport = kvarhExport.plus(m.kvarhExport);
    for (const band of BANDS) {
      const v = m.bands[band];
      if (v !== undefined) bands[band] = (bands[band] ?? dec(0)).plus(v);
    }
  }
  return {
    totalKwh,
    bands,
    kvarhImport,
    kvarhExport,
    kvarh: kvarhImport.abs().plus(kvarhExport.abs()),
    maxDemandKw,
    meters,
    findings,
  };
}

const maxOf = (a: Dec, b: Dec): Dec => (a.gte(b) ? a : b);

/** A register's advance in register units (roll-over included), for building changed reads. */
export function registerAdvance(pair: RegisterPair, registerDigits: number | undefined): Dec {
  const start = dec(pair.start);
  const end = dec(pair.end);
  return end.gte(start)
    ? end.minus(start)
    : end.plus(pow10(wrapDigits(pair.start, registerDigits))).minus(start);
}

/**
 * The end reading of a register that advanced by `advance` from `start`: wraps at 10^register_digits when
 * the register's size is known; without it, a reading past the inferred size is still read back correctly.
 */
export function registerEndAfter(start: string, advance: Dec, registerDigits: number | undefined): string {
  let end = dec(start).plus(advance);
  if (registerDigits !== undefined && end.gte(pow10(registerDigits))) end = end.minus(pow10(registerDigits));
  return end.toFixed();
}
