/**
 * Lambda figures from one run (no threshold anywhere), over the bundles `cdk synth` makes:
 *   lambda.<handler>.bundleBytes    the function's index.mjs (minified ESM, source map and metafile beside)
 *   lambda.<handler>.importRatio    its cold import time ÷ the minimal Powertools + SDK handler's
 *                                   (scripts/bench/minimal-handler.ts, bundled the same way)
 *   lambda.maxBundleBytes           the largest bundle
 *   lambda.maxImportRatio           the slowest cold import ÷ the minimal handler's
 *   lambda.<handler>.importCpuRatio, lambda.maxImportCpuRatio  the same with the CPU time the import
 *                                   took instead of its wall time (steadier on a loaded machine)
 *   lambda.minimalBundleBytes       the minimal handler's bundle, for scale
 *   lambda.tracedMinimalImportRatio the minimal handler framed as every function is (Powertools Tracer,
 *                                   Metrics, middy; traced-minimal-handler.ts) ÷ the minimal handler's
 *   lambda.validatingMinimalImportRatio  that frame plus one zod schema (validating-minimal-handler.ts):
 *                                   the floor of a keybill function before any of its own code
 *   lambda.<handler>.importRatioVsFrame, lambda.maxImportRatioVsFrame  the cold import ÷ that floor's: what
 *                                   the product's own code and clients add to the frame the guide prescribes
 *
 * A cold import is timed inside a fresh Node process (`await import(bundle)`, with the function's own
 * environment from the template), every bundle once per round, rounds interleaved so that the machine's
 * load falls on all alike; the median of the rounds is kept. What each bundle holds is in its metafile
 * (`asset.<hash>/index.meta.json`, https://esbuild.github.io/analyze/ reads it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildBundle } from '../../infra/constructs/function-bundle.ts';
import { type DeployedFunction, synthesizeStack } from '../../local/runner/synthesized-stack.ts';
import { TemplateValues } from '../../local/runner/template-values.ts';

const ROUNDS = Number(process.env.BENCH_LAMBDA_ROUNDS ?? 7);

const SCOPE = { region: 'cn-north-1', account: '000000000000' } as const;

/**
 * What a Lambda environment holds besides the function's variables, which are resolved as they would be
 * once deployed (ARNs, URLs, the JSON a variable joins from them), so each bundle initialises as on AWS.
 */
export function environmentFor(
  fn: Pick<DeployedFunction, 'environment'>,
  values?: TemplateValues,
): NodeJS.ProcessEnv {
  const variables = Object.fromEntries(
    Object.entries(fn.environment).map(([k, v]) => [k, String(values?.resolve(v) ?? v)]),
  );
  return {
    PATH: process.env.PATH,
    AWS_REGION: SCOPE.region,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    ...variables,
  };
}

// The import's wall time, and the CPU time the process spent in it (every thread: V8 compiles and
// collects garbage on helper threads), which other processes on a shared machine disturb less.
const IMPORT_TIMER = [
  'const cpu = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]);',
  'const wall = performance.now() - t; const { user, system } = process.cpuUsage(cpu);',
  'process.stdout.write(JSON.stringify([wall, (user + system) / 1000]));',
].join(' ');

function coldImportMs(bundlePath: string, env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(bundlePath).href],
    { env, encoding: 'utf8' },
  );
  const [wall, cpu] = JSON.parse(out) as [number, number];
  return { wall, cpu };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function benchLambda(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'keybill-bench-lambda-'));
  try {
    const stack = synthesizeStack(join(dir, 'cdk.out'));
    const values = new TemplateValues(stack.template, SCOPE);
    const yardsticks = ['minimal', 'traced-minimal', 'validating-minimal'];
    for (const name of yardsticks) {
      await buildBundle(fileURLToPath(new URL(`./${name}-handler.ts`, import.meta.url)), join(dir, name));
    }
    const minimalDir = join(dir, 'minimal');
    const subjects = [
      ...yardsticks.map((name) => ({
        name,
        bundlePath: join(dir, name, 'index.mjs'),
        env: environmentFor({ environment: {} }),
      })),
      ...stack.functions.map((f) => ({
        name: f.handlerName,
        bundlePath: f.bundlePath,
        env: environmentFor(f, values),
      })),
    ];
    const samples = new Map(subjects.map((s) => [s.name, [] as number[]]));
    const cpuSamples = new Map(subjects.map((s) => [s.name, [] as number[]]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const subject of subjects) {
        const { wall, cpu } = coldImportMs(subject.bundlePath, subject.env);
        samples.get(subject.name)!.push(wall);
        cpuSamples.get(subject.name)!.push(cpu);
      }
    }
    const minimalMs = median(samples.get('minimal')!);
    const minimalCpuMs = median(cpuSamples.get('minimal')!);
    const frameMs = median(samples.get('validating-minimal')!);
    const cpuRatio = (name: string) => round2(median(cpuSamples.get(name)!) / minimalCpuMs);
    const figures: Record<string, number> = {};
    for (const fn of stack.functions) {
      const importMs = median(samples.get(fn.handlerName)!);
      figures[`lambda.${fn.handlerName}.bundleBytes`] = statSync(fn.bundlePath).size;
      figures[`lambda.${fn.handlerName}.importRatio`] = round2(importMs / minimalMs);
      figures[`lambda.${fn.handlerName}.importCpuRatio`] = cpuRatio(fn.handlerName);
      figures[`lambda.${fn.handlerName}.importRatioVsFrame`] = round2(importMs / frameMs);
    }
    const of = (suffix: string) =>
      Object.entries(figures)
        .filter(([k]) => k.endsWith(suffix))
        .map(([, v]) => v);
    return {
      ...figures,
      'lambda.maxBundleBytes': Math.max(...of('.bundleBytes')),
      'lambda.maxImportRatio': Math.max(...of('.importRatio')),
      'lambda.maxImportCpuRatio': Math.max(...of('.importCpuRatio')),
      'lambda.maxImportRatioVsFrame': Math.max(...of('.importRatioVsFrame')),
      'lambda.minimalBundleBytes': statSync(join(minimalDir, 'index.mjs')).size,
      'lambda.minimalImportMs': round2(minimalMs),
      'lambda.minimalImportCpuMs': round2(minimalCpuMs),
      'lambda.tracedMinimalImportRatio': round2(median(samples.get('traced-minimal')!) / minimalMs),
      'lambda.tracedMinimalImportCpuRatio': cpuRatio('traced-minimal'),
      'lambda.validatingMinimalImportRatio': round2(median(samples.get('validating-minimal')!) / minimalMs),
      'lambda.validatingMinimalImportCpuRatio': cpuRatio('validating-minimal'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
