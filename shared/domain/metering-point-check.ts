import { METERING_POINT_COLUMN, type MeterReadRow } from './meter-read.ts';
import type { RowBreach } from './meter-read-bounds.ts';

/*
 * What one row of a drop cannot break alone but two can (issue #12): a metering point serves one account,
 * and a meter serves one metering point. The first valid row to say so fixes it for the drop; a later row
 * that contradicts it is refused, naming the row it contradicts, and every other row is read as usual.
 */

/** Checks each valid row of one drop against the rows before it; undefined when the row agrees with them. */
export type AcrossRowsCheck = (row: MeterReadRow, rowNumber: number) => RowBreach | undefined;

/**
 * The check for a drop with these header columns, or undefined when the drop has no metering point column
 * (then nothing is remembered, and a drop's memory stays what it was).
 */
export function meteringPointConsistency(columns: readonly string[]): AcrossRowsCheck | undefined {
  if (!columns.includes(METERING_POINT_COLUMN)) return undefined;
  /** metering point → the account it serves and the row that said so first. */
  const accountOfPoint = new Map<string, { accountId: string; rowNumber: number }>();
  /** "account|meter" → the metering point (undefined: none) its first row named, and that row. */
  const pointOfMeter = new Map<string, { point: string | undefined; rowNumber: number }>();
  return (row, rowNumber) => {
    const point = row.meteringPointId;
    const meterKey = `${row.accountId}|${row.meterId}`;
    const meter = pointOfMeter.get(meterKey);
    if (meter !== undefined && meter.point !== point)
      return {
        column: METERING_POINT_COLUMN,
        reason: `meter ${row.meterId} of account ${row.accountId} ${named(meter.point)} in row ${meter.rowNumber} and ${named(point)} here: the rows of one meter must name the same metering point`,
      };
    if (point !== undefined) {
      const owner = accountOfPoint.get(point);
      if (owner !== undefined && owner.accountId !== row.accountId)
        return {
          column: METERING_POINT_COLUMN,
          reason: `metering point ${point} belongs to account ${owner.accountId} (row ${owner.rowNumber}), not ${row.accountId}: a metering point serves one account`,
        };
      if (owner === undefined) accountOfPoint.set(point, { accountId: row.accountId, rowNumber });
    }
    if (meter === undefined) pointOfMeter.set(meterKey, { point, rowNumber });
    return undefined;
  };
}

const named = (point: string | undefined): string =>
  point === undefined ? 'names no metering point' : `is at metering point ${point}`;
