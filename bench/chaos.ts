/**
 * `npm run chaos -- [--stocks N] [--queries N] [--connections C] [--seed S] [--keep] [--json]`
 *
 * The batch and the query API under every fault at once, then the stores checked (docs/CHAOS.md).
 * Last stdout line with --json: `{"batch": {stocks, stored, lost, duplicated, factsOnly, failed},
 * "queries": {requests, errors5xx, unexpected5xx, p95Ms}, "faults": {KIND: COUNT}, "seed"}`.
 * Exits 1 when a stock was lost or duplicated, a 5xx was not the documented 503, or another check failed.
 */
import { z } from 'zod';
import { cli, printJson, runCli } from '../scripts/lib/cli';
import { runChaos } from './chaos-run';

const OptionsSchema = z
  .object({
    stocks: z.coerce.number().int().min(1).max(1000).default(1000),
    queries: z.coerce.number().int().min(1).max(1_000_000).default(5000),
    connections: z.coerce.number().int().min(1).max(2000).default(500),
    seed: z.coerce
      .number()
      .int()
      .nonnegative()
      .max(2 ** 31 - 1)
      .default(1),
    concurrency: z.coerce.number().int().min(1).max(100).default(100),
    keep: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('chaos', 'Run the batch and the FA query API under injected faults, then check the stores')
  .option('--stocks <n>', 'stocks of the demo universe in the batch (default 1000)')
  .option('--queries <n>', 'FA requests sent while the batch runs (default 5000)')
  .option('--connections <n>', 'concurrent FA connections (default 500)')
  .option('--seed <s>', 'seed of every fault and of the question mix (default 1)')
  .option('--concurrency <c>', 'the batch Map MaxConcurrency (default 100)')
  .option('--keep', 'keep the scratch data dir for inspection');

runCli(program, OptionsSchema, async ({ json, ...options }) => {
  const { report, problems, wallMs } = await runChaos(options);
  const b = report.batch;
  const q = report.queries;
  process.stderr.write(
    `chaos: batch ${b.stocks} stocks: stored ${b.stored} (facts-only ${b.factsOnly}), failed ${b.failed}, lost ${b.lost}, duplicated ${b.duplicated}; ` +
      `queries ${q.requests}: ${q.errors5xx} 5xx (${q.unexpected5xx} unexpected), p95 ${q.p95Ms} ms; ` +
      `faults ${Object.entries(report.faults)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ')}; ${(wallMs / 1000).toFixed(1)} s\n`,
  );
  for (const problem of problems.slice(0, 30)) process.stderr.write(`chaos: problem: ${problem}\n`);
  if (problems.length > 30) process.stderr.write(`chaos: … and ${problems.length - 30} more problems\n`);
  if (json) printJson(report);
  if (b.lost > 0 || b.duplicated > 0 || q.unexpected5xx > 0 || problems.length > 0) process.exitCode = 1;
});
