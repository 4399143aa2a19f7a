/**
 * Bill-engine throughput: 100,000 generated key accounts with their meter reads (one or two meters each),
 * billed in this one process. Reports rates from this run only; no threshold anywhere.
 */

import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { type MeterReadRow, MeterReadRowSchema } from '#domain/meter-read.ts';
import { generateAccounts, generateMeterReadRows } from '../../local/runner/fixtures.ts';

const PERIOD = '2026-10';

/** The benchmark's population: generated accounts on the sample tariffs, each with its period's reads. */
export function engineBenchInputs(accounts: number) {
  const generated = generateAccounts(accounts, {
    tariffIds: [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))],
  });
  const reads = new Map<string, MeterReadRow[]>();
  for (const cells of generateMeterReadRows(generated, PERIOD)) {
    const row = MeterReadRowSchema.parse(cells);
    const list = reads.get(row.accountId);
    if (list === undefined) reads.set(row.accountId, [row]);
    else list.push(row);
  }
  return generated.map((g) => ({
    account: g.account,
    tariffs: SAMPLE_TARIFFS,
    reads: reads.get(g.account.accountId)!,
    period: PERIOD,
  }));
}

export async function benchEngine(accounts = 100_000): Promise<Record<string, number>> {
  const inputs = engineBenchInputs(accounts);
  const run = (adviceEnabled: boolean): number => {
    // A checksum of the results keeps the work observable (and the loop from being optimised away).
    let printed = 0;
    const started = performance.now();
    for (const input of inputs)
      printed += computeBill({ ...input, advice: { enabled: adviceEnabled } }).lines.length;
    const seconds = (performance.now() - started) / 1000;
    if (printed === 0) throw new Error('the engine printed no bill lines');
    return Math.round(inputs.length / seconds);
  };

  // Warm up the JIT and the tariff cache on a slice before measuring.
  for (const input of inputs.slice(0, 500)) computeBill(input);
  return {
    'engine.billsPerSecond': run(true),
    'engine.billsPerSecondWithoutAdvice': run(false),
  };
}
