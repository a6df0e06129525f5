/** The command-line contract (DESIGN §8): progress on stderr, one JSON object last on stdout, one-line errors. */
import { z } from 'zod';

/** Print a one-line reason and exit non-zero. */
export function fail(message: string, code = 2): never {
  process.stderr.write(`error: ${message.split('\n')[0]}\n`);
  process.exit(code);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Parse CLI options with zod; a bad option exits with a one-line reason naming it. */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const option = issue.path.length > 0 ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'arguments';
  fail(`${option} ${issue.message}`);
}

/** Run a CLI main, turning any thrown error into a one-line reason. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 1));
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
