/**
 * The one CLI factory (docs/DESIGN.md "Command-line contract"): `--help` prints and exits 0, a usage
 * error is one line on stderr and exit 2, a failure is one line and exit 1, progress goes to stderr
 * and, with `--json`, one JSON object is the last line of stdout.
 */
import { Command } from 'commander';
import type { z } from 'zod';
import { firstIssue } from '../../lambdas/core/validation';

/** Print a one-line reason and exit non-zero (2: usage, 1: the command failed). */
export function fail(message: string, code = 2): never {
  process.stderr.write(`error: ${message.split('\n')[0]}\n`);
  process.exit(code);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A command with the house contract; add its options, then hand it to `runCli`. */
export function cli(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .allowExcessArguments(false)
    .exitOverride((error) => {
      // commander reports --help (and --version) as an "error" with exit code 0.
      if (error.exitCode === 0) process.exit(0);
      fail(error.message.replace(/^error: /, ''), 2);
    })
    .configureOutput({ writeErr: () => {} });
}

/** Validate parsed options with zod; a bad option exits 2 with a one-line reason naming it. */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const { path, message } = firstIssue(parsed.error);
  const option = path ? `--${path.split('.')[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'arguments';
  fail(`${option} ${message}`);
}

/** Run a CLI main, turning any thrown error into a one-line reason and exit 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 1));
}

/**
 * Parse argv (commander, then the zod schema over options and named arguments) and run `main`.
 * With `--json`, what `main` returns is printed as the last line of stdout (return nothing to print
 * it yourself, as long-running commands do).
 */
export function runCli<S extends z.ZodType>(program: Command, schema: S, main: (options: z.infer<S>) => Promise<unknown>): void {
  if (!program.options.some((option) => option.long === '--json')) {
    program.option('--json', 'print the result as one JSON object on the last line of stdout');
  }
  runMain(async () => {
    program.parse();
    const args = Object.fromEntries(program.registeredArguments.map((argument, i) => [argument.name(), program.args[i]]));
    const options = parseOptions(schema, { ...program.opts(), ...args });
    const result = await main(options);
    if (result !== undefined && (program.opts() as { json?: unknown }).json === true) printJson(result);
  });
}
