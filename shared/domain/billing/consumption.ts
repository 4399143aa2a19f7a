import type { DataFinding } from '../bill.ts';
import {
  absFx,
  cmp,
  FX_ZERO,
  type Fx,
  fx,
  fxInt,
  fxPow10,
  fxUnsigned,
  isZero,
  minus,
  plus,
  times,
  toFixed,
} from '../decimal/fixed-point.ts';
import type { MeterReadRow, RegisterPair } from '../meter-read.ts';
import type { TouBand } from '../primitives.ts';
import { BillingInputError } from './errors.ts';
import { demandOfChangedLines, type LineRead } from './incoming-lines.ts';

/*
 * Consumption from register reads (billing-rules.md §2): register deltas × multiplier, roll-over at
 * 10^digits, meter changes as two segments, several meters summed, maximum demand summed over incoming
 * lines (incoming-lines.ts: successive meters of one line take the largest of their demands).
 */

export const BANDS: readonly TouBand[] = ['sharp', 'peak', 'flat', 'valley'];

export interface MeterConsumption {
  meterId: string;
  readType: MeterReadRow['readType'];
  multiplier: Fx;
  totalKwh: Fx;
  bands: Partial<Record<TouBand, Fx>>;
  kvarhImport: Fx;
  kvarhExport: Fx;
  demandKw: Fx;
  /** Register advances (register units) advice builds its changed reads from. */
  bandAdvances: Partial<Record<TouBand, Fx>>;
  kvarhAdvance: Fx;
  kvarhExportAdvance: Fx | undefined;
}

export interface Consumption {
  /** Active energy of the total registers, kWh. */
  totalKwh: Fx;
  /** Active energy of the band registers, kWh (only the bands some meter reports). */
  bands: Partial<Record<TouBand, Fx>>;
  kvarhImport: Fx;
  kvarhExport: Fx;
  /** |import| + |export| reactive energy, kvarh: what the power factor is computed with. */
  kvarh: Fx;
  maxDemandKw: Fx;
  /** One per read, in the order of the reads. */
  meters: MeterConsumption[];
  findings: DataFinding[];
}

const BAND_COLUMNS: Record<TouBand, string> = {
  sharp: 'kwh_sharp',
  peak: 'kwh_peak',
  flat: 'kwh_flat',
  valley: 'kwh_valley',
};

