import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

/*
 * How a function's handler becomes the `index.mjs` Lambda runs: one esbuild build per function, the same
 * for `cdk synth`, the bundle tests and `npm run bench -- lambda`. It runs the esbuild API (not the CLI
 * NodejsFunction drives) for one reason: a plugin, `leanDependencies`, that keeps out of every bundle code
 * its dependencies load eagerly but this product never runs. The metafile of each build is written next to
 * the bundle (`index.meta.json`), so what a bundle holds can be read package by package.
 *
 * Plain erasable TypeScript: CDK's bundling is synchronous, so the build runs in a child Node process that
 * executes this file directly (Node 24 strips the types).
 */

/** The file names Lambda loads and the metafile beside them. */
export const BUNDLE_FILE = 'index.mjs';
export const METAFILE = 'index.meta.json';

/**
 * ESM bundles cannot `require`, but some CommonJS dependencies (the X-Ray SDK under the Powertools tracer)
 * still call it; esbuild's shim falls back to a global `require`, which this banner provides.
 */
const ESM_REQUIRE_BANNER =
  "import{createRequire as __keybillCreateRequire}from'node:module';const require=__keybillCreateRequire(import.meta.url);";

/** The product's own shared code: pure modules, nothing in it runs for its side effects when imported. */
const SHARED_DIR = fileURLToPath(new URL('../../shared/', import.meta.url));

/**
 * The product's modules under `shared/` declared free of side effects, so a barrel (`#ingest/index.ts`)
 * brings into a bundle only what the handler reaches through it. Without this, a module's top-level
 * constant or its import of a CommonJS package keeps it, and all it imports, in every bundle that
 * imports the barrel (bill-chunk carried the GB18030 decoder of ingest-drop).
 */
