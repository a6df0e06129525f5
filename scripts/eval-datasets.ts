/**
 * `npm run eval:datasets -- [--out DIR] [--json]`: (re)generate the evaluation datasets from the
 * seeded demo universe into evals/datasets/*.jsonl and print their hashes. Same seed, same bytes:
 * run it after a change to the demo sources, review the diff, commit it with a new baseline.
 */
import { mkdirSync } from 'node:fs';
import { z } from 'zod';
import { cli, runCli } from './lib/cli';
import { buildDatasets } from '../evals/lib/build-datasets';
import { DATASETS_DIR, writeDataset } from '../evals/lib/dataset-files';

const OptionsSchema = z
  .object({
    out: z.string().min(1).default(DATASETS_DIR),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('eval:datasets', 'Generate the evaluation datasets (regression, adversarial, query) from the demo universe').option(
  '--out <dir>',
  `where to write the JSONL files (default ${DATASETS_DIR})`,
);

runCli(program, OptionsSchema, async (options) => {
  const datasets = await buildDatasets({ progress: (line) => process.stderr.write(`${line}\n`) });
  mkdirSync(options.out, { recursive: true });
  const hashes = Object.fromEntries(Object.entries(datasets).map(([name, rows]) => [name, writeDataset(options.out, name, rows)]));
  for (const [name, hash] of Object.entries(hashes))
    process.stderr.write(`${name}: ${datasets[name as keyof typeof datasets].length} rows, sha256 ${hash}\n`);
  return { out: options.out, rows: Object.fromEntries(Object.entries(datasets).map(([k, v]) => [k, v.length])), datasets: hashes };
});
