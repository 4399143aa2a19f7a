/**
 * One measured pass over a drop file, in its own process so that its peak RSS is its own:
 *   raw       decode + CSV split only (the baseline)
 *   pipeline  decode + split + validate + bill each account (no I/O)
 * Prints one JSON line: { rows, seconds, maxRssMb }.
 */
import { createReadStream } from 'node:fs';
import type { Account } from '#domain/account.ts';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { MeterReadRow } from '#domain/meter-read.ts';
import { METER_READ_FEED, rawSplitRows, readDrop } from '#ingest/index.ts';
import { benchTemplates, templateIndexOf } from './ingest-fixtures.ts';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'raw' && mode !== 'pipeline') || file === undefined)
  throw new Error('usage: ingest-child raw|pipeline FILE');

const started = performance.now();
let rows = 0;
if (mode === 'raw') {
  for await (const _ of rawSplitRows({ fileName: file, body: createReadStream(file) })) rows++;
  rows--; // the header
} else {
  const templates = benchTemplates();
  const accountFor = (accountId: string): Account => ({
    ...templates[templateIndexOf(accountId)]!.account,
    accountId,
  });
  // The metering system writes an account's meters together, so an account is billed as soon as its run ends.
  let current: { accountId: string; period: string; reads: MeterReadRow[] } | undefined;
  const bill = () => {
    if (current !== undefined)
      computeBill({
        account: accountFor(current.accountId),
        tariffs: SAMPLE_TARIFFS,
        reads: current.reads,
        period: current.period,
      });
  };
  for await (const item of readDrop({ fileName: file, body: createReadStream(file) }, METER_READ_FEED)) {
    rows++;
    if (item.kind !== 'row') continue;
    if (current?.accountId !== item.row.accountId || current.period !== item.row.period) {
      bill();
      current = { accountId: item.row.accountId, period: item.row.period, reads: [] };
    }
    current.reads.push(item.row);
  }
  bill();
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
