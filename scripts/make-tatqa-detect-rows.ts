/**
 * `node --import tsx scripts/make-tatqa-detect-rows.ts [--data ../shared/data/tatqa/tatqa_dataset_dev.json] [--out FILE.jsonl]`:
 * write the TAT-QA detect rows (gold claims and their perturbed copies, labelled) as detect JSONL,
 * so the rows the shared-data test measures go through `npm run detect` too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { tatqaRows } from './lib/tatqa-rows';
import type { TatqaItem } from './lib/tatqa-rows';

const program = new Command('make-tatqa-detect-rows')
  .option('--data <file>', 'TAT-QA dataset JSON', resolve(process.cwd(), '../shared/data/tatqa/tatqa_dataset_dev.json'))
  .option('--out <file>', 'output JSONL', 'tatqa-detect-rows.jsonl')
  .option('--variant <name>', 'only rows of this variant (gold, scale10, value7, other_year, wrong_line_item, flip_sign)')
  .exitOverride((e) => process.exit(e.code === 'commander.helpDisplayed' ? 0 : 2))
  .parse(process.argv);
const opts = program.opts<{ data: string; out: string; variant?: string }>();
let items: TatqaItem[];
try {
  items = JSON.parse(readFileSync(opts.data, 'utf8')) as TatqaItem[];
} catch (error) {
  process.stderr.write(`error: cannot read ${opts.data}: ${(error as Error).message.split('\n')[0]}\n`);
  process.exit(2);
}
const rows = tatqaRows(items).filter((r) => !opts.variant || r.variant === opts.variant);
writeFileSync(opts.out, rows.map((r) => JSON.stringify({ id: r.id, text: r.text, sources: r.sources, label: r.label })).join('\n') + '\n');
const counts = new Map<string, number>();
for (const r of rows) counts.set(r.variant, (counts.get(r.variant) ?? 0) + 1);
process.stderr.write(`wrote ${rows.length} rows to ${opts.out} (${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')})\n`);
