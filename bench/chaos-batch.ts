/**
 * The batch process of a chaos run (bench/chaos.ts starts it, kills it with SIGKILL and starts it
 * again): one run of the real batch on the embedded runtime, with a given run id so that the
 * restart resumes the same run. Prints the run's summary as its last stdout line.
 */
import { z } from 'zod';
import { IsoDateSchema } from '../lambdas/core/contracts/batch-events';
import { cli, runCli } from '../scripts/lib/cli';
import { runBatch } from '../local/batch-runner';

const OptionsSchema = z
  .object({
    runId: z.string().regex(/^[\w.-]{1,80}$/, 'must be 1–80 letters, digits, dots, hyphens or underscores'),
    asOf: IsoDateSchema,
    limit: z.coerce.number().int().positive(),
    concurrency: z.coerce.number().int().min(1).max(100).default(100),
    json: z.boolean().default(true),
  })
  .strict();

const program = cli('chaos-batch', 'One (resumable) batch run of a chaos run')
  .requiredOption('--run-id <id>', 'the run to start or resume')
  .requiredOption('--as-of <date>', 'as-of date, YYYY-MM-DD')
  .requiredOption('--limit <n>', 'the first N stocks of the universe')
  .option('--concurrency <c>', 'Map MaxConcurrency (default 100)');

runCli(program, OptionsSchema, async ({ runId, asOf, limit, concurrency }) => {
  const summary = await runBatch({ runId, asOf, limit, concurrency, progress: false });
  return { runId: summary.runId, stocks: summary.stocks, succeeded: summary.succeeded, failed: summary.failed };
});
