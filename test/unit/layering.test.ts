import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layering the README's "Where things live" map promises, checked on every import of the product's
 * code: the domain and the pure formats (ingest, notify) import no AWS and nothing of the outside layers;
 * services reach the outside only through their ports; adapters implement ports and never call services;
 * handlers get their dependencies from the wiring instead of building them.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const AWS_PACKAGES =
  /^(@aws-sdk\/|@aws-lambda-powertools\/|@smithy\/|@middy\/|aws-lambda$|aws-cdk-lib|constructs$)/;

interface Rule {
  /** The files it applies to (repository-relative path prefix). */
  files: string;
  /** What they may not import: a repository-relative path prefix, or a package pattern. */
  forbidden: (target: string) => string | undefined;
}

const pathUnder =
  (...prefixes: string[]) =>
  (target: string) =>
    prefixes.find((p) => target.startsWith(p)) === undefined ? undefined : `imports ${target}`;
const awsPackage = (target: string) =>
  AWS_PACKAGES.test(target) ? `imports the AWS package ${target}` : undefined;
const either =
  (...checks: ((t: string) => string | undefined)[]) =>
  (target: string) =>
    checks.map((c) => c(target)).find((v) => v !== undefined);

const RULES: Rule[] = [
  {
    files: 'shared/domain/',
    forbidden: either(
      awsPackage,
      pathUnder('shared/ingest/', 'shared/notify/', 'shared/services/', 'shared/adapters/', 'shared/wiring/'),
    ),
  },
  {
    files: 'shared/ingest/',
    forbidden: either(
      awsPackage,
      pathUnder('shared/notify/', 'shared/services/', 'shared/adapters/', 'shared/wiring/'),
    ),
  },
  {
    files: 'shared/notify/',
    forbidden: either(
      awsPackage,
      pathUnder('shared/ingest/', 'shared/services/', 'shared/adapters/', 'shared/wiring/'),
    ),
  },
  {
    files: 'shared/services/',
    forbidden: either(awsPackage, pathUnder('shared/adapters/', 'shared/wiring/')),
  },
  {
    files: 'shared/adapters/',
    // Adapters implement the services' ports; they never call a service.
    forbidden: (target) =>
      target.startsWith('shared/services/') && !target.startsWith('shared/services/ports/')
        ? `imports ${target} (adapters may import only the services' ports)`
        : pathUnder('shared/wiring/')(target),
  },
  {
    files: 'functions/',
    // A handler takes its dependencies from the wiring; only the logger, metrics and tracer come direct.
    forbidden: (target) =>
      target.startsWith('shared/adapters/') && target !== 'shared/adapters/observability.ts'
        ? `imports ${target} (handlers get their dependencies from shared/wiring)`
        : undefined,
  },
  {
    files: 'infra/',
    forbidden: pathUnder('shared/services/', 'shared/adapters/', 'shared/wiring/', 'functions/'),
  },
];

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of one source file, relative paths resolved against the repository root. */
function importsOf(file: string, source: string): string[] {
  const targets: string[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2]!;
    // Subpath imports map as package.json maps them: `#domain/x.ts` is `shared/domain/x.ts`.
    if (spec.startsWith('#')) targets.push(`shared/${spec.slice(1)}`);
    else if (spec.startsWith('.')) targets.push(normalize(join(dirname(file), spec)).replaceAll('\\', '/'));
    else targets.push(spec);
  }
  return targets;
}

function violations(file: string, source: string): string[] {
  const rules = RULES.filter((r) => file.startsWith(r.files));
  return importsOf(file, source).flatMap((target) =>
    rules.map((r) => r.forbidden(target)).flatMap((v) => (v === undefined ? [] : [`${file}: ${v}`])),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).replaceAll('\\', '/'));
}

describe('layering', () => {
  const files = ['shared', 'functions', 'infra'].flatMap(sourceFiles);

  it('finds the product code it checks', () => {
    expect(files.filter((f) => f.startsWith('shared/domain/')).length).toBeGreaterThan(20);
    expect(files.filter((f) => f.startsWith('functions/')).length).toBeGreaterThanOrEqual(9);
  });

  it('holds for every import of the product code', () => {
    const found = files.flatMap((file) => violations(file, readFileSync(join(ROOT, file), 'utf-8')));
    expect(found).toEqual([]);
  });

  it.each([
    ['shared/domain/billing/x.ts', "import { documentClient } from '../../adapters/clients.ts';"],
    ['shared/domain/x.ts', "import { SESv2Client } from '@aws-sdk/client-sesv2';"],
    ['shared/services/x.ts', "import type { DynamoTable } from '../adapters/dynamodb/table.ts';"],
    ['shared/services/x.ts', "const { tableStores } = await import('../wiring/index.ts');"],
    ['shared/adapters/x.ts', "export { settlePayments } from '../services/arrears.ts';"],
    ['shared/notify/x.ts', "import { readDrop } from '../ingest/index.ts';"],
    ['functions/x/handler.ts', "import { dynamoStores } from '../../shared/adapters/dynamodb/index.ts';"],
    ['functions/x/handler.ts', "import { awsMessageProviders } from '#adapters/providers.ts';"],
    ['shared/domain/x.ts', "import { tableStores } from '#wiring/index.ts';"],
    ['shared/services/x.ts', "import { s3DropObjectStore } from '#adapters/drop-objects.ts';"],
  ])('fails when %s breaks it: %s', (file, source) => {
    expect(violations(file, source)).toHaveLength(1);
  });

  it.each([
    ['shared/adapters/x.ts', "import type { BillStore } from '../services/ports/index.ts';"],
    ['shared/services/x.ts', "import { computeBill } from '../domain/billing/index.ts';"],
    ['functions/x/handler.ts', "import { logger } from '../../shared/adapters/observability.ts';"],
    ['functions/x/handler.ts', "import { logger } from '#adapters/observability.ts';"],
    ['functions/x/handler.ts', "import { operatorDeps } from '#wiring/index.ts';"],
    ['shared/adapters/x.ts', "import type { Stores } from '#services/ports/index.ts';"],
  ])('allows %s: %s', (file, source) => {
    expect(violations(file, source)).toEqual([]);
  });
});