const sharedWithoutSideEffects: esbuild.Plugin = {
  name: 'keybill-shared-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.kind === 'entry-point') return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(SHARED_DIR)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/** The credential providers of the SDK's default chain that a Lambda function never reaches. */
const CREDENTIAL_PROVIDERS_NOT_BUNDLED = /^@aws-sdk\/credential-provider-(sso|ini|process|web-identity)$/;

const inPackage = (name: string, dir: string): boolean => dir.split(/[\\/]/).includes(name);

/** A stand-in module: its source, how esbuild reads it and where its own imports resolve from. */
type StandIn = { contents: string; loader: esbuild.Loader; resolveDir?: string };

/** zod's JSON Schema modules, as zod's own modules import them (relative to its `core` folder). */
const ZOD_JSON_SCHEMA_MODULES = [
  './to-json-schema.js',
  './json-schema-processors.js',
  './json-schema-generator.js',
];

/**
 * A stand-in with every export of the real module (read by importing it here), each failing when called,
 * or for `factories`, returning a function that fails when called; the `keep` exports come from the real
 * module (by its absolute path, which no stand-in matches).
 */
async function failingExports(
  realFile: string,
  message: string,
  { keep = [], factories = [] }: { keep?: string[]; factories?: string[] } = {},
): Promise<StandIn> {
  const names = Object.keys(await import(pathToFileURL(realFile).href)).filter((n) => !keep.includes(n));
  return {
    contents: [
      `const notBundled = () => { throw new Error(${JSON.stringify(message)}); };`,
      ...names.map(
        (name) => `export const ${name} = ${factories.includes(name) ? '() => notBundled' : 'notBundled'};`,
      ),
      ...(keep.length === 0 ? [] : [`export { ${keep.join(', ')} } from ${JSON.stringify(realFile)};`]),
    ].join('\n'),
    loader: 'js',
    resolveDir: dirname(realFile),
  };
}

/**
 * Dependencies' code that is loaded eagerly, or bundled for a branch that never runs in Lambda, each
 * replaced by a stand-in at bundling. A stand-in fails loudly if it is ever reached, except where the
 * dependency is itself written to do without the module (handlebars' source maps).
 */
export const LEAN: ReadonlyArray<{
  why: string;
  /** The import as written, and the folder of the file that writes it. */
  matches: (path: string, importerDir: string) => boolean;
  standIn: (path: string, importerDir: string) => StandIn | Promise<StandIn>;
}> = [
  {
    why:
      "zod's ~50 message locales (260 KB): its `z` namespace keeps every export alive under esbuild, and the " +
      "product's messages are zod's default English, which stays",
    matches: (path, dir) => path === '../locales/index.js' && inPackage('zod', dir),
    standIn: (_path, dir) => ({
      contents: "export { default as en } from '../locales/en.js';",
      loader: 'js',
      resolveDir: dir,
    }),
  },
  {
    why:
      "zod's ahead-of-time compiler `z.compile` and its JSON Schema importer `z.fromJSONSchema` (42 KB), " +
      'which the product never calls (its schemas run on the parser)',
    matches: (path, dir) =>
      (path === './compile.js' || path === './from-json-schema.js') && inPackage('zod', dir),
    standIn: (path) => ({
      contents: path.includes('compile')
        ? [
            "const notBundled = () => { throw new Error('z.compile is not bundled'); };",
            "export const INVALID = Symbol.for('zod.compile.invalid');",
            'export class ZodCompileAsyncError extends Error {}',
            'export class ZodCompileUnsupportedError extends Error {}',
            'export const compile = notBundled, withParser = notBundled, compileFn = notBundled;',
          ].join('\n')
        : "export const fromJSONSchema = () => { throw new Error('z.fromJSONSchema is not bundled'); };",
      loader: 'js',
    }),
  },
  {
    why:
      "zod's JSON Schema generator behind `z.toJSONSchema` and every schema's `.toJSONSchema()` (21 KB), which " +
      'only the CLI calls (`npm run schemas`); the check summary a schema exposes (`.minLength`, `.format`…) stays',
    matches: (path, dir) =>
      ZOD_JSON_SCHEMA_MODULES.includes(path.replace(/^\.\.\/core\//, './')) && inPackage('zod', dir),
    standIn: (path, dir) =>
      failingExports(join(dir, path), 'zod JSON Schema generation is not bundled', {
        keep: path.endsWith('json-schema-processors.js') ? ['aggregateChecks'] : [],
        // Every schema makes its `toJSONSchema` methods when built (the Standard Schema interface the
        // Powertools parser reads): making one works, calling it fails.
        factories: ['createToJSONSchemaMethod', 'createStandardJSONSchemaMethod'],
      }),
  },
  {
    why:
      'the SSO, profile, process and web-identity credential providers and the STS and SSO clients they ' +
      'carry (90 KB): Lambda puts the role credentials in the environment, which the chain reads first',
    matches: (path) => CREDENTIAL_PROVIDERS_NOT_BUNDLED.test(path),
    standIn: (path) => ({
      contents: [
        "import { CredentialsProviderError } from '@smithy/core/config';",
        `const message = ${JSON.stringify(`${path} is not bundled: Lambda gives credentials in the environment`)};`,
        'const notBundled = () => () => async () => {',
        '  throw new CredentialsProviderError(message, { tryNextLink: true });',
        '};',
        'export const fromSSO = notBundled(), fromIni = notBundled(), fromProcess = notBundled();',
        'export const fromTokenFile = notBundled(), fromWebToken = notBundled();',
      ].join('\n'),
      loader: 'js',
      resolveDir: SHARED_DIR,
    }),
  },
  {
    why:
      "Smithy's event-stream codec and serde (15 KB): S3's client makes its event-stream marshaller when it " +
      'is constructed, but only operations such as SelectObjectContent stream events, and no function calls one',
    matches: (path) => path === '@smithy/core/event-streams',
    standIn: (path, dir) => {
      const require = createRequire(join(dir, 'index.js'));
      // Its export names from the CommonJS build (Node cannot load the ES build's extensionless imports).
      const names = Object.keys(require(path) as object);
      const resolver = join(
        dirname(require.resolve('@smithy/core/package.json')),
        'dist-es/submodules/event-streams/eventstream-serde-config-resolver/EventStreamSerdeConfig.js',
      );
      const factories = ['eventStreamSerdeProvider', 'universalEventStreamSerdeProvider'];
      return {
        contents: [
          // A function, not an arrow: `new EventStreamSerde(…)` fails with this message too.
          "function notBundled() { throw new Error('event streams are not bundled: no function calls an event-stream operation'); }",
          // The marshaller a client makes when constructed: made, it fails only when used.
          'const marshaller = () => ({ serialize: notBundled, deserialize: notBundled });',
          ...names
            .filter((name) => name !== 'resolveEventStreamSerdeConfig')
            .map(
              (name) => `export const ${name} = ${factories.includes(name) ? 'marshaller' : 'notBundled'};`,
            ),
          // The one-line resolver the client runs when made, from its own module.
          `export { resolveEventStreamSerdeConfig } from ${JSON.stringify(resolver)};`,
        ].join('\n'),
        loader: 'js',
        resolveDir: dirname(resolver),
      };
    },
  },
  {
    why:
      "the AWS clients' and the X-Ray SDK's whole package.json (13 KB in the operator), of which their code " +
      'reads the name and version (user agent, trace metadata)',
    matches: (path, dir) =>
      path.endsWith('/package.json') &&
      (inPackage('aws-xray-sdk-core', dir) || /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]/.test(dir)),
    standIn: (path, dir) => {
      const { name, version } = JSON.parse(readFileSync(join(dir, path), 'utf-8')) as Record<string, unknown>;
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    },
  },
  {
    why:
      'semver under the X-Ray SDK (29 KB): only its patcher of the v2 AWS SDK compares versions; the clients ' +
      'here are v3, traced by captureAWSv3Client',
    matches: (path, dir) => path === 'semver' && inPackage('aws-xray-sdk-core', dir),
    standIn: () => ({
      contents:
        "module.exports = { gte() { throw new Error('semver is not bundled: the v2 SDK is not used'); } };",
      loader: 'js',
    }),
  },
  {
    why:
      "the source-map library under handlebars' compiler (27 KB): handlebars makes no source map unless " +
      'asked and has its own fallback when the library is absent',
    matches: (path, dir) => path === 'source-map' && inPackage('handlebars', dir),
    standIn: () => ({ contents: 'module.exports = {};', loader: 'js' }),
  },
];

const leanDependencies: esbuild.Plugin = {
  name: 'keybill-lean-dependencies',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const index = LEAN.findIndex((lean) => lean.matches(args.path, args.resolveDir));
      if (index < 0) return undefined;
      // esbuild takes one module per namespace and path: the same import written in two packages (each
      // client's `../package.json`) must stay two stand-ins, so the path names the importer's folder too.
      return {
        path: join(args.resolveDir, args.path),
        namespace: 'keybill-lean',
        pluginData: { index, dir: args.resolveDir, path: args.path },
      };
    });
    build.onLoad({ filter: /.*/, namespace: 'keybill-lean' }, (args) => {
      const { index, dir, path } = args.pluginData as { index: number; dir: string; path: string };
      return LEAN[index]!.standIn(path, dir);
    });
  },
};

