/**
 * Where one Lambda stops being enough, from one run on the local stack (no threshold anywhere):
 *   scale.readRowsPerSecond               ingest-drop (phase one: stream, validate, stage the rows in
 *                                         DynamoDB Local, queue the chunks) over a generated drop
 *   scale.readRowsPer15MinutesOneLambda   the same rate over a Lambda's 15 minutes
 *   scale.billAccountsPerSecondOneInstance   bill-chunk (phase two), one instance, chunks of 50 accounts
 *   scale.billAccountsPer15MinutesOneInstance  the same over 15 minutes: past this, one Lambda could not
 *                                         bill a drop's accounts, which is why billing is fanned out
 *                                         (20 instances by default, more by configuration)
 * DynamoDB Local is one process on this machine's cores: real DynamoDB serves each instance as fast or
 * faster, so these are lower bounds. The run happens in a child process (handlers are configured once
 * per process).
 *
 *   npx tsx scripts/bench/scale.ts run    the measurement alone, printing one JSON line
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Account } from '#domain/account.ts';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { METER_READ_FEED, readDrop } from '#ingest/index.ts';
import { benchTemplates, ensureBenchDrop, templateIndexOf } from './ingest-fixtures.ts';

const ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 30_000);

interface ScaleRun {
  rows: number;
  accounts: number;
  chunks: number;
  readSeconds: number;
  billSeconds: number;
}

export async function benchScale(): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), 'run'],
    { maxBuffer: 1 << 20, timeout: 1_200_000, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' } },
  );
  const run = JSON.parse(stdout.trim().split('\n').at(-1)!) as ScaleRun;
  const readRate = run.rows / run.readSeconds;
  const billRate = run.accounts / run.billSeconds;
  console.log(
    `  ingest-drop read and staged ${run.rows} rows in ${run.readSeconds.toFixed(1)} s; one bill-chunk instance billed ${run.accounts} accounts (${run.chunks} chunks) in ${run.billSeconds.toFixed(1)} s`,
  );
  return {
    'scale.readRowsPerSecond': Math.round(readRate),
    'scale.readRowsPer15MinutesOneLambda': Math.round(readRate * 900),
    'scale.billAccountsPerSecondOneInstance': Number(billRate.toFixed(1)),
    'scale.billAccountsPer15MinutesOneInstance': Math.round(billRate * 900),
  };
}

async function measure(): Promise<ScaleRun> {
  const { startLocalStack } = await import('../../local/stack.ts');
  const { prepareLocalPipeline } = await import('../../local/runner/local-pipeline.ts');
  const file = await ensureBenchDrop(`.local/bench/meter-reads-${ROWS}.csv`, ROWS);
  // The accounts the drop covers, as key accounts in the table.
  const accountIds = new Set<string>();
  for await (const item of readDrop({ fileName: file, body: createReadStream(file) }, METER_READ_FEED)) {
    if (item.kind === 'row') accountIds.add(item.row.accountId);
  }
  const templates = benchTemplates();
  const accounts: Account[] = [...accountIds].map((accountId) => ({
    ...templates[templateIndexOf(accountId)]!.account,
    accountId,
  }));

  const stack = await startLocalStack({ services: ['dynamodb', 's3', 'sqs'] });
  try {
    const pipeline = await prepareLocalPipeline(stack);
    await pipeline.stores.tariffs.putTariffs(SAMPLE_TARIFFS);
    await pipeline.stores.accounts.putAccounts(accounts);
    const key = `drops/reads/2026-10/bench-${ROWS}.csv`;
    await pipeline.putDrop(key, await readFile(file));

    let started = performance.now();
    const read = (await pipeline.deliverDrop(key, { leaveChunks: true })) as {
      rows: number;
      chunks?: number;
    };
    const readSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await pipeline.billChunks();
    const billSeconds = (performance.now() - started) / 1000;
    pipeline.close();
    return { rows: read.rows, accounts: accounts.length, chunks: read.chunks ?? 0, readSeconds, billSeconds };
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === 'run') {
  measure()
    .then((run) => console.log(JSON.stringify(run)))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
