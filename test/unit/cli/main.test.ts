import { describe, expect, it } from 'vitest';
import { COMMANDS, cli } from './helpers.ts';

describe('cli dispatcher', () => {
  it('prints the usage and exits 2 without a command, 0 for help', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/^usage: npm run cli -- <command> \[options\]\n/);
    expect(none.stderr).toBe('');
    const help = await cli('help');
    expect(help).toEqual({ code: 0, stdout: none.stdout, stderr: '' });
  });

  it('refuses an unknown command with the usage on stderr, exit 2', async () => {
    const { stdout: usage } = await cli('help');
    expect(await cli('nope')).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: unknown command nope\n\n${usage}\n`,
    });
    // A bare --help is not a command either (as before the split into one module per command).
    expect(await cli('--help')).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: unknown command --help\n\n${usage}\n`,
    });
  });

  it.each(COMMANDS.map(([name]) => name))('%s --help (and -h) prints the usage, exit 0', async (name) => {
    const { stdout: usage } = await cli('help');
    expect(await cli(name, '--help')).toEqual({ code: 0, stdout: usage, stderr: '' });
    expect(await cli(name, '-h')).toEqual({ code: 0, stdout: usage, stderr: '' });
  });

  it.each(COMMANDS.map(([name]) => name))('%s refuses an unknown option, naming it, exit 2', async (name) => {
    const { code, stdout, stderr } = await cli(name, '--bogus', 'x');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^error: ${name}: Unknown option '--bogus'`));
  });

  it.each(COMMANDS.filter(([, required]) => required !== null))(
    '%s without its options names the missing --%s, exit 2',
    async (name, option) => {
      expect(await cli(name)).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: ${name}: --${option} is required\n`,
      });
    },
  );

  it("refuses another command's option and a stray argument", async () => {
    expect((await cli('bill', '--bucket', 'b')).stderr).toMatch(/^error: bill: Unknown option '--bucket'/);
    const stray = await cli('schemas', '--out', 'x', 'extra');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/^error: schemas: .*'extra'/);
  });
});