/** An AWS client's generated schemas: one module holding every operation's and shape's. */
const CLIENT_SCHEMAS_MODULE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/**
 * An AWS client's schemas module with each `{ [_hC]: "-" }` key written as the string it names. The
 * module names every string once (`const _hC = "...";`) and keys its traits with those names; esbuild
 * cannot prove a computed key free of side effects (a key is converted to a string, which may call
 * code), so it kept every schema of every operation: 69 KB of S3's in each function that reads a drop,
 * where it needs a dozen. With plain keys, what no command reaches is left out. Returns undefined (the
 * module as it is, correct but whole) when a key names anything but such a constant, or when a name could
 * be bound twice, so that a rewrite never changes what a key is.
 */
export function withLiteralSchemaKeys(source: string): string | undefined {
  const strings = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
    if (strings.has(name!)) return undefined;
    strings.set(name!, literal!);
  }
  // Generated code binds these names nowhere else and has no function but `() => Shape$` thunks; if it
  // ever does, a name could stand for something else where it is used, and a rewrite could change a key.
  const arrows = source.match(/=>/g)?.length ?? 0;
  const thunks = source.match(/\(\)\s*=>/g)?.length ?? 0;
  if (arrows !== thunks || /\bfunction\b/.test(source)) return undefined;
  const bindings = new Map<string, number>();
  for (const [, name] of source.matchAll(/\b(?:let|var|const|class)\s+([\w$]+)/g)) {
    bindings.set(name!, (bindings.get(name!) ?? 0) + 1);
  }
  let unknownKey = false;
  const rewritten = source.replace(/\[(_\w+)\]:/g, (key, name: string) => {
    // `{ "__proto__": x }` would set the prototype where `{ ["__proto__"]: x }` makes a property.
    const literal = bindings.get(name) === 1 ? strings.get(name) : undefined;
    if (literal === undefined || literal === '"__proto__"') unknownKey = true;
    return unknownKey ? key : `${literal}:`;
  });
  return unknownKey ? undefined : rewritten;
}

