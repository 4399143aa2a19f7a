import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CLOUD_ASSEMBLY, REPO_ROOT } from '../../local/runner/synthesized-stack.ts';

/**
 * The arrears policy the bundles are deployed with, as a deployment for customers gives one (context
 * `arrearsPolicy`): its values differ from the illustrative default's, so a run that shows them proves
 * the functions read the file the stack put beside their code.
 */
export const ARREARS_POLICY_FIXTURE = join(REPO_ROOT, 'test/bundles/arrears-policy.json');

/**
 * Vitest global setup of the bundles project: the stack synthesized once per test run into cdk.out, with
 * its bundles, offline (esbuild locally; no credentials, no Docker), by the CDK CLI through cdk.json's
 * `app` — the very command a deployment runs, so the tests exercise what `cdk deploy` would upload
 * (CDKMetadata and all) and a run of `npm test` proves the CLI path too. CI has no synth step of its own
 * for that reason: this is the run's one synthesis.
 */
export default function synthesizeOnce(): void {
  // For a quick look while editing tests only: KEYBILL_REUSE_CDK_OUT=1 keeps the cdk.out of a previous run,
  // as long as no source the app is built from changed since.
  if (process.env.KEYBILL_REUSE_CDK_OUT === '1' && cloudAssemblyIsCurrent()) return;
  try {
    execFileSync(
      'npx',
      ['cdk', 'synth', '--quiet', '--no-notices', '-c', `arrearsPolicy=${ARREARS_POLICY_FIXTURE}`],
      { cwd: REPO_ROOT, stdio: 'pipe' },
    );
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    throw new Error(`cdk synth failed:\n${stderr.slice(-4000)}`);
  }
}

/** Is cdk.out's template newer than cdk.json, the lock file and every file cdk.json's watch list names? */
function cloudAssemblyIsCurrent(): boolean {
  const template = join(DEFAULT_CLOUD_ASSEMBLY, 'Keybill.template.json');
  if (!existsSync(template)) return false;
  const cdkJson = join(REPO_ROOT, 'cdk.json');
  const watched = (JSON.parse(readFileSync(cdkJson, 'utf8')).watch?.include ?? []) as string[];
  const sources = [
    cdkJson,
    ARREARS_POLICY_FIXTURE,
    join(REPO_ROOT, 'package-lock.json'),
    ...watched.flatMap((glob) => filesUnder(join(REPO_ROOT, glob.replace(/\/\*\*$/, '')))),
  ];
  const synthesizedAt = statSync(template).mtimeMs;
  return sources.every((file) => statSync(file).mtimeMs < synthesizedAt);
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
