/**
 * The source choice on the command line (`--sources`, `--universe`, `--feeds`, `--edgar-url`),
 * turned into the environment variables the wiring reads (FA_SOURCES, FA_UNIVERSE, FA_FEEDS,
 * FA_EDGAR_URL), so a CLI run and a Lambda choose their sources the same way.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError, InputValidationError } from '../../lambdas/core/errors';
import { feedKindsOf, formatSourceChoice, SourceChoiceTextSchema } from '../../lambdas/core/contracts/sources';
import { parseRuntimeConfig } from '../../lambdas/wiring/config';
import { fail } from './cli';

/** Options every CLI that reads sources accepts; add them to its zod schema with `.extend()`. */
export const SourceOptionsShape = {
  sources: SourceChoiceTextSchema.optional(),
  universe: z.string().min(1).optional(),
  feeds: z.string().min(1).optional(),
  edgarUrl: z.url().optional(),
};

export type SourceOptions = { [K in keyof typeof SourceOptionsShape]?: z.infer<(typeof SourceOptionsShape)[K]> };

/** Declare the source options on a command. */
export function withSourceOptions(program: Command): Command {
  return program
    .option('--sources <choice>', 'demo (default), edgar (CSV universe + EDGAR + feeds), or kind=adapter,... (docs/SOURCES.md)')
    .option('--universe <file>', 'universe CSV (ticker,name,cik,sector,industry) for a csv universe')
    .option('--feeds <dir>', 'folder of vendor feed deliveries (<kind>/<YYYY-MM-DD>.jsonl)')
    .option('--edgar-url <url>', 'one base URL for data.sec.gov and www.sec.gov, e.g. an edgar-replay server');
}

/** Without a real SEC contact, a run against a local replay server still needs a declared agent. */
const LOCAL_REPLAY_USER_AGENT = 'FA Advisor AI local-replay fa-advisor-dev@example.com';

/**
 * The environment variables these options set (local paths made absolute, since the batch may run
 * from another directory). Options that are absent leave the environment as it is.
 */
export function sourceEnvironment(options: SourceOptions, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  if (options.sources) out.FA_SOURCES = formatSourceChoice(options.sources);
  const local = (location: string) => (location.startsWith('s3://') ? location : resolve(location));
  if (options.universe) out.FA_UNIVERSE = local(options.universe);
  if (options.feeds) out.FA_FEEDS = local(options.feeds);
  if (options.edgarUrl) {
    out.FA_EDGAR_URL = options.edgarUrl;
    if (!env.EDGAR_USER_AGENT?.trim()) out.EDGAR_USER_AGENT = LOCAL_REPLAY_USER_AGENT;
  }
  return out;
}

const FLAG_OF: Readonly<Record<string, string>> = {
  FA_SOURCES: '--sources',
  FA_UNIVERSE: '--universe',
  FA_FEEDS: '--feeds',
  FA_EDGAR_URL: '--edgar-url',
};

/**
 * Check the source settings as the wiring will parse them, before anything starts.
 * @throws InputValidationError with a one-line reason naming the flag (or the variable).
 */
export function checkSourceSettings(env: NodeJS.ProcessEnv): void {
  try {
    parseRuntimeConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const match = /^invalid environment variable (\w+): (.*)$/.exec(error.message);
    const flag = match ? FLAG_OF[match[1]!] : undefined;
    throw new InputValidationError(match && flag ? `${flag} ${match[2]!.replace(/when FA_SOURCES/, 'when --sources')}` : error.message);
  }
}

/** A line for stderr when feed kinds will be missing sources because no feeds were given. */
export function missingFeedsNote(env: NodeJS.ProcessEnv): string | undefined {
  const kinds = feedKindsOf(parseRuntimeConfig(env).FA_SOURCES);
  if (kinds.length === 0 || env.FA_FEEDS?.trim()) return undefined;
  return `note: no --feeds given: ${kinds.join(', ')} will be recorded as missing sources of every brief`;
}

/**
 * A CLI's source options applied before the runtime starts (workers inherit the environment, and
 * the wiring reads it once): settings checked, a bad one refused in one line (exit 2), and the
 * missing-feeds note printed.
 */
export function applySourceOptions(options: SourceOptions): void {
  Object.assign(process.env, sourceEnvironment(options));
  try {
    checkSourceSettings(process.env);
  } catch (error) {
    fail((error as Error).message, 2);
  }
  const note = missingFeedsNote(process.env);
  if (note) process.stderr.write(`${note}\n`);
}
