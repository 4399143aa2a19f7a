import { runCli } from '../../../cli/main.ts';

/** Runs one command line in process, capturing what it writes. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

/** Every command the dispatcher knows, with its first required option (none for the stack commands). */
export const COMMANDS = [
  ['bill', 'accounts'],
  ['generate', 'accounts'],
  ['schemas', 'out'],
  ['key-accounts', 'period'],
  ['arrears-plan', 'accounts'],
  ['operator', 'event'],
  ['run-drop', null],
  ['get-run', null],
  ['list-runs', null],
  ['show-bill', null],
  ['list-notices', null],
  ['release-deferred', null],
  ['check-drops', null],
  ['list-dead-letters', null],
  ['redrive', null],
  ['approve-disconnection', null],
  ['defer-disconnection', null],
  ['exempt-disconnection', null],
] as const;
