/**
 * `npm run bench`: every benchmark of the project, each printing ratios or rates measured in this one
 * run (never compared with a fixed threshold: machines are shared and noisy). All figures are merged
 * into out/bench.json, one JSON object.
 *
 *   npm run bench                 all benchmarks
 *   npm run bench -- engine       only the named ones
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';

type Bench = () => Promise<Record<string, number>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  engine: async () => (await import('./bench/engine.ts')).benchEngine,
  faults: async () => (await import('./bench/faults.ts')).benchFaults,
  ingest: async () => (await import('./bench/ingest.ts')).benchIngest,
  lambda: async () => (await import('./bench/lambda.ts')).benchLambda,
  notify: async () => (await import('./bench/notify.ts')).benchNotify,
  scale: async () => (await import('./bench/scale.ts')).benchScale,
};

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length === 0 ? Object.keys(BENCHES) : wanted;
  await mkdir('out', { recursive: true });
  let figures: Record<string, number> = {};
  try {
    figures = JSON.parse(await readFile('out/bench.json', 'utf-8'));
  } catch {
    // first run
  }
  for (const name of names) {
    const load = BENCHES[name];
    if (load === undefined)
      throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
    console.log(`\n== ${name}`);
    const result = await (await load())();
    for (const [key, value] of Object.entries(result)) console.log(`  ${key.padEnd(48)} ${value}`);
    figures = { ...figures, ...result };
    await writeFile('out/bench.json', `${JSON.stringify(figures, null, 2)}\n`);
  }
  console.log('\nwrote out/bench.json');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
