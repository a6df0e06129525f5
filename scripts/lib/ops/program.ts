/** commander wiring shared by the ops CLIs: help exits 0, any usage error is one line and exit 2. */
import { Command } from 'commander';
import type { z } from 'zod';
import { fail, parseOptions, printJson } from '../cli';
import { OpsError } from './errors';

export function opsProgram(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .requiredOption('--stage <stage>', 'stage from cdk.json (dev, prod)')
    .option('--json', 'print the result as one JSON object on the last line of stdout')
    .allowExcessArguments(false)
    .exitOverride((error) => {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') process.exit(0);
      fail(error.message.replace(/^error: /, ''), 2);
    })
    .configureOutput({ writeErr: () => {} });
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
    if (name === 'CredentialsProviderError' || /credential/i.test(message)) fail(`no AWS credentials for this stage's account: ${message}`, 1);
    fail(`${name}: ${message}`, 1);
  }
  process.stderr.write(`${summarize(result)}\n`);
  const json: unknown = (program.opts() as { json?: unknown }).json;
  if (json === true) printJson(result);
  if (!succeeded(result)) process.exitCode = 1;
}