const shakeableClientSchemas: esbuild.Plugin = {
  name: 'keybill-shakeable-client-schemas',
  setup(build) {
    build.onLoad({ filter: CLIENT_SCHEMAS_MODULE }, (args) => {
      const contents = withLiteralSchemaKeys(readFileSync(args.path, 'utf8'));
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};

/** Where the product's templates are declared, and the runtime their precompiled form runs on. */
const HANDLEBARS_TEMPLATE_MODULE = join(SHARED_DIR, 'domain/handlebars-template.ts');
const HANDLEBARS_RUNTIME_MODULE = join(SHARED_DIR, 'domain/handlebars-runtime.ts');

/**
 * The product's templates precompiled: every export of a `*.hbs.ts` module (each made with
 * `handlebarsTemplate`, read by importing the module here) becomes `Handlebars.precompile`'s output, run
 * by Handlebars' runtime, so no bundle carries Handlebars' compiler (60 KB) nor compiles at run time. A
 * `*.hbs.ts` module exporting anything else fails the build.
 */
const precompiledTemplates: esbuild.Plugin = {
  name: 'keybill-precompiled-templates',
  setup(build) {
    build.onLoad({ filter: /\.hbs\.ts$/ }, async (args) => {
      const { default: Handlebars } = await import('handlebars');
      const { isHandlebarsTemplate } = (await import(
        pathToFileURL(HANDLEBARS_TEMPLATE_MODULE).href
      )) as typeof import('../../shared/domain/handlebars-template.ts');
      const templates = Object.entries(await import(pathToFileURL(args.path).href));
      const lines = [`import { precompiledTemplate } from ${JSON.stringify(HANDLEBARS_RUNTIME_MODULE)};`];
      for (const [name, template] of templates) {
        if (!isHandlebarsTemplate(template)) {
          throw new Error(`${args.path}: export ${name} is not made by handlebarsTemplate`);
        }
        const spec = Handlebars.precompile(template.source, template.options);
        lines.push(`export const ${name} = /* @__PURE__ */ precompiledTemplate(${String(spec)});`);
      }
      return { contents: lines.join('\n'), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** The esbuild options of every function bundle. */
export function bundleOptions(entry: string, outdir: string): esbuild.BuildOptions & { metafile: true } {
  return {
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    // Prefer the ESM builds of dependencies so esbuild can drop what the handler never imports.
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    // Text as UTF-8, not \uXXXX escapes: the Chinese wording and GB18030 tables take half the bytes.
    charset: 'utf8',
    // Licence comments go to index.mjs.LEGAL.txt beside the bundle instead of its end.
    legalComments: 'external',
    // Stack traces point into the TypeScript sources instead of the minified bundle: the map beside the
    // bundle is read at the first trace printed (shared/adapters/stack-traces.ts), not when it loads.
    sourcemap: true,
    sourcesContent: false,
    // The handlers are tested against the SDK version in package-lock.json, not the runtime's copy.
    external: [],
    metafile: true,
    logLevel: 'error',
    plugins: [leanDependencies, sharedWithoutSideEffects, precompiledTemplates, shakeableClientSchemas],
  };
}

/** Bundles one handler into `outdir` (index.mjs, its source map and metafile); returns the metafile. */
export async function buildBundle(entry: string, outdir: string): Promise<esbuild.Metafile> {
  const result = await esbuild.build(bundleOptions(entry, outdir));
  writeFileSync(join(outdir, METAFILE), JSON.stringify(result.metafile));
  return result.metafile;
}

/** The same build, synchronously (CDK's local bundling): a child process runs this file. */
export function buildBundleSync(entry: string, outdir: string): void {
  const child = spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', fileURLToPath(import.meta.url), entry, outdir],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) throw new Error(`bundling ${entry} failed (exit ${child.status})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry, outdir] = process.argv.slice(2);
  if (entry === undefined || outdir === undefined)
    throw new Error('usage: function-bundle.ts <entry> <outdir>');
  await buildBundle(entry, outdir);
}