/** A reading of `column` (`_start` or `_end` appended with `side`: named only when it is not a reading). */
function parseRegister(value: string, column: string, meterId: string, side = ''): Fx {
  const reading = typeof value === 'string' ? fxUnsigned(value) : undefined;
  if (reading === undefined)
    throw new BillingInputError(
      column + side,
      `meter ${meterId}: ${JSON.stringify(value)} is not a register reading`,
    );
  return reading;
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
function registerDelta(pair: RegisterPair, column: string, row: MeterReadRow, findings: DataFinding[]): Fx {
  const start = parseRegister(pair.start, column, row.meterId, '_start');
  const end = parseRegister(pair.end, column, row.meterId, '_end');
  if (row.registerDigits !== undefined) {
    const size = fxPow10(row.registerDigits);
    if (cmp(start, size) >= 0) throw doesNotFit(row, column, 'start', start);
    if (cmp(end, size) >= 0) throw doesNotFit(row, column, 'end', end);
  }
  if (cmp(end, start) >= 0) return minus(end, start);
  const digits = wrapDigits(pair.start, row.registerDigits);
  const modulus = fxPow10(digits);
  const delta = minus(plus(end, modulus), start);
  findings.push({
    code: 'REGISTER_ROLLOVER',
    meterId: row.meterId,
    message: `${column} rolled over at 10^${digits}: ${pair.start} → ${pair.end} counted as ${toFixed(delta)}`,
  });
  if (cmp(delta, halfOf(digits)) > 0)
    findings.push({
      code: 'IMPLAUSIBLE_ROLLOVER',
      meterId: row.meterId,
      message: `${column} roll-over implies ${toFixed(delta)} register units, more than half the register; check for a meter change or a reversed reading`,
    });
  return delta;
}

const doesNotFit = (row: MeterReadRow, column: string, side: string, reading: Fx): BillingInputError =>
  new BillingInputError(
    'register_digits',
    `meter ${row.meterId}: ${column}_${side} ${toFixed(reading)} does not fit in ${row.registerDigits} register digits`,
  );

/** 10^digits / 2 (exact: 5 × 10^(digits − 1)). */
const halfOf = (digits: number): Fx => times(fxPow10(digits), HALF);
const HALF = fx('0.5');

function meterConsumption(row: MeterReadRow, findings: DataFinding[]): MeterConsumption {
  const multiplier = parseRegister(row.multiplier, 'multiplier', row.meterId);
  if (isZero(multiplier)) throw new BillingInputError('multiplier', `meter ${row.meterId}: multiplier is 0`);
  const total = registerDelta(row.kwhTotal, 'kwh_total', row, findings);
  const bands: Partial<Record<TouBand, Fx>> = {};
  const bandAdvances: Partial<Record<TouBand, Fx>> = {};
  let bandSum = FX_ZERO;
  let places = Math.max(decimalsOf(row.kwhTotal.start), decimalsOf(row.kwhTotal.end));
  let bandCount = 0;
  for (const band of BANDS) {
    const pair = row.kwhBands[band];
    if (pair === undefined) continue;
    const delta = registerDelta(pair, BAND_COLUMNS[band], row, findings);
    bandAdvances[band] = delta;
    bands[band] = times(delta, multiplier);
    bandSum = plus(bandSum, delta);
    bandCount++;
    places = Math.max(places, decimalsOf(pair.start), decimalsOf(pair.end));
  }
  // Each register is truncated to the meter's resolution, so the bands may miss the total by up to one
  // resolution step per band register; beyond that the data is wrong and the operator must look.
  const tolerance = times(fxPow10(-places), fxInt(bandCount));
  const gap = minus(bandSum, total);
  if (cmp(absFx(gap), tolerance) > 0)
    findings.push({
      code: 'BAND_SUM_MISMATCH',
      meterId: row.meterId,
      message: `band registers sum to ${toFixed(times(bandSum, multiplier))} kWh, the total register to ${toFixed(times(total, multiplier))} kWh (difference ${toFixed(times(gap, multiplier))} kWh); bands billed as read, funds on the total`,
    });
  const kvarhAdvance = registerDelta(row.kvarh, 'kvarh', row, findings);
  const kvarhImport = times(kvarhAdvance, multiplier);
  const kvarhExportAdvance =
    row.kvarhExport === undefined ? undefined : registerDelta(row.kvarhExport, 'kvarh_export', row, findings);
  const kvarhExport = kvarhExportAdvance === undefined ? FX_ZERO : times(kvarhExportAdvance, multiplier);
  const demandKw = times(parseRegister(row.maxDemandKw, 'max_demand_kw', row.meterId), multiplier);
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
    totalKwh: times(total, multiplier),
    bands,
    kvarhImport,
    kvarhExport,
    demandKw,
    bandAdvances,
    kvarhAdvance,
    kvarhExportAdvance,
  };
}

/**
 * Sums an account's reads for one period. Throws BillingInputError for reads that cannot be billed.
 * `newConnection`: the period is the account's first, so a meter_in with nothing to replace is new.
 */
