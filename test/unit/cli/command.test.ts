import { describe, expect, it } from 'vitest';
import { CliError, defineCommand, HELP } from '../../../cli/command.ts';

const io = { stdout: { write: () => true }, stderr: { write: () => true } };
const echo = defineCommand(
  'echo',
  { text: { type: 'string' }, loud: { type: 'boolean', default: false } },
  async ({ values, need }) => (values.loud ? need('text').length : 0),
);

describe('defineCommand', () => {
  it('parses its own options and runs', async () => {
    expect(await echo.run(['--text', 'abc', '--loud'], io)).toBe(3);
    expect(await echo.run(['--text=abcd', '--loud'], io)).toBe(4);
  });

  it('answers HELP for --help or -h, before anything runs', async () => {
    expect(await echo.run(['--help'], io)).toBe(HELP);
    expect(await echo.run(['-h', '--loud'], io)).toBe(HELP);
  });

  it('treats an empty string as a missing option', async () => {
    await expect(echo.run(['--text', '', '--loud'], io)).rejects.toThrow(
      new CliError('echo: --text is required'),
    );
  });

  it('turns parseArgs errors into a CliError naming the command', async () => {
    await expect(echo.run(['--nope'], io)).rejects.toBeInstanceOf(CliError);
    await expect(echo.run(['--loud=yes'], io)).rejects.toThrow(
      /^echo: Option '--loud' does not take an argument/,
    );
    await expect(echo.run(['--text'], io)).rejects.toThrow(/^echo: Option '--text <value>' argument missing/);
  });
});
