/**
 * `npm run bill-digest`: the SHA-256 of every bill of the engine benchmark's population (100,000
 * generated accounts, advice on and off), printed as JSON. A refactoring of the engine must leave it
 * unchanged: the bills are then byte-identical.
 *
 *   npm run bill-digest -- --accounts 1000     a smaller population for a quick look
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { type MeterReadRow, MeterReadRowSchema } from '#domain/meter-read.ts';
import { generateAccounts, generateMeterReadRows } from '../local/runner/fixtures.ts';

const PERIOD = '2026-10';
const { values } = parseArgs({ options: { accounts: { type: 'string', default: '100000' } } });
const accounts = Number(values.accounts);

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

const digest = (advice: boolean): string => {
  const hash = createHash('sha256');
  for (const g of generated) {
    const bill = computeBill({
      account: g.account,
      tariffs: SAMPLE_TARIFFS,
      reads: reads.get(g.account.accountId) ?? [],
      period: PERIOD,
      advice: { enabled: advice },
    });
    hash.update(JSON.stringify(bill));
    hash.update('\n');
  }
  return hash.digest('hex');
};

console.log(JSON.stringify({ accounts, withAdvice: digest(true), withoutAdvice: digest(false) }, null, 2));
