import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, buildBundle } from '../../infra/constructs/function-bundle.ts';

/*
 * A function bundle prints its stack traces at the TypeScript sources with no `--enable-source-maps`, and
 * reads its source map only when a trace is printed: a bundle built as every function's is, importing
 * the observability module every handler imports, run by Node's own loader in a child process (nothing
 * here is transformed by vitest), with `fs.readFileSync` watched from a preload.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'keybill-stack-traces-'));
const entry = join(dir, 'charge.ts');
/** The entry's path as a regular expression matches it. */
const ENTRY = entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SOURCE = `import { logger } from ${JSON.stringify(join(ROOT, 'shared/adapters/observability.ts'))};

export function chargeAccount(amount: number): number {
  logger.debug('charging', { amount });
  if (amount < 0) throw new RangeError('a charge is never negative');
  return amount;
}

export async function chargeLater(amount: number): Promise<number> {
  await Promise.resolve();
  return chargeAccount(amount);
}
`;
/** Lines of SOURCE (1-based): the throw, and chargeLater's call of chargeAccount. */
const THROW_LINE = 5;
const CALL_LINE = 11;

/** Records every `.map` file read through `fs.readFileSync`, before any module of the bundle loads. */
const SPY = `const fs = require('node:fs');
const reads = (globalThis.sourceMapReads = []);
const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (String(path).endsWith('.map')) reads.push(String(path));
  return readFileSync.call(this, path, ...rest);
};
`;

const RUNNER = `const bundle = await import(process.argv[2]);
const report = { readsAtLoad: globalThis.sourceMapReads.length };
try {
  await bundle[process.argv[3]](-1);
} catch (error) {
  report.readsBeforeStack = globalThis.sourceMapReads.length;
  report.stack = error.stack;
  report.readsAfterStack = globalThis.sourceMapReads.length;
  error.stack;
  new Error('again').stack;
  report.readsAfterMoreStacks = globalThis.sourceMapReads.length;
}
console.log(JSON.stringify(report));
`;

type Report = {
  readsAtLoad: number;
  readsBeforeStack: number;
  stack: string;
  readsAfterStack: number;
  readsAfterMoreStacks: number;
};

function run(exportName: string): Report {
  const out = execFileSync(
    process.execPath,
    [
      '--require',
      join(dir, 'spy.cjs'),
      join(dir, 'runner.mjs'),
      pathToFileURL(join(dir, 'out', BUNDLE_FILE)).href,
      exportName,
    ],
    // Whatever the test process runs with (vitest may set NODE_OPTIONS), the child runs as Lambda does.
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
  return JSON.parse(out) as Report;
}

beforeAll(async () => {
  writeFileSync(entry, SOURCE);
  writeFileSync(join(dir, 'spy.cjs'), SPY);
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  await buildBundle(entry, join(dir, 'out'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stack traces of a function bundle', () => {
  it('name the TypeScript source, line and function of the throw', () => {
    const { stack } = run('chargeAccount');
    const lines = stack.split('\n');
    expect(lines[0]).toBe('RangeError: a charge is never negative');
    expect(lines[1]).toMatch(new RegExp(`^    at chargeAccount \\(${ENTRY}:${THROW_LINE}:\\d+\\)$`));
  });

  it('name every frame of the bundle, async ones included, and leave the caller outside it as it is', () => {
    const lines = run('chargeLater').stack.split('\n');
    expect(lines.slice(1, 3)).toEqual([
      expect.stringMatching(new RegExp(`^    at chargeAccount \\(${ENTRY}:${THROW_LINE}:\\d+\\)$`)),
      expect.stringMatching(new RegExp(`^    at chargeLater \\(${ENTRY}:${CALL_LINE}:\\d+\\)$`)),
    ]);
    expect(lines[3]).toMatch(/^ {4}at async file:\/\/.*runner\.mjs:\d+:\d+$/);
    expect(lines.join('\n')).not.toContain('index.mjs');
  });

  it('read the source map only when the first trace is printed, and only once', () => {
    const report = run('chargeAccount');
    expect(report.readsAtLoad).toBe(0);
    expect(report.readsBeforeStack).toBe(0);
    expect(report.readsAfterStack).toBe(1);
    expect(report.readsAfterMoreStacks).toBe(1);
  });
});
