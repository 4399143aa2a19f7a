/**
 * Where a function's cold import goes: `npx tsx scripts/bench/import-profile.ts <handler> [rounds]`.
 * Prints, from one run and as medians of the rounds, (1) the CPU time V8 takes to compile the deployed
 * bundle (`vm.SourceTextModule`, before anything runs) next to the minimal handler's, and (2) the time
 * each bundled module's top-level code takes to run, by package and by module: the bundle is built again
 * unminified, and a timestamp is taken at each module boundary esbuild marks (`// <path>` comments).
 * A module wrapped for lazy initialisation (CommonJS, or reached by `require`) is counted where it is
 * first required. Uses ./cdk.out when synthesized (npm run synth), else synthesizes into a temporary dir.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleOptions } from '../../infra/constructs/function-bundle.ts';
import {
  DEFAULT_CLOUD_ASSEMBLY,
  readSynthesizedStack,
  synthesizeStack,
} from '../../local/runner/synthesized-stack.ts';
import { TemplateValues } from '../../local/runner/template-values.ts';
import { environmentFor } from './lambda.ts';

const [handlerName, roundsArg] = process.argv.slice(2);
if (handlerName === undefined) throw new Error('usage: import-profile.ts <handler> [rounds]');
const ROUNDS = Number(roundsArg ?? 7);
const SCOPE = { region: 'cn-north-1', account: '000000000000' } as const;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const packageOf = (path: string): string =>
  /node_modules\/((@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');

const COMPILE = [
  "import vm from 'node:vm'; import { readFileSync } from 'node:fs';",
  "const source = readFileSync(process.argv[1], 'utf8'); const cpu = process.cpuUsage();",
  'new vm.SourceTextModule(source); const { user, system } = process.cpuUsage(cpu);',
  'process.stdout.write(String((user + system) / 1000));',
].join(' ');

const compileCpuMs = (bundlePath: string): number =>
  Number(
    execFileSync(
      process.execPath,
      ['--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', COMPILE, bundlePath],
      { encoding: 'utf8' },
    ),
  );

/** The unminified bundle with a timestamp before each module's code; returns the instrumented file. */
async function instrumentedBundle(entry: string, dir: string): Promise<string> {
  await esbuild.build({ ...bundleOptions(entry, dir), minify: false, sourcemap: false, metafile: true });
  const marked = readFileSync(join(dir, 'index.mjs'), 'utf8')
    .split('\n')
    .map((line) => {
      const module = /^\/\/ ((?:node_modules|shared|functions|scripts)\/\S+)$/.exec(line)?.[1];
      return module === undefined ? line : `globalThis.__keybillMark(${JSON.stringify(module)});${line}`;
    });
  const firstCode = marked.findIndex((line) => !line.startsWith('import'));
  marked.splice(
    firstCode,
    0,
    'globalThis.__keybillMarks=[];globalThis.__keybillMark=(m)=>globalThis.__keybillMarks.push([m,performance.now()]);',
  );
  marked.push('globalThis.__keybillMark("(end)");');
  const file = join(dir, 'instrumented.mjs');
  writeFileSync(file, marked.join('\n'));
  return file;
}

const RUN = 'await import(process.argv[1]); process.stdout.write(JSON.stringify(globalThis.__keybillMarks));';

const dir = mkdtempSync(join(tmpdir(), 'keybill-import-profile-'));
try {
  const assembly = existsSync(join(DEFAULT_CLOUD_ASSEMBLY, 'manifest.json'))
    ? DEFAULT_CLOUD_ASSEMBLY
    : join(dir, 'cdk.out');
  const stack =
    assembly === DEFAULT_CLOUD_ASSEMBLY ? readSynthesizedStack(assembly) : synthesizeStack(assembly);
  const fn = stack.functions.find((f) => f.handlerName === handlerName);
  if (fn === undefined) throw new Error(`no function ${handlerName} in ${assembly}`);
  const env = environmentFor(fn, new TemplateValues(stack.template, SCOPE));
  const minimal = join(dir, 'minimal');
  await esbuild.build(bundleOptions(join(ROOT, 'scripts/bench/minimal-handler.ts'), minimal));

  const compile = { fn: [] as number[], minimal: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    compile.fn.push(compileCpuMs(fn.bundlePath));
    compile.minimal.push(compileCpuMs(join(minimal, 'index.mjs')));
  }
  console.log(`${handlerName}: ${readFileSync(fn.bundlePath).length} bytes`);
  console.log(
    `  compile (CPU ms): ${median(compile.fn).toFixed(1)}; the minimal handler's: ${median(compile.minimal).toFixed(1)}`,
  );

  const instrumented = await instrumentedBundle(
    join(ROOT, `functions/${handlerName}/handler.ts`),
    join(dir, 'fn'),
  );
  const byModule = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    const marks = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', RUN, pathToFileURL(instrumented).href], {
        env,
        encoding: 'utf8',
      }),
    ) as [string, number][];
    for (let i = 0; i < marks.length - 1; i++) {
      const [module, at] = marks[i]!;
      const samples = byModule.get(module) ?? byModule.set(module, []).get(module)!;
      samples.push(marks[i + 1]![1] - at);
    }
  }
  const modules = [...byModule].map(([module, samples]) => [module, median(samples)] as const);
  const byPackage = new Map<string, number>();
  for (const [module, ms] of modules)
    byPackage.set(packageOf(module), (byPackage.get(packageOf(module)) ?? 0) + ms);
  const total = modules.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`  top-level code (wall ms, unminified): ${total.toFixed(1)}`);
  for (const [name, ms] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`    ${ms.toFixed(2).padStart(7)}  ${name}`);
  }
  console.log('  by module:');
  for (const [name, ms] of modules.sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`    ${ms.toFixed(2).padStart(7)}  ${name}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
