/**
 * `npm run bill-digest`: the SHA-256 of every bill of the engine benchmark's population (100,000
 * generated accounts, advice on and off), printed as JSON. A refactoring of the engine must leave it
 * unchanged: the bills are then byte-identical.
 *
 *   npm run bill-digest -- --accounts 1000     a smaller population for a quick look
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { computeBill } from '#domain/billing/index.ts';
import { engineBenchInputs } from './bench/engine.ts';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '100000' } } });
const accounts = Number(values.accounts);
const inputs = engineBenchInputs(accounts);

const digest = (advice: boolean): string => {
  const hash = createHash('sha256');
  for (const input of inputs) {
    hash.update(JSON.stringify(computeBill({ ...input, advice: { enabled: advice } })));
    hash.update('\n');
  }
  return hash.digest('hex');
};

console.log(JSON.stringify({ accounts, withAdvice: digest(true), withoutAdvice: digest(false) }, null, 2));
