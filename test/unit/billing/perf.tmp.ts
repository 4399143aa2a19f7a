import { generateAccounts, generateMeterReadRows } from '../../../local/runner/fixtures.ts';
import { computeBill, SAMPLE_TARIFFS } from '../../../shared/domain/billing/index.ts';
import { MeterReadRowSchema } from '../../../shared/domain/meter-read.ts';
const gen = generateAccounts(3000, { tariffIds: ['GD-LI-1-10KV', 'SC-LI-1-10KV'] });
const rows = generateMeterReadRows(gen, '2026-10').map((c) => MeterReadRowSchema.parse(c));
const byAcc = new Map<string, typeof rows>();
for (const r of rows) { const l = byAcc.get(r.accountId) ?? []; l.push(r); byAcc.set(r.accountId, l); }
for (const enabled of [true, true, false]) {
  const t0 = performance.now();
  for (const g of gen) computeBill({ account: g.account, tariffs: SAMPLE_TARIFFS, reads: byAcc.get(g.account.accountId)!, period: '2026-10', advice: { enabled } });
  console.log('advice', enabled, 'µs/bill', ((performance.now() - t0) / gen.length * 1000).toFixed(1));
}
