import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKeybillApp } from '../../infra/keybill-app.ts';
import { asFunction } from './aws-call-recorder.ts';
import type { HandlerSource } from './local-pipeline.ts';

/*
 * What `cdk synth` leaves in cdk.out, read as AWS will read it: the template, and per function its
 * bundle (`asset.<hash>/index.mjs`), role, environment, timeout and memory. The bundle tests, the
 * runner's wiring, the permission check, `npm run bench -- lambda` and `npm run cost` all start here,
 * so they see the functions, rules and grants the stack has today, whoever added them.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_CLOUD_ASSEMBLY = join(REPO_ROOT, 'cdk.out');
const STACK_ID = 'Keybill';

export type Json = Record<string, unknown>;
export interface TemplateResource {
  Type: string;
  Properties?: Json;
  Metadata?: Json;
}
export interface TemplateJson {
  Resources: Record<string, TemplateResource>;
}

export interface DeployedFunction {
  /** The folder under `functions/` (the Powertools service name the construct sets). */
  readonly handlerName: string;
  /** The physical name, `<stack name>-<handler name>`. */
  readonly functionName: string;
  readonly logicalId: string;
  /** The bundle Lambda loads: `<cloud assembly>/asset.<hash>/index.mjs`. */
  readonly bundlePath: string;
  /** The logical id of its execution role. */
  readonly roleLogicalId: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly architecture: string;
  /** Its environment as the template states it; intrinsic values (Ref, GetAtt…) as they are. */
  readonly environment: Record<string, unknown>;
}

export interface SynthesizedStack {
  readonly dir: string;
  readonly template: TemplateJson;
  readonly functions: readonly DeployedFunction[];
  functionByHandler(handlerName: string): DeployedFunction;
}

/** cdk.json's context: the tests and tools synthesize what `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

/** Synthesizes the app with its bundles into `dir`, offline (esbuild locally, no credentials). */
export function synthesizeStack(dir = DEFAULT_CLOUD_ASSEMBLY): SynthesizedStack {
  // As the CDK CLI does: the template names each function's asset folder (`aws:asset:path`).
  const context = { ...cdkJsonContext(), 'aws:cdk:enable-asset-metadata': true };
  buildKeybillApp({ outdir: dir, context }).app.synth();
  return readSynthesizedStack(dir);
}

/** Reads a cloud assembly synthesized before (by `cdk synth` or synthesizeStack). */
export function readSynthesizedStack(dir = DEFAULT_CLOUD_ASSEMBLY): SynthesizedStack {
  const templatePath = join(dir, `${STACK_ID}.template.json`);
  if (!existsSync(templatePath)) throw new Error(`${templatePath} is missing: synthesize first`);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as TemplateJson;
  const functions = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, r]) => deployedFunction(dir, logicalId, r))
    .filter((f): f is DeployedFunction => f !== undefined);
  return {
    dir,
    template,
    functions,
    functionByHandler(handlerName) {
      const found = functions.find((f) => f.handlerName === handlerName);
      if (found === undefined) throw new Error(`the template has no function for functions/${handlerName}`);
      return found;
    },
  };
}

/** A function of the product (one with a bundled handler); undefined for CDK's own helper functions. */
function deployedFunction(dir: string, logicalId: string, r: TemplateResource): DeployedFunction | undefined {
  const p = r.Properties ?? {};
  const environment = ((p.Environment as Json | undefined)?.Variables ?? {}) as Record<string, unknown>;
  const handlerName = environment.POWERTOOLS_SERVICE_NAME;
  const assetPath = r.Metadata?.['aws:asset:path'];
  if (typeof handlerName !== 'string' || typeof assetPath !== 'string') return undefined;
  return {
    handlerName,
    functionName: String(p.FunctionName),
    logicalId,
    bundlePath: join(dir, assetPath, 'index.mjs'),
    roleLogicalId: ((p.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'] ?? [])[0] ?? '',
    timeoutSeconds: Number(p.Timeout ?? 3),
    memoryMb: Number(p.MemorySize ?? 128),
    architecture: ((p.Architectures as string[] | undefined) ?? ['x86_64'])[0]!,
    environment,
  };
}

/**
 * Node's own loader, as Lambda loads a bundle (`require` of an ES module, Node ≥ 22): not a test runner's
 * module transform, which would rewrite the very bundle it is meant to prove.
 */
const nativeRequire = createRequire(import.meta.url);

/**
 * The handlers of the synthesized bundles, found through the template by handler name. Each is loaded as
 * its function: Lambda runs a function's initialisation under its role, so the AWS calls a bundle starts
 * while it loads (a key read at cold start) are recorded as that function's and checked against its role.
 */
export function handlersFromBundles(stack: SynthesizedStack): HandlerSource {
  return async (handlerName) => {
    const { functionName, bundlePath } = stack.functionByHandler(handlerName);
    return asFunction(functionName, () => nativeRequire(bundlePath)) as Awaited<ReturnType<HandlerSource>>;
  };
}
