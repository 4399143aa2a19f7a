/**
 * What every CLI command is made of: its own options (node:util parseArgs, strict), `--help`, the
 * "--x is required" check, and the error the dispatcher prints as `error: …` with exit code 2.
 */
import { readFile } from 'node:fs/promises';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import type { z } from 'zod';

/** A mistake in the command line or its input files: printed as `error: <message>`, exit code 2. */
export class CliError extends Error {}

/** Where a command writes: process.stdout and process.stderr, or a test's capture. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** What a command's run returns when `--help` was given: the dispatcher prints the usage. */
export const HELP = Symbol('help');

export interface CliCommand {
  /** Parses the arguments after the command name and runs the command; its exit code, or HELP. */
  run(args: readonly string[], io: CliIo): Promise<number | typeof HELP>;
}

export type OptionValues<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true }>
>['values'];

export interface CommandInput<O extends ParseArgsOptionsConfig> {
  values: OptionValues<O>;
  /** The value of a string option; a CliError naming the command and the option when it is missing. */
  need(name: keyof OptionValues<O> & string): string;
}

const HELP_OPTION = { help: { type: 'boolean', short: 'h', default: false } } as const;

/**
 * A command with its own option set. Unknown options and stray arguments are refused with a CliError
 * naming the command (parseArgs says which argument).
 */
export function defineCommand<const O extends ParseArgsOptionsConfig>(
  name: string,
  options: O,
  run: (input: CommandInput<O>, io: CliIo) => Promise<number>,
): CliCommand {
  return {
    async run(args, io) {
      let parsed: Record<string, unknown>;
      try {
        parsed = parseArgs({ args: [...args], options: { ...options, ...HELP_OPTION }, strict: true }).values;
      } catch (error) {
        if (isParseArgsError(error)) throw new CliError(`${name}: ${error.message}`);
        throw error;
      }
      if (parsed.help === true) return HELP;
      const values = parsed as OptionValues<O>;
      const need = (option: string): string => {
        const value = parsed[option];
        if (typeof value !== 'string' || value === '') throw new CliError(`${name}: --${option} is required`);
        return value;
      };
      return run({ values, need }, io);
    },
  };
}

const isParseArgsError = (error: unknown): error is Error =>
  error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_');

/** Reads and validates a JSON document, naming the file and the offending field on failure. */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf-8'));
  } catch (error) {
    throw new CliError(`${path}: not readable JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `  ${path}: ${i.path.join('.') || '(document)'}: ${i.message}`,
    );
    throw new CliError(`${path} is not a valid document:\n${issues.join('\n')}`);
  }
  return parsed.data;
}
