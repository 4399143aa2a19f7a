import type { DataFinding } from './bill.ts';
import type { MeterReadRow, RegisterPair } from './meter-read.ts';
import { dec } from './money.ts';
import { TOU_BANDS } from './primitives.ts';

/**
 * Reading continuity (upstream-feeds.md §1): a row's `*_start` should equal the same meter's `*_end`
 * from the previous period the product holds. A mismatch is a finding to report; the row is still
 * billed on its own readings. A new meter (`meter_in`) has no previous reading to match.
 */
export function checkReadContinuity(
  current: readonly MeterReadRow[],
  previous: readonly MeterReadRow[],
): DataFinding[] {
  const lastByMeter = new Map<string, MeterReadRow>();
  for (const row of previous) lastByMeter.set(row.meterId, row);
  const findings: DataFinding[] = [];
  for (const row of current) {
    if (row.readType === 'meter_in') continue;
    const last = lastByMeter.get(row.meterId);
    if (last === undefined) continue;
    const registers: [string, RegisterPair | undefined, RegisterPair | undefined][] = [
      ['kwh_total', row.kwhTotal, last.kwhTotal],
      ...TOU_BANDS.map((b): [string, RegisterPair | undefined, RegisterPair | undefined] => [
        `kwh_${b}`,
        row.kwhBands[b],
        last.kwhBands[b],
      ]),
      ['kvarh', row.kvarh, last.kvarh],
      ['kvarh_export', row.kvarhExport, last.kvarhExport],
    ];
    const breaks = registers
      .filter(
        ([, now, before]) => now !== undefined && before !== undefined && !dec(now.start).eq(before.end),
      )
      .map(
        ([name, now, before]) => `${name}_start ${now!.start} ≠ ${last.period} ${name}_end ${before!.end}`,
      );
    if (breaks.length > 0) {
      findings.push({ code: 'READ_CONTINUITY_BREAK', meterId: row.meterId, message: breaks.join('; ') });
    }
  }
  return findings;
}
