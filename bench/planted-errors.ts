/**
 * `npm run bench:planted -- [--stocks N] [--as-of YYYY-MM-DD] [--json]`: how the grounding detector
 * (`verifyBrief`: `verifyDraftGrounding` against the facts and the writer's excerpts, as the batch runs it) does on the local writer's planted model errors over the demo universe —
 * recall per error kind, and the false-positive rate on the clean drafts in varied surface forms.
 */
import { z } from 'zod';
import { IsoDateSchema } from '../lambdas/core/contracts/batch-events';
import { verifyBrief } from '../lambdas/core/pipeline/write-and-verify';
import { cli, runCli } from '../scripts/lib/cli';
import { scorePlantedErrors } from './planted-errors-harness';

const OptionsSchema = z
  .object({
    stocks: z.coerce.number().int().positive().default(1000),
    asOf: IsoDateSchema.default('2026-11-23'),
    json: z.boolean().default(false),
    verbose: z.boolean().default(false),
  })
  .strict();

const program = cli('bench:planted', "Score the grounding detector on the local writer's planted errors")
  .option('--stocks <n>', 'stocks of the demo universe to score (default 1000)')
  .option('--as-of <date>', 'as-of date, YYYY-MM-DD (default 2026-11-23)')
  .option('--verbose', 'print the false positives and misses it keeps as examples');

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

runCli(program, OptionsSchema, async (options) => {
  const started = performance.now();
  const score = await scorePlantedErrors({ stocks: options.stocks, asOf: options.asOf, verify: verifyBrief });
  const rows = Object.entries(score.kinds).map(
    ([kind, s]) => `${kind.padEnd(24)} ${String(s.planted).padStart(7)} ${String(s.caught).padStart(7)} ${pct(s.recall).padStart(7)}`,
  );
  process.stderr.write(
    [
      `${'kind'.padEnd(24)} ${'planted'.padStart(7)} ${'caught'.padStart(7)} ${'recall'.padStart(7)}`,
      ...rows,
      `overall recall ${pct(score.recall)}; clean drafts flagged ${score.clean.flagged}/${score.clean.drafts} (false positives ${pct(score.clean.falsePositiveRate)}) over ${score.stocks} stocks as of ${options.asOf} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      '',
    ].join('\n'),
  );
  if (options.verbose) {
    for (const e of score.clean.examples) process.stderr.write(`FP ${e}\n`);
    for (const [kind, s] of Object.entries(score.kinds)) for (const m of s.missed) process.stderr.write(`MISS ${kind}: ${m.after}\n`);
  }
  return {
    stocks: score.stocks,
    falsePositiveRate: score.clean.falsePositiveRate,
    recall: score.recall,
    kinds: Object.fromEntries(Object.entries(score.kinds).map(([k, s]) => [k, { planted: s.planted, caught: s.caught, recall: s.recall }])),
  };
});
