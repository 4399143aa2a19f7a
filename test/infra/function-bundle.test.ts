import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DEFAULT_KEY_ACCOUNT_CONFIG } from '#domain/key-accounts/config.ts';
import { rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import { renderKeyAccountHtml } from '#domain/key-accounts/report-html.ts';
import { buildRunReport } from '#domain/run-report/model.ts';
import { renderRunReportHtml } from '#domain/run-report/render.ts';
import { renderBillPreviewEmail } from '#notify/index.ts';
import { bundleOptions, withLiteralSchemaKeys } from '../../infra/constructs/function-bundle.ts';
import { account, history } from '../unit/domain/key-accounts/fixtures.ts';
import { SAMPLE_HISTORY, sampleAccount, sampleBill } from '../unit/notify/fixtures.ts';

/*
 * What the function bundles leave out (infra/constructs/function-bundle.ts) changes nothing they run. They
 * run the product's Handlebars templates precompiled (the `*.hbs.ts` modules) where the sources and every
 * other test compile them at first use: the two must print the same bytes. Their zod has no JSON Schema
 * generator: schemas parse as before, and only asking for a JSON Schema fails, saying so. Their AWS clients
 * have no event-stream codec and only the name and version of their package.json: S3 reads an object and
 * names its version as before, and only an event-stream operation fails, saying so.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const HOSTILE = '<script>alert("x")</script>{{r.key}} & "有限公司"';

type Renderers = {
  renderBillPreviewEmail: typeof renderBillPreviewEmail;
  renderRunReportHtml: typeof renderRunReportHtml;
  renderKeyAccountHtml: typeof renderKeyAccountHtml;
};

const dir = mkdtempSync(join(tmpdir(), 'keybill-templates-'));
let bundled: Renderers;
let bundledInputs: string[];
let s3Source: string;
let s3Bundle: {
  selectObjectContent: () => Promise<unknown>;
  getObjectText: (key?: string) => Promise<string>;
  userAgents: () => Promise<string[][]>;
};
let zodBundle: {
  name: z.ZodString;
  schema: z.ZodObject<{ name: z.ZodString }>;
  toJSONSchema: () => unknown;
};

async function bundle(
  source: string,
  name: string,
  logLevel: esbuild.LogLevel = 'error',
): Promise<esbuild.BuildResult & { metafile: esbuild.Metafile }> {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, source);
  return esbuild.build({ ...bundleOptions(entry, join(dir, name)), logLevel });
}

beforeAll(async () => {
  const result = await bundle(
    [
      `export { renderBillPreviewEmail } from ${JSON.stringify(join(ROOT, 'shared/notify/index.ts'))};`,
      `export { renderRunReportHtml } from ${JSON.stringify(join(ROOT, 'shared/domain/run-report/render.ts'))};`,
      `export { renderKeyAccountHtml } from ${JSON.stringify(join(ROOT, 'shared/domain/key-accounts/report-html.ts'))};`,
    ].join('\n'),
    'renderers',
  );
  bundledInputs = Object.keys(result.metafile.inputs);
  bundled = (await import(pathToFileURL(join(dir, 'renderers', 'index.mjs')).href)) as Renderers;
  await bundle(
    [
      // The entry is written outside the repository: zod is named by where the repository's copy is.
      `import { z } from ${JSON.stringify(fileURLToPath(import.meta.resolve('zod')))};`,
      'export const name = z.string().min(2).max(5);',
      'export const schema = z.object({ name });',
      'export const toJSONSchema = () => z.toJSONSchema(schema);',
    ].join('\n'),
    'zod',
  );
  zodBundle = await import(pathToFileURL(join(dir, 'zod', 'index.mjs')).href);
  // The ES builds, as the functions' bundles take them (`mainFields: module`); Node resolves the CommonJS ones.
  const esBuildOf = (client: string) =>
    JSON.stringify(join(ROOT, `node_modules/@aws-sdk/${client}/dist-es/index.js`));
  s3Source = [
    `import { GetObjectCommand, S3Client, SelectObjectContentCommand } from ${esBuildOf('client-s3')};`,
    `import { SQSClient } from ${esBuildOf('client-sqs')};`,
    "import { Readable } from 'node:stream';",
    // Every request answered with a small object, as S3 would a GetObject; a key named `missing` with
    // S3's NoSuchKey error.
    'const answer = (statusCode, text) => ({ response: { statusCode, headers: {}, body: Readable.from([Buffer.from(text)]) } });',
    'const requestHandler = { handle: async (request) => request.path.includes("missing") ? answer(404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>") : answer(200, "bill") };',
    "const options = { region: 'cn-north-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' }, requestHandler };",
    'const client = new S3Client(options);',
    'const sqs = new SQSClient(options);',
    'export const userAgents = async () => [...(await client.config.defaultUserAgentProvider()), ...(await sqs.config.defaultUserAgentProvider())];',
    "export const getObjectText = async (key = 'k') => (await client.send(new GetObjectCommand({ Bucket: 'b', Key: key }))).Body.transformToString();",
    "export const selectObjectContent = () => client.send(new SelectObjectContentCommand({ Bucket: 'b', Key: 'k', Expression: 'select * from s3object', ExpressionType: 'SQL', InputSerialization: { CSV: {} }, OutputSerialization: { CSV: {} } }));",
  ].join('\n');
  await bundle(s3Source, 's3');
  s3Bundle = await import(pathToFileURL(join(dir, 's3', 'index.mjs')).href);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('templates in the function bundles', () => {
  it('carry Handlebars’ runtime and none of its compiler', () => {
    expect(bundledInputs.some((input) => input.includes('handlebars/dist/cjs/handlebars/runtime.js'))).toBe(
      true,
    );
    expect(bundledInputs.filter((input) => input.includes('handlebars/compiler/'))).toEqual([]);
    expect(bundledInputs.filter((input) => input.endsWith('handlebars-template.ts'))).toEqual([]);
  });

  it.each(['zh-CN', 'en'] as const)('print the bill-preview email as the sources do (%s)', (language) => {
    for (const input of [
      { bill: sampleBill(), account: sampleAccount(), language, history: SAMPLE_HISTORY },
      {
        bill: sampleBill(),
        account: sampleAccount({ name: HOSTILE }),
        language,
        history: [],
        corrected: true,
        version: 3,
      },
    ]) {
      expect(bundled.renderBillPreviewEmail(input)).toEqual(renderBillPreviewEmail(input));
    }
  });

  it('print the run report as the sources do, hostile text included', () => {
    const report = buildRunReport({
      run: {
        runId: 'meter-reads#abc',
        feed: 'meter-reads',
        bucket: 'keybill-drops',
        key: 'drops/reads/2026-10/meter-reads-2026-10.csv',
        period: '2026-10',
        status: 'SUCCEEDED',
        startedAt: '2026-11-02T01:00:00.000Z',
        finishedAt: '2026-11-02T01:05:00.000Z',
        counts: { rows: 3, accepted: 2, rejected: 1, accountsBilled: 2, billsCreated: 2, billsUnchanged: 0 },
      },
      rejects: [{ rowNumber: 3, column: 'multiplier', reason: HOSTILE }],
      bills: [
        { accountId: 'A1', name: HOSTILE, version: 1, total: '1000.00', previousTotal: '10.00' },
        { accountId: 'A2', name: 'New', version: 1, total: '10.00' },
      ],
      expectedAccounts: 3,
      missingAccounts: ['A3'],
      held: [{ accountId: 'A1', version: 1, reasons: [`TOTAL_JUMP: ${HOSTILE}`] }],
      notices: [
        { channel: 'email', status: 'DELIVERED' },
        { channel: 'sms', status: 'DEFERRED' },
      ],
      generatedAt: '2026-11-02T02:00:00.000Z',
    });
    expect(bundled.renderRunReportHtml(report)).toBe(renderRunReportHtml(report));
  });

  it('print the key-account report as the sources do, in both languages', () => {
    const ids = ['A1', 'A2', 'A3'];
    const result = rankKeyAccounts({
      accounts: ids.map((id, i) => account(id, { name: i === 0 ? HOSTILE : `厂 ${id}` })),
      bills: ids.flatMap((id, i) => history(id, { kwh: Array(12).fill((3 - i) * 100_000) })),
      config: DEFAULT_KEY_ACCOUNT_CONFIG,
      asOf: '2026-11-01',
    });
    for (const language of ['zh-CN', 'en'] as const) {
      expect(bundled.renderKeyAccountHtml(result, { language })).toBe(
        renderKeyAccountHtml(result, { language }),
      );
    }
  });

  it('refuse to build a template module that exports anything but templates', async () => {
    const module = join(dir, 'broken.hbs.ts');
    writeFileSync(module, "export const notATemplate = '{{name}}';\n");
    await expect(bundle(`export * from ${JSON.stringify(module)};`, 'broken', 'silent')).rejects.toThrow(
      /export notATemplate is not made by handlebarsTemplate/,
    );
  });
});

describe('zod in the function bundles', () => {
  it('parses and refuses as it does everywhere, hostile values included', () => {
    expect(zodBundle.schema.parse({ name: 'abc' })).toEqual({ name: 'abc' });
    for (const name of ['', 'x'.repeat(10_000), '<script>', 12, null]) {
      expect(zodBundle.schema.safeParse({ name }).success).toBe(false);
    }
  });

  it('still answers the Standard Schema interface and the checks a schema declares', async () => {
    const standard = zodBundle.schema['~standard'];
    expect(await standard.validate({ name: 'abc' })).toEqual({ value: { name: 'abc' } });
    expect(zodBundle.name.minLength).toBe(2);
    expect(zodBundle.name.maxLength).toBe(5);
  });

  it('fails loudly when asked for a JSON Schema, which only the CLI makes', () => {
    expect(() => zodBundle.toJSONSchema()).toThrow(/zod JSON Schema generation is not bundled/);
    expect(() => zodBundle.schema.toJSONSchema()).toThrow(/not bundled/);
  });
});

describe('S3 in the function bundles', () => {
  it('is made and reads an object as anywhere else, without the event-stream codec', async () => {
    expect(await s3Bundle.getObjectText()).toBe('bill');
  });

  it.each([
    ['S3', 'client-s3'],
    ['SQS', 'client-sqs'],
  ])(
    "names each client's own version in its user agent (%s), from the name and version kept of its package.json",
    async (api, client) => {
      const { version } = JSON.parse(
        readFileSync(join(ROOT, `node_modules/@aws-sdk/${client}/package.json`), 'utf-8'),
      ) as { version: string };
      expect(await s3Bundle.userAgents()).toContainEqual([`api/${api}`, version]);
    },
  );

  it("keep each client's own package name and version, not one client's for all", () => {
    const text = readFileSync(join(dir, 's3', 'index.mjs'), 'utf-8');
    for (const client of ['client-s3', 'client-sqs']) {
      const { version } = JSON.parse(
        readFileSync(join(ROOT, `node_modules/@aws-sdk/${client}/package.json`), 'utf-8'),
      ) as { version: string };
      expect(text).toContain(`{name:"@aws-sdk/${client}",version:"${version}"}`);
    }
  });

  it('come out byte for byte the same from the same sources (so a deployment changes no function it need not)', async () => {
    await bundle(s3Source, 's3-again');
    expect(readFileSync(join(dir, 's3-again', 'index.mjs'))).toEqual(
      readFileSync(join(dir, 's3', 'index.mjs')),
    );
  });

  it("carries the schemas of the operations it sends and of S3's errors, not those of S3's other operations", () => {
    const text = readFileSync(join(dir, 's3', 'index.mjs'), 'utf-8');
    expect(text).toContain('/{Key+}?x-id=GetObject');
    expect(text).toContain('NoSuchKey');
    for (const operation of ['PutBucketLifecycleConfiguration', 'ListObjectsV2', 'CreateMultipartUpload']) {
      expect(text).not.toContain(operation);
    }
  });

  it("answers S3's modeled error as its own class, from the schemas kept", async () => {
    await expect(s3Bundle.getObjectText('missing')).rejects.toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('fails loudly on an event-stream operation, which no function calls', async () => {
    await expect(s3Bundle.selectObjectContent()).rejects.toThrow(/event streams are not bundled/);
  });
});

describe("an AWS client's schemas with plain keys", () => {
  const CONSTANTS = ['const _h = "http";', 'const _e = "error";', 'const n0 = "com.amazonaws.s3";'];
  const schemas = (...lines: string[]) => [...CONSTANTS, ...lines].join('\n');

  it('writes each key that names a string constant as that string, so unused schemas can be left out', () => {
    const source = schemas(
      'export var GetObject$ = [9, n0, "GetObject", { [_h]: ["GET", "/{Key+}?x-id=GetObject", 200] }, () => A$, () => B$];',
      'export var NoSuchKey$ = [-3, n0, "NoSuchKey", { [_e]: "client", [_h]: 404 }, [], []];',
    );
    const rewritten = withLiteralSchemaKeys(source)!;
    expect(rewritten).toContain('{ "http": ["GET", "/{Key+}?x-id=GetObject", 200] }');
    expect(rewritten).toContain('{ "error": "client", "http": 404 }');
    expect(rewritten).not.toMatch(/\[_\w+\]:/);
  });

  it('reads as the same objects as the module it rewrites', () => {
    const source = schemas('export var S$ = [{ [_h]: 1, [_e]: { [_h]: "\\u00e9\\"" } }];').replaceAll(
      'export ',
      '',
    );
    const evaluate = (code: string) => new Function(`${code}\nreturn S$;`)() as unknown;
    expect(evaluate(withLiteralSchemaKeys(source)!)).toEqual(evaluate(source));
  });

  it.each([
    ['a key names no string constant', schemas('const _n = 5;', 'var S$ = [{ [_n]: 1 }];')],
    [
      'a key names a constant that is bound twice',
      schemas('{ const _h = "other"; }', 'var S$ = [{ [_h]: 1 }];'),
    ],
    [
      'a constant is declared twice',
      [...CONSTANTS, 'const _h = "again";', 'var S$ = [{ [_h]: 1 }];'].join('\n'),
    ],
    ['the module has a function that could bind a name', schemas('var f = (_h) => ({ [_h]: 1 });')],
    ['the module has a function declaration', schemas('function f() {}', 'var S$ = [{ [_h]: 1 }];')],
    [
      'a key is __proto__, which a plain key would make the prototype',
      ['const _p = "__proto__";', 'var S$ = [{ [_p]: 1 }];'].join('\n'),
    ],
  ])('leaves the module as it is when %s', (_case, source) => {
    expect(withLiteralSchemaKeys(source)).toBeUndefined();
  });

  it('rewrites the schemas of every AWS client the functions use, leaving no computed key', () => {
    for (const client of [
      'client-s3',
      'client-dynamodb',
      'client-sqs',
      'client-sesv2',
      'client-sns',
      'client-scheduler',
      'client-secrets-manager',
    ]) {
      const source = readFileSync(
        join(ROOT, `node_modules/@aws-sdk/${client}/dist-es/schemas/schemas_0.js`),
        'utf-8',
      );
      const rewritten = withLiteralSchemaKeys(source);
      expect(rewritten, client).toBeDefined();
      expect(rewritten!.match(/\[_\w+\]:/g) ?? [], client).toEqual([]);
    }
  });
});
