/** The ops CLIs: the house CLI contract plus a required stage, and AWS failures as one line. */
import type { Command } from 'commander';
import type { z } from 'zod';
import { cli, fail, parseOptions, printJson } from '../cli';
import { OpsError } from './errors';

export function opsProgram(name: string, description: string): Command {
  return cli(name, description)
    .requiredOption('--stage <stage>', 'stage from cdk.json (dev, prod)')
    .option('--json', 'print the result as one JSON object on the last line of stdout');
}

/**
 * Parse argv with commander and zod, run the command, print its result. An OpsError or AWS error
 * becomes one line on stderr and exit 1.
 */
export async function runOps<S extends z.ZodType, R>(
  program: Command,
  schema: S,
  command: (options: z.infer<S>) => Promise<R>,
  summarize: (result: R) => string,
  succeeded: (result: R) => boolean = () => true,
): Promise<void> {
  program.parse();
  const options = parseOptions(schema, program.opts());
  let result: R;
  try {
    result = await command(options);
  } catch (error) {
    if (error instanceof OpsError) fail(error.message, 1);
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'CredentialsProviderError' || /credential/i.test(message))
      fail(`no AWS credentials for this stage's account: ${message}`, 1);
    fail(`${name}: ${message}`, 1);
  }
  process.stderr.write(`${summarize(result)}\n`);
  const json: unknown = (program.opts() as { json?: unknown }).json;
  if (json === true) printJson(result);
  if (!succeeded(result)) process.exitCode = 1;
}
