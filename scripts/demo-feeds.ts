/** `npm run demo-feeds -- --out DIR [--as-of YYYY-MM-DD] [--limit N] [--json]`: the demo's data as vendor feed deliveries. */
import { z } from 'zod';
import { IsoDateSchema } from '../lambdas/core/contracts/batch-events';
import { cli, runCli } from './lib/cli';
import { writeDemoFeeds } from '../local/demo-feeds';

const OptionsSchema = z
  .object({
    out: z.string().min(1, 'is required'),
    asOf: IsoDateSchema.default(() => new Date().toISOString().slice(0, 10)),
    limit: z.coerce.number().int().positive().optional(),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli(
  'demo-feeds',
  "Write the demo universe's fundamentals, research notes and news as vendor feed deliveries (docs/SOURCES.md)",
)
  .requiredOption('--out <dir>', 'feeds root to write <kind>/<YYYY-MM-DD>.jsonl under')
  .option('--as-of <date>', 'delivery date, YYYY-MM-DD (default: today, UTC)')
  .option('--limit <n>', 'only the first N companies of the demo universe');

runCli(program, OptionsSchema, async (options) => {
  const result = await writeDemoFeeds(options);
  process.stderr.write(
    `wrote ${result.lines.fundamentals} fundamentals, ${result.lines.research} research and ${result.lines.news} news lines for ${result.stocks} stocks as of ${result.asOf}:\n${result.files.map((f) => `  ${f}`).join('\n')}\n`,
  );
  return result;
});
