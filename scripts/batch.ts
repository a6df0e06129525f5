/** `npm run batch -- [--limit N] [--concurrency C] [--as-of YYYY-MM-DD] [--tickers A,B] [--json]` */
import { z } from 'zod';
import { IsoDateSchema, TickerSchema } from '../lambdas/core/contracts/batch-events';
import { cli, printJson, runCli } from './lib/cli';
import { describeRun, runBatch } from '../local/batch-runner';

const OptionsSchema = z
  .object({
    limit: z.coerce.number().int().positive().optional(),
    concurrency: z.coerce.number().int().min(1).max(100).default(100),
    asOf: IsoDateSchema.optional(),
    tickers: z
      .string()
      .transform((list) => list.split(',').filter(Boolean))
      .pipe(z.array(TickerSchema).min(1, 'needs at least one ticker'))
      .optional(),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('batch', 'Run the nightly stock batch through the state machine on the embedded runtime')
  .option('--limit <n>', 'process only the first N stocks of the universe')
  .option('--concurrency <c>', 'Map MaxConcurrency (default 100)')
  .option('--as-of <date>', 'as-of date, YYYY-MM-DD (default: today in New York)')
  .option('--tickers <list>', 'comma-separated tickers to process');

runCli(program, OptionsSchema, async (options) => {
  const summary = await runBatch({ ...options, progress: true });
  process.stderr.write(`${describeRun(summary)}\n`);
  if (options.json) printJson(summary);
  if (summary.failed > 0) process.exitCode = 1;
});
