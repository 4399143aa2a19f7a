import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '#adapters/clients.ts';
import { dynamoStores } from '#adapters/dynamodb/index.ts';
import { keys } from '#adapters/dynamodb/keys.ts';
import { MeterReadRowSchema } from '#domain/meter-read.ts';
import { generateMeterReadRows } from '../../local/runner/fixtures.ts';
import { createTable } from '../../local/runner/resources.ts';
import { applyEnv, startLocalStack } from '../../local/stack.ts';
import { benchTemplates, ensureBenchDrop } from './ingest-fixtures.ts';

const run = promisify(execFile);
const ROWS = Number(process.env.BENCH_INGEST_ROWS ?? 1_000_000);
const WRITE_ITEMS = Number(process.env.BENCH_WRITE_ITEMS ?? 12_000);

async function measure(mode: 'raw' | 'pipeline', file: string) {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/ingest-child.ts', mode, file],
    {
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { rows: number; seconds: number; maxRssMb: number };
}

/**
 * Ingest figures from one run: pipeline (parse + validate + bill) rows/s ÷ raw read-and-split rows/s of
 * the same file, the pipeline's peak RSS, and the repository's write rate ÷ a bare BatchWriteItem loop
 * against the same DynamoDB Local.
 */
export async function benchIngest(): Promise<Record<string, number>> {
  const file = await ensureBenchDrop(`.local/bench/meter-reads-${ROWS}.csv`, ROWS);
  const raw = await measure('raw', file);
  const pipeline = await measure('pipeline', file);
  console.log(
    `  raw split: ${raw.rows} rows in ${raw.seconds.toFixed(1)} s; pipeline: ${pipeline.rows} rows in ${pipeline.seconds.toFixed(1)} s, peak RSS ${pipeline.maxRssMb.toFixed(0)} MB`,
  );

  const stack = await startLocalStack({ services: ['dynamodb'] });
  try {
    applyEnv(stack.env);
    const table = 'keybill-bench';
    await createTable(table);
    const rows = generateMeterReadRows(benchTemplates(), '2026-10').map((cells) =>
      MeterReadRowSchema.parse(cells),
    );
    const items = Array.from({ length: WRITE_ITEMS }, (_, i) => ({
      ...rows[i % rows.length]!,
      meterId: `W-${i}`,
    }));
    const client = new DynamoDBClient({});
    // The baseline: one BatchWriteItem of 25 after another, nothing else.
    const bare = async (prefix: string) => {
      const t = performance.now();
      for (let i = 0; i < items.length; i += 25) {
        await client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [table]: items.slice(i, i + 25).map((row) => {
                const k = keys.meterRead(`${prefix}${row.accountId}`, row.period, row.meterId, row.readType);
                return {
                  PutRequest: {
                    Item: {
                      pk: { S: k.pk },
                      sk: { S: k.sk },
                      entity: { S: 'READ' },
                      row: { S: JSON.stringify(row) },
                    },
                  },
                };
              }),
            },
          }),
        );
      }
      return items.length / ((performance.now() - t) / 1000);
    };
    const { meterReads } = dynamoStores(documentClient(), table);
    const project = async (prefix: string) => {
      const t = performance.now();
      await meterReads.putMeterReads(
        items.map((r) => ({ ...r, accountId: `${prefix}${r.accountId}` })),
        'bench',
      );
      return items.length / ((performance.now() - t) / 1000);
    };
    // Alternate the two so that neither gets the warmer table.
    const bareRates = [await bare('A'), 0];
    const projectRates = [await project('B'), 0];
    bareRates[1] = await bare('C');
    projectRates[1] = await project('D');
    const bareRate = Math.max(...bareRates);
    const projectRate = Math.max(...projectRates);
    console.log(
      `  writes: repository ${projectRate.toFixed(0)} items/s, bare BatchWriteItem loop ${bareRate.toFixed(0)} items/s`,
    );
    client.destroy();
    return {
      'ingest.rows': pipeline.rows,
      'ingest.rawRowsPerSecond': Math.round(raw.rows / raw.seconds),
      'ingest.pipelineRowsPerSecond': Math.round(pipeline.rows / pipeline.seconds),
      'ingest.pipelineVsRawRatio': Number((raw.seconds / pipeline.seconds).toFixed(3)),
      'ingest.peakRssMb': Math.round(pipeline.maxRssMb),
      'ingest.writeVsBareRatio': Number((projectRate / bareRate).toFixed(3)),
      'ingest.rowsPer15MinutesOneLambda': Math.round((pipeline.rows / pipeline.seconds) * 900),
    };
  } finally {
    await stack.stop();
  }
}
