import { describe, expect, it, vi } from 'vitest';
import { installSourceMappedStackTraces, sourceMappedStackTraces } from '#adapters/stack-traces.ts';

/*
 * The bundle's frames mapped to the sources through a hand-written map, on call sites made here: the
 * generated line `function a(e){throw new Error("no")}` of /bundle/index.mjs, from lines 10–11 of
 * src/charge.ts, where `a` was `chargeAccount`.
 */

const BUNDLE_URL = 'file:///bundle/index.mjs';
const BUNDLE_TEXT = 'function a(e){throw new Error("no")}\n';

/** Base64 VLQ, the mappings' encoding. */
function vlq(value: number): string {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += digits[digit];
  } while (rest > 0);
  return out;
}

/** Generated column 0 → line 10 col 0; column 9 (`a`) → line 10 col 16, named; column 14 → line 11 col 2. */
const MAPPINGS = [
  [0, 0, 9, 0],
  [9, 0, 0, 16, 0],
  [5, 0, 1, -14],
]
  .map((segment) => segment.map(vlq).join(''))
  .join(',');

const mapOf = (overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({
    version: 3,
    sources: ['../src/charge.ts'],
    names: ['chargeAccount'],
    mappings: MAPPINGS,
    ...overrides,
  });

type Site = {
  file: string;
  line: number;
  column: number;
  functionName?: string | null;
  typeName?: string | null;
  enclosing?: [number, number];
  isAsync?: boolean;
};

function callSite({
  file,
  line,
  column,
  functionName = null,
  typeName = null,
  enclosing,
  isAsync = false,
}: Site): NodeJS.CallSite {
  const name = functionName ? `${typeName ? `${typeName}.` : ''}${functionName}` : '';
  const location = `${file}:${line}:${column}`;
  return {
    getFileName: () => file,
    getScriptNameOrSourceURL: () => file,
    getLineNumber: () => line,
    getColumnNumber: () => column,
    getEnclosingLineNumber: () => enclosing?.[0] ?? null,
    getEnclosingColumnNumber: () => enclosing?.[1] ?? null,
    getFunctionName: () => functionName,
    getMethodName: () => null,
    getTypeName: () => typeName,
    isAsync: () => isAsync,
    isConstructor: () => false,
    toString: () => `${isAsync ? 'async ' : ''}${name ? `${name} (${location})` : location}`,
  } as NodeJS.CallSite;
}

/** The throw inside `a`, called from the test's own file. */
const throwInBundle = callSite({
  file: BUNDLE_URL,
  line: 1,
  column: 15,
  functionName: 'a',
  enclosing: [1, 1],
});
const caller = callSite({ file: 'file:///app/run.mjs', line: 3, column: 7 });

const filesOf = (map: string, bundle = BUNDLE_TEXT) => {
  const readFile = vi.fn((path: string) => {
    if (path === '/bundle/index.mjs.map') return map;
    if (path === '/bundle/index.mjs') return bundle;
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  });
  return readFile;
};

const v8Format = (error: Error, trace: NodeJS.CallSite[]) =>
  [String(error), ...trace.map((site) => `    at ${site}`)].join('\n');

describe('source-mapped stack traces of a bundle', () => {
  it('prints a bundle frame at its source file, line and column, under the name the sources give it', () => {
    const { prepareStackTrace } = sourceMappedStackTraces(BUNDLE_URL, undefined, filesOf(mapOf()));
    expect(prepareStackTrace(new Error('no'), [throwInBundle, caller])).toBe(
      ['Error: no', '    at chargeAccount (/src/charge.ts:11:3)', '    at file:///app/run.mjs:3:7'].join(
        '\n',
      ),
    );
  });

  it('keeps "async" and leaves frames of other files as they are', () => {
    const asyncFrame = callSite({
      file: BUNDLE_URL,
      line: 1,
      column: 15,
      functionName: 'a',
      enclosing: [1, 1],
      isAsync: true,
    });
    const { prepareStackTrace } = sourceMappedStackTraces(BUNDLE_URL, undefined, filesOf(mapOf()));
    const stack = String(prepareStackTrace(new TypeError('bad'), [caller, asyncFrame]));
    expect(stack.split('\n')).toEqual([
      'TypeError: bad',
      '    at file:///app/run.mjs:3:7',
      '    at async chargeAccount (/src/charge.ts:11:3)',
    ]);
  });

  it("keeps the bundle's own name when the bundle's text cannot be read", () => {
    const readFile = filesOf(mapOf());
    readFile.mockImplementation((path) => {
      if (path.endsWith('.map')) return mapOf();
      throw new Error('EACCES');
    });
    const { prepareStackTrace } = sourceMappedStackTraces(BUNDLE_URL, undefined, readFile);
    expect(String(prepareStackTrace(new Error('no'), [throwInBundle])).split('\n')[1]).toBe(
      '    at a (/src/charge.ts:11:3)',
    );
  });

  it('reads nothing while no trace holds a frame of the bundle, and the map once for all traces after', () => {
    const readFile = filesOf(mapOf());
    const hook = sourceMappedStackTraces(BUNDLE_URL, undefined, readFile);
    hook.prepareStackTrace(new Error('elsewhere'), [caller]);
    expect(readFile).not.toHaveBeenCalled();
    expect(hook.state()).toBe('unread');
    hook.prepareStackTrace(new Error('one'), [throwInBundle]);
    hook.prepareStackTrace(new Error('two'), [throwInBundle]);
    expect(hook.state()).toBe('read');
    expect(readFile.mock.calls.filter(([path]) => path.endsWith('.map'))).toHaveLength(1);
  });

  it('hands the mapped call sites to the hook installed before it', () => {
    const previous = vi.fn((_error: Error, trace: NodeJS.CallSite[]) =>
      trace.map((site) => `${site.getFileName()}@${site.getLineNumber()}:${site.getColumnNumber()}`),
    );
    const { prepareStackTrace } = sourceMappedStackTraces(BUNDLE_URL, previous, filesOf(mapOf()));
    expect(prepareStackTrace(new Error('no'), [throwInBundle, caller])).toEqual([
      '/src/charge.ts@11:3',
      'file:///app/run.mjs@3:7',
    ]);
    expect(previous).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['there is no map', (path: string) => filesOf(mapOf())(path.replace('.map', '.missing'))],
    ['the map is not JSON', filesOf('{"version":3,"sources":[')],
    ['the map is JSON but not an object', filesOf('"a string"')],
    ['the map has no mappings', filesOf(JSON.stringify({ version: 3, sources: [], names: [] }))],
    ['the map has empty mappings', filesOf(mapOf({ mappings: '' }))],
    ['the mappings are garbage', filesOf(mapOf({ mappings: '!!!!,;;\u0000ÿ' }))],
    ['the mappings point at a source the map lacks', filesOf(mapOf({ sources: [] }))],
    ['the source is huge', filesOf(mapOf({ sources: [`${'a/'.repeat(500_000)}x.ts`] }))],
    ['the source forges frames', filesOf(mapOf({ sources: ['x.ts:1:1)\n    at evil (/etc/passwd'] }))],
    ['the source is not a string', filesOf(mapOf({ sources: [{ toString: 'x' }] }))],
  ])('prints the trace as V8 does when %s', (_case, readFile) => {
    const { prepareStackTrace } = sourceMappedStackTraces(BUNDLE_URL, v8Format, readFile);
    const error = new Error('no');
    expect(prepareStackTrace(error, [throwInBundle, caller])).toBe(v8Format(error, [throwInBundle, caller]));
  });

  it('prints the minified name where the map gives a hostile one, and the frame still mapped', () => {
    const hostile = mapOf({ names: ['x\n    at forged (/etc/passwd:1:1)'] });
    const { prepareStackTrace } = sourceMappedStackTraces(BUNDLE_URL, undefined, filesOf(hostile));
    expect(String(prepareStackTrace(new Error('no'), [throwInBundle])).split('\n')).toEqual([
      'Error: no',
      '    at a (/src/charge.ts:11:3)',
    ]);
  });

  it('gives up on the map after one failed read, and never throws', () => {
    const readFile = vi.fn((): string => {
      throw new Error('EIO');
    });
    const hook = sourceMappedStackTraces(BUNDLE_URL, undefined, readFile);
    const broken = { ...throwInBundle, getLineNumber: () => Number.NaN } as NodeJS.CallSite;
    expect(() => hook.prepareStackTrace(new Error('one'), [broken])).not.toThrow();
    hook.prepareStackTrace(new Error('two'), [throwInBundle]);
    expect(hook.state()).toBe('unavailable');
    expect(readFile).toHaveBeenCalledTimes(1);
  });

  it('falls back to V8 formatting when the previous hook throws', () => {
    const previous = () => {
      throw new Error('hook failed');
    };
    const { prepareStackTrace } = sourceMappedStackTraces(BUNDLE_URL, previous, filesOf(mapOf()));
    const error = new Error('no');
    expect(prepareStackTrace(error, [caller])).toBe(v8Format(error, [caller]));
  });

  it('leaves a frame whose position the map does not hold as it is', () => {
    const outside = callSite({ file: BUNDLE_URL, line: 7, column: 1, functionName: 'b' });
    const { prepareStackTrace } = sourceMappedStackTraces(BUNDLE_URL, undefined, filesOf(mapOf()));
    expect(String(prepareStackTrace(new Error('no'), [outside])).split('\n')[1]).toBe(
      `    at b (${BUNDLE_URL}:7:1)`,
    );
  });
});

describe('installing the hook', () => {
  it.each([
    'file:///work/shared/adapters/observability.ts',
    'file:///work/shared/adapters/observability.mts',
    'data:text/javascript,export{}',
    '',
  ])('does nothing in the TypeScript sources or outside a file (%s)', (moduleUrl) => {
    const before = Error.prepareStackTrace;
    installSourceMappedStackTraces(moduleUrl);
    expect(Error.prepareStackTrace).toBe(before);
  });

  it('installs itself once per bundle, each bundle chained to the hook installed before it', () => {
    const before = Error.prepareStackTrace;
    const key = Symbol.for('keybill.sourceMappedStackTraces');
    try {
      installSourceMappedStackTraces(BUNDLE_URL);
      const installed = Error.prepareStackTrace;
      installSourceMappedStackTraces(BUNDLE_URL);
      expect(installed).not.toBe(before);
      expect(Error.prepareStackTrace).toBe(installed);
      installSourceMappedStackTraces('file:///other/index.mjs');
      expect(Error.prepareStackTrace).not.toBe(installed);
    } finally {
      Error.prepareStackTrace = before;
      delete (globalThis as Record<symbol, unknown>)[key];
    }
  });
});
