import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload, type SourceMapping, type SourceOrigin } from 'node:module';
import { fileURLToPath } from 'node:url';

/*
 * Stack traces of a function bundle that name the TypeScript sources, paid for only when one is printed.
 * Node's `--enable-source-maps` reads and parses the bundle's 1.3–1.7 MB source map and scans the whole
 * bundle when it loads it, 13–21 ms of CPU on every cold start, whether or not an error ever happens.
 * This hook reads `index.mjs.map` beside the bundle the first time a stack trace holding one of the
 * bundle's frames is formatted, with Node's own `SourceMap`, and rewrites those frames only; every other
 * frame, and every trace when the map is missing or unreadable, stays as the previous hook formats it.
 */

type PrepareStackTrace = (error: Error, trace: NodeJS.CallSite[]) => unknown;

/** A source named by the map longer than this, or holding a control character, is not printed. */
const MAX_SOURCE_LENGTH = 1024;
const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029]/u;

/** V8's formatting, for when no hook came before this one. */
const v8Default: PrepareStackTrace = (error, trace) =>
  [safeErrorString(error), ...trace.map((site) => `    at ${site}`)].join('\n');

function safeErrorString(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

/** The map as Node's `SourceMap` takes it, or nothing when the text is not one. */
function parsedMap(text: string): SourceMap | undefined {
  const payload: unknown = JSON.parse(text);
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { sources, mappings } = payload as Partial<SourceMapPayload>;
  if (!Array.isArray(sources) || typeof mappings !== 'string' || mappings === '') return undefined;
  return new SourceMap(payload as SourceMapPayload);
}

/** Where the map puts a position, if it names a printable source and a real line and column. */
function originOf(map: SourceMap, line: number | null, column: number | null): SourceOrigin | undefined {
  if (line === null || column === null || line < 1 || column < 1) return undefined;
  const origin = map.findOrigin(line, column) as Partial<SourceOrigin>;
  const { fileName, lineNumber, columnNumber } = origin;
  if (typeof fileName !== 'string' || fileName === '' || fileName.length > MAX_SOURCE_LENGTH)
    return undefined;
  if (CONTROL_CHARACTER.test(fileName)) return undefined;
  if (!Number.isSafeInteger(lineNumber) || !Number.isSafeInteger(columnNumber)) return undefined;
  if ((lineNumber as number) < 1 || (columnNumber as number) < 1) return undefined;
  return origin as SourceOrigin;
}

const printableName = (name: unknown): string | undefined =>
  typeof name === 'string' && name !== '' && name.length <= MAX_SOURCE_LENGTH && !CONTROL_CHARACTER.test(name)
    ? name
    : undefined;

/** A source as the map names it, resolved against the map's own location as Node resolves it. */
function sourcePath(source: string, mapUrl: string): string {
  const url = new URL(source, mapUrl);
  return url.protocol === 'file:' ? fileURLToPath(url) : url.href;
}

/** Where, around a function's start in the minified bundle, its own name can stand. */
const NAME_OFFSETS = [
  (start: number) => start + 'function '.length, // function Ku(  function*Ku(
  (start: number) => start + 'async function '.length, // async function Ku(  async function*Ku(
  (start: number, name: string) => start - name.length - 1, // Ku=(e)=>  Ku=function(
  (start: number, name: string) => start - name.length - 'async '.length - 1, // Ku=async e=>
];

/**
 * The name the sources give the function a frame runs in: the map names the bundle's (minified) name
 * where it is declared, which is next to where V8 says the function starts, found by its text.
 */
function declaredName(
  site: NodeJS.CallSite,
  map: SourceMap,
  bundleLines: readonly string[] | undefined,
): string | undefined {
  const minified = site.getFunctionName();
  const line = site.getEnclosingLineNumber();
  const start = site.getEnclosingColumnNumber();
  if (!minified || line === null || start === null) return undefined;
  const text = bundleLines?.[line - 1];
  if (text === undefined) return undefined;
  for (const offset of NAME_OFFSETS) {
    const column = offset(start - 1, minified);
    if (column < 0 || !text.startsWith(minified, column)) continue;
    const entry = map.findEntry(line - 1, column) as Partial<SourceMapping> & { name?: unknown };
    if (entry.generatedColumn === column) return printableName(entry.name);
  }
  return undefined;
}

/**
 * A bundle frame as it stands in the sources: V8's `at name (file:line:column)`. The name is the one the
 * map gives the function where it is declared (the bundle's are minified), else the name its caller in
 * the bundle wrote, else the bundle's own.
 */
function mappedCallSite(
  site: NodeJS.CallSite,
  caller: NodeJS.CallSite | undefined,
  map: SourceMap,
  mapUrl: string,
  bundleLines: readonly string[] | undefined,
): NodeJS.CallSite | undefined {
  const origin = originOf(map, site.getLineNumber(), site.getColumnNumber());
  if (origin === undefined) return undefined;
  const file = sourcePath(origin.fileName, mapUrl);
  if (file.length > MAX_SOURCE_LENGTH || CONTROL_CHARACTER.test(file)) return undefined;
  const enclosingName = declaredName(site, map, bundleLines);
  const callerName =
    caller?.getFileName() === site.getFileName()
      ? printableName(
          (
            map.findOrigin(
              caller?.getLineNumber() ?? 0,
              caller?.getColumnNumber() ?? 0,
            ) as Partial<SourceOrigin>
          ).name,
        )
      : undefined;
  const typeName = site.getTypeName();
  const ownName = site.getFunctionName() ?? site.getMethodName();
  const qualified = ownName ? `${typeName && typeName !== 'global' ? `${typeName}.` : ''}${ownName}` : '';
  const name = enclosingName ?? callerName ?? qualified;
  const prefix = `${site.isAsync() ? 'async ' : ''}${site.isConstructor() ? 'new ' : ''}`;
  const location = `${file}:${origin.lineNumber}:${origin.columnNumber}`;
  const text = name === '' ? `${prefix}${location}` : `${prefix}${name} (${location})`;
  // The call site as the sources have it, for whatever hook formats the trace after this one. V8's call
  // site methods accept only a call site as `this`, so the others are called on the original.
  const overrides: Partial<Record<string | symbol, () => unknown>> = {
    getFileName: () => file,
    getScriptNameOrSourceURL: () => file,
    getLineNumber: () => origin.lineNumber,
    getColumnNumber: () => origin.columnNumber,
    getFunctionName: () => name || null,
    toString: () => text,
  };
  return new Proxy(site, {
    get(target, property) {
      const override = overrides[property];
      if (override !== undefined) return override;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** How far the map of one bundle has got: never asked for, read, or not to be had. */
export type SourceMapState = 'unread' | 'read' | 'unavailable';

/**
 * A `prepareStackTrace` that maps the frames of the bundle at `bundleUrl` through the map beside it
 * (`<bundle>.map`), read by `readFile` with the bundle's own text (where its functions' names stand) the
 * first time a trace holds one of its frames, and hands the trace to `previous` (V8's formatting when
 * there is none). It never throws: whatever fails leaves the frame, or the trace, as `previous` prints it.
 */
export function sourceMappedStackTraces(
  bundleUrl: string,
  previous: PrepareStackTrace | undefined,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): { prepareStackTrace: PrepareStackTrace; state: () => SourceMapState } {
  const mapUrl = `${bundleUrl}.map`;
  let state: SourceMapState = 'unread';
  let map: SourceMap | undefined;
  let bundleLines: string[] | undefined;

  const loadedMap = (): SourceMap | undefined => {
    if (state === 'unread') {
      try {
        map = parsedMap(readFile(fileURLToPath(mapUrl)));
      } catch {
        map = undefined;
      }
      try {
        // Without the text, frames are still mapped; only the minified names stay.
        if (map !== undefined) bundleLines = readFile(fileURLToPath(bundleUrl)).split('\n');
      } catch {
        bundleLines = undefined;
      }
      state = map === undefined ? 'unavailable' : 'read';
    }
    return map;
  };

  const prepareStackTrace: PrepareStackTrace = (error, trace) => {
    let mapped = trace;
    try {
      if (state !== 'unavailable' && trace.some((site) => site.getFileName() === bundleUrl)) {
        const sourceMap = loadedMap();
        if (sourceMap !== undefined) {
          mapped = trace.map((site, i) => {
            if (site.getFileName() !== bundleUrl) return site;
            try {
              return mappedCallSite(site, trace[i + 1], sourceMap, mapUrl, bundleLines) ?? site;
            } catch {
              return site;
            }
          });
        }
      }
    } catch {
      mapped = trace;
    }
    try {
      return (previous ?? v8Default)(error, mapped);
    } catch {
      try {
        return v8Default(error, trace);
      } catch {
        return safeErrorString(error);
      }
    }
  };

  return { prepareStackTrace, state: () => state };
}

/**
 * Installs the hook for the bundle this module runs in, `moduleUrl` being its `import.meta.url`: once per
 * bundle, and not at all in the TypeScript sources (run by tsx or vitest, which map them themselves).
 */
export function installSourceMappedStackTraces(moduleUrl: string): void {
  try {
    if (!moduleUrl.startsWith('file:') || /\.[cm]?tsx?$/.test(moduleUrl)) return;
    // One hook per bundle: a process that loads several (the bundle tests) chains one to the next, each
    // mapping its own frames.
    const key = Symbol.for('keybill.sourceMappedStackTraces');
    const registry = globalThis as { [key]?: Set<string> };
    registry[key] ??= new Set();
    const installed = registry[key];
    if (installed.has(moduleUrl)) return;
    installed.add(moduleUrl);
    Error.prepareStackTrace = sourceMappedStackTraces(moduleUrl, Error.prepareStackTrace).prepareStackTrace;
  } catch {
    // Stack traces as V8 prints them, then.
  }
}