export function consumptionOf(
  reads: readonly MeterReadRow[],
  accountId: string,
  period: string,
  newConnection = false,
): Consumption {
  if (reads.length === 0) throw new BillingInputError('reads', `no meter reads for account ${accountId}`);
  const findings: DataFinding[] = [];
  const meters: MeterConsumption[] = [];
  const changing: LineRead[] = [];
  let maxDemandKw = FX_ZERO;
  for (let i = 0; i < reads.length; i++) {
    const row = reads[i]!;
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
    // The keys a Set would hold, compared directly: there are one to three reads.
    const key = `${row.meterId}|${row.readType}`;
    for (let j = 0; j < i; j++) {
      if (`${reads[j]!.meterId}|${reads[j]!.readType}` === key)
        throw new BillingInputError(
          'meter_id',
          `meter ${row.meterId} has two ${row.readType} reads in ${period}`,
        );
    }
    const m = meterConsumption(row, findings);
    meters.push(m);
    // A meter that is its own incoming line adds its demand; the others' lines are worked out together.
    if (row.meteringPointId !== undefined || row.readType === 'meter_out' || row.readType === 'meter_in')
      changing.push({ row, demandKw: m.demandKw });
    else maxDemandKw = plus(maxDemandKw, m.demandKw);
  }
  if (changing.length > 0)
    maxDemandKw = plus(maxDemandKw, demandOfChangedLines(changing, period, newConnection, findings));
  let totalKwh = FX_ZERO;
  let kvarhImport = FX_ZERO;
  let kvarhExport = FX_ZERO;
  for (const m of meters) {
    totalKwh = plus(totalKwh, m.totalKwh);
    kvarhImport = plus(kvarhImport, m.kvarhImport);
    kvarhExport = plus(kvarhExport, m.kvarhExport);
  }
  return {
    totalKwh,
    bands: sumBands(meters, undefined),
    kvarhImport,
    kvarhExport,
    kvarh: reactiveOf(kvarhImport, kvarhExport),
    maxDemandKw,
    meters,
    findings,
  };
}

/** |import| + |export|. */
export const reactiveOf = (kvarhImport: Fx, kvarhExport: Fx): Fx =>
  plus(absFx(kvarhImport), absFx(kvarhExport));

/** The band energies summed over the meters in read order; `changed` replaces some meters' bands. */
export function sumBands(
  meters: readonly MeterConsumption[],
  changed: readonly (Partial<Record<TouBand, Fx>> | undefined)[] | undefined,
): Partial<Record<TouBand, Fx>> {
  // Each band by name rather than by a key that varies: this runs for every bill and every peak-shift advice.
  let sharp: Fx | undefined;
  let peak: Fx | undefined;
  let flat: Fx | undefined;
  let valley: Fx | undefined;
  for (let i = 0; i < meters.length; i++) {
    const mb = changed?.[i] ?? meters[i]!.bands;
    if (mb.sharp !== undefined) sharp = plus(sharp ?? FX_ZERO, mb.sharp);
    if (mb.peak !== undefined) peak = plus(peak ?? FX_ZERO, mb.peak);
    if (mb.flat !== undefined) flat = plus(flat ?? FX_ZERO, mb.flat);
    if (mb.valley !== undefined) valley = plus(valley ?? FX_ZERO, mb.valley);
  }
  const bands: Partial<Record<TouBand, Fx>> = {};
  if (sharp !== undefined) bands.sharp = sharp;
  if (peak !== undefined) bands.peak = peak;
  if (flat !== undefined) bands.flat = flat;
  if (valley !== undefined) bands.valley = valley;
  return bands;
}

/**
 * The end reading of a register that advanced by `advance` from `start`: wraps at 10^register_digits when
 * the register's size is known; without it, a reading past the inferred size is still read back correctly.
 */
export function registerEndAfter(start: string, advance: Fx, registerDigits: number | undefined): Fx {
  let end = plus(fx(start), advance);
  if (registerDigits !== undefined && cmp(end, fxPow10(registerDigits)) >= 0)
    end = minus(end, fxPow10(registerDigits));
  return end;
}

/**
 * The advance a changed read's register shows again when billed: registerDelta of start → end, where end is
 * registerEndAfter(start, advance), or undefined when billing that read would not simply give it back (a
 * reading that does not fit the register or is not a reading): the caller then bills the changed reads in
 * full. One function so that the start reading is read once.
 */
export function advanceBilledAfter(
  start: string,
  advance: Fx,
  registerDigits: number | undefined,
): Fx | undefined {
  const s = fx(start);
  let end = plus(s, advance);
  if (registerDigits !== undefined && cmp(end, fxPow10(registerDigits)) >= 0)
    end = minus(end, fxPow10(registerDigits));
  if (end.n < 0n) return undefined;
  if (registerDigits !== undefined && cmp(end, fxPow10(registerDigits)) >= 0) return undefined;
  if (cmp(end, s) >= 0) return minus(end, s);
  return minus(plus(end, fxPow10(wrapDigits(start, registerDigits))), s);
}
