import { describe, expect, it } from 'vitest';
import { METER_READ_COLUMNS, MeterReadRowSchema, meterReadRowToCsvLine } from '#domain/meter-read.ts';
import { meterCells } from '../../ingest/fixtures.ts';

describe('a validated row back as a CSV line (reject reports written after parsing)', () => {
  it('prints a row without a metering point in the upstream columns, as it always did', () => {
    const line = meterReadRowToCsvLine(MeterReadRowSchema.parse(meterCells()));
    expect(line.split(',')).toHaveLength(METER_READ_COLUMNS.length);
    expect(line.startsWith('3100012345,M-88001,2026-10,2026-10-31T23:45:00+08:00,actual,2000,')).toBe(true);
  });

  it('adds the metering point as one more cell when the row has one', () => {
    const row = MeterReadRowSchema.parse(meterCells({ metering_point_id: 'MP-7' }));
    const line = meterReadRowToCsvLine(row);
    expect(line.split(',')).toHaveLength(METER_READ_COLUMNS.length + 1);
    expect(line.endsWith(',MP-7')).toBe(true);
  });
});
