import { type DataFinding, FINDING_SEVERITY_HOLD } from '../bill.ts';
import { cmp, FX_ZERO, type Fx, plus } from '../decimal/fixed-point.ts';
import type { MeterReadRow } from '../meter-read.ts';

/*
 * Maximum demand over an account's incoming lines when meters changed or name their metering point
 * (billing-rules.md §3, upstream-feeds.md §1): the account's demand is the sum over its lines, and a line
 * served by successive meters in the period has the largest of their demands, however many changes it had.
 *
 * - With `metering_point_id`, the meters of one point are one line. Its changed meters in reading order
 *   must be removed meters (`meter_out`) and then one new meter (`meter_in`); a read out of that order, or
 *   a meter in service all period beside a change, is reported as an unpaired meter change (which meter,
 *   which reads, why), its demand still in the line. Nothing is guessed, so nothing is held.
 * - Without it, a `meter_out` and a `meter_in` of the account are one line. When there are several of
 *   either, nothing says which old meter a new one replaced: they are paired in reading order, and each
 *   such pairing is a guess that holds the bill for an operator.
 * - A `meter_in` with nothing it could replace is a new connection on the account's first period, and an
 *   unpaired meter change otherwise.
 */

/** A read whose line is not simply its own meter, with the demand the engine computed for it (kW). */
export interface LineRead {
  readonly row: MeterReadRow;
  readonly demandKw: Fx;
}

/** The demand of the lines these reads make up, their findings added to `findings`. */
export function demandOfChangedLines(
  reads: readonly LineRead[],
  period: string,
  newConnection: boolean,
  findings: DataFinding[],
): Fx {
  const points = new Map<string, LineRead[]>();
  const outs: LineRead[] = [];
  const ins: LineRead[] = [];
  for (const read of reads) {
    const point = read.row.meteringPointId;
    if (point !== undefined) points.set(point, [...(points.get(point) ?? []), read]);
    else if (read.row.readType === 'meter_out') outs.push(read);
    else ins.push(read);
  }
  let demand = FX_ZERO;
  for (const point of [...points.keys()].sort())
    demand = plus(demand, demandOfMeteringPoint(point, points.get(point)!, period, newConnection, findings));
  if (outs.length > 0 || ins.length > 0)
    demand = plus(demand, demandOfUnnamedChanges(outs, ins, period, newConnection, findings));
  return demand;
}

/** One metering point's line: the largest demand of its meters; its reads checked for a sequence. */
function demandOfMeteringPoint(
  point: string,
  reads: LineRead[],
  period: string,
  newConnection: boolean,
  findings: DataFinding[],
): Fx {
  reads.sort(byReadAt);
  let demand = reads[0]!.demandKw;
  for (let i = 1; i < reads.length; i++) demand = maxOf(demand, reads[i]!.demandKw);
  // The changed meters in reading order make the sequence; a meter in service all period stands apart.
  const sequence = reads.filter(({ row }) => row.readType === 'meter_out' || row.readType === 'meter_in');
  for (const { row } of reads) {
    const why = outOfSequence(row, sequence, reads.length, point, period, newConnection);
    if (why !== undefined)
      findings.push(unpaired(row, why, `its demand counts in the line of metering point ${point}`));
  }
  return demand;
}

/** Why a read of a metering point is not where a sequence of successive meters has it, or undefined. */
function outOfSequence(
  row: MeterReadRow,
  sequence: readonly LineRead[],
  meters: number,
  point: string,
  period: string,
  newConnection: boolean,
): string | undefined {
  const at = `metering point ${point} in ${period}`;
  if (row.readType === 'actual' || row.readType === 'estimated')
    return meters === 1
      ? undefined
      : `it is read as in service the whole period, yet ${at} has ${meters} meters: which meter it followed or preceded cannot be told`;
  const i = sequence.findIndex((r) => r.row === row);
  const last = sequence.length - 1;
  if (row.readType === 'meter_out')
    return i === last
      ? `no meter_in follows it at ${at}: the meter that replaced it is not in the reads`
      : undefined;
  if (i < last) {
    const next = sequence[i + 1]!.row;
    return `it is read before ${next.readType} of meter ${next.meterId} (read_at ${next.readAt}) at ${at}: a new meter's first period ends the sequence`;
  }
  if (meters === 1 && !newConnection)
    return `it is the only read of ${at} and not the account's first period: the meter it replaced has no meter_out`;
  return undefined;
}

/** Changed meters without a metering point: one meter_out and one meter_in are one line. */
function demandOfUnnamedChanges(
  outs: LineRead[],
  ins: LineRead[],
  period: string,
  newConnection: boolean,
  findings: DataFinding[],
): Fx {
  outs.sort(byReadAt);
  ins.sort(byReadAt);
  const pairs = Math.min(outs.length, ins.length);
  const counts = `the account has ${outs.length} meter_out and ${ins.length} meter_in reads in ${period} without a metering_point_id`;
  let demand = FX_ZERO;
  for (let i = 0; i < pairs; i++) {
    const out = outs[i]!;
    const into = ins[i]!;
    demand = plus(demand, maxOf(out.demandKw, into.demandKw));
    if (outs.length > 1 || ins.length > 1)
      findings.push({
        code: 'METER_PAIRING_GUESSED',
        meterId: out.row.meterId,
        message: `${describeRead(out.row)} paired with ${describeRead(into.row)} by reading time, a guess: ${counts}, so nothing says which meters share an incoming line; the line's demand is the larger of the two. The bill is held until an operator checks the pairing`,
        severity: FINDING_SEVERITY_HOLD,
      });
  }
  for (const out of outs.slice(pairs)) {
    demand = plus(demand, out.demandKw);
    findings.push(unpaired(out.row, `no meter_in is left to pair it with: ${counts}`, SEPARATE_LINE));
  }
  for (const into of ins.slice(pairs)) {
    demand = plus(demand, into.demandKw);
    if (!(newConnection && outs.length === 0))
      findings.push(
        unpaired(
          into.row,
          `no meter_out is left to pair it with and it is not the account's first period: ${counts}`,
          SEPARATE_LINE,
        ),
      );
  }
  return demand;
}

const SEPARATE_LINE = 'its demand is added as a line of its own';

const unpaired = (row: MeterReadRow, why: string, demand: string): DataFinding => ({
  code: 'UNPAIRED_METER_CHANGE',
  meterId: row.meterId,
  message: `${describeRead(row)} cannot be paired: ${why}; ${demand}`,
});

/** Which meter and which reads: enough for an operator to find the rows in the drop. */
const describeRead = (row: MeterReadRow): string =>
  `${row.readType} of meter ${row.meterId} (read_at ${row.readAt}, kwh_total ${row.kwhTotal.start} → ${row.kwhTotal.end})`;

const byReadAt = (a: LineRead, b: LineRead): number =>
  a.row.readAt < b.row.readAt
    ? -1
    : a.row.readAt > b.row.readAt
      ? 1
      : a.row.meterId < b.row.meterId
        ? -1
        : a.row.meterId > b.row.meterId
          ? 1
          : 0;

/** The larger of two demands, the first when equal (as the engine always compared them). */
const maxOf = (a: Fx, b: Fx): Fx => (cmp(a, b) >= 0 ? a : b);
