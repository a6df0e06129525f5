/**
 * `npm run bench:detect -- [--rows N] [--seed S] [--json]`: the detector's throughput on generated
 * rows shaped like the nightly batch's worst case — ~1,000 words of brief with 20 source passages
 * (prose with figures and a pipe table each) — deterministic for a seed. Prints rows/s; the run is
 * one thread, so rows/s is the per-core figure.
 */
import { cpus } from 'node:os';
import { z } from 'zod';
import { detect } from '../lambdas/core/grounding';
import type { SourceInput } from '../lambdas/core/grounding';
import { seededRandom } from '../local/bedrock-sim/random';
import { cli, runCli } from '../scripts/lib/cli';

const LINE_ITEMS = [
  'net sales',
  'operating income',
  'net income',
  'gross profit',
  'free cash flow',
  'operating cash flow',
  'capital expenditures',
  'research and development',
  'total assets',
  'long-term debt',
];
const SEGMENTS = ['Industrial', 'Consumer', 'Services', 'Software', 'Aerospace', 'Energy', 'Healthcare', 'Automotive'];
const FILLER = [
  'Management attributed the change to pricing actions and a richer product mix across the portfolio.',
  'The company continued to invest in capacity and expects supply constraints to ease over the coming quarters.',
  'Demand in the segment remained resilient despite softer conditions in several end markets.',
  'The board reaffirmed its capital allocation priorities, including the dividend and opportunistic buybacks.',
  'Foreign exchange was a modest headwind, partly offset by productivity savings in the supply chain.',
  'Analysts highlighted execution on the integration and the pipeline of new contracts.',
];

interface Row {
  text: string;
  sources: SourceInput[];
}

function makeRow(r: () => number, i: number): Row {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const year = 2020 + Math.floor(r() * 5);
  const sources: SourceInput[] = [];
  const known: Array<{ item: string; seg: string; value: number; prior: number }> = [];
  for (let p = 0; p < 20; p++) {
    const seg = pick(SEGMENTS);
    const item = pick(LINE_ITEMS);
    const value = Math.round(100 + r() * 9_000) / 10;
    const prior = Math.round(value * (0.8 + r() * 0.3) * 10) / 10;
    known.push({ item, seg, value, prior });
    const growth = (((value - prior) / prior) * 100).toFixed(1);
    const prose = [
      `In fiscal ${year}, ${seg} ${item} was $${value.toFixed(1)} million, ${value >= prior ? 'up' : 'down'} ${Math.abs(Number(growth))}% from $${prior.toFixed(1)} million in fiscal ${year - 1}.`,
      pick(FILLER),
      pick(FILLER),
      `${seg} margin was ${(10 + r() * 30).toFixed(1)}% and headcount reached ${Math.floor(1000 + r() * 9000)} employees.`,
    ].join(' ');
    const table = `| ${seg} (in millions) | FY${year} | FY${year - 1} |\n|---|---|---|\n| ${item} | ${value.toFixed(1)} | ${prior.toFixed(1)} |\n| Other | ${(value / 7).toFixed(1)} | ${(prior / 7).toFixed(1)} |`;
    sources.push({ id: `row${i}-src${p}`, text: `${prose}\n\n${table}\n\n${pick(FILLER)} ${pick(FILLER)}` });
  }
  const sentences: string[] = [];
  let words = 0;
  while (words < 1000) {
    const k = pick(known);
    const roll = r();
    let s: string;
    if (roll < 0.35) s = `${k.seg} ${k.item} was $${k.value.toFixed(1)} million in fiscal ${year}.`;
    else if (roll < 0.5) s = `${k.seg} ${k.item} rose ${(((k.value - k.prior) / k.prior) * 100).toFixed(1)}% in fiscal ${year}.`;
    else if (roll < 0.6) s = `${k.seg} ${k.item} was $${(k.value * 1.07).toFixed(1)} million in fiscal ${year}.`;
    else s = pick(FILLER);
    sentences.push(s);
    words += s.split(/\s+/).length;
  }
  return { text: sentences.join(' '), sources };
}

const OptionsSchema = z
  .object({
    rows: z.coerce.number().int().positive().default(1000),
    seed: z.coerce.number().int().nonnegative().default(42),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('bench:detect', "The detector's throughput on generated 1,000-word rows with 20 source passages each")
  .option('--rows <n>', 'rows to generate (default 1000)')
  .option('--seed <n>', 'generator seed (default 42)');

runCli(program, OptionsSchema, async (opts) => {
  const n = opts.rows;
  const random = seededRandom(opts.seed);
  const r = () => random.next();
  const rows = Array.from({ length: n }, (_, i) => makeRow(r, i));
  const words = rows.reduce((a, row) => a + row.text.split(/\s+/).length, 0) / n;
  process.stderr.write(`bench:detect: ${n} rows, ${words.toFixed(0)} words each, 20 passages each (seed ${opts.seed})\n`);
  // Warm up the JIT on a few rows so the figure is the steady state a batch sees.
  for (const row of rows.slice(0, Math.min(20, n))) detect(row);
  let claims = 0;
  let flagged = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  for (const [i, row] of rows.entries()) {
    const result = detect(row);
    claims += result.claims.length;
    if (result.hallucinated) flagged += 1;
    if ((i + 1) % 200 === 0)
      process.stderr.write(`  ${i + 1}/${n} rows, ${((i + 1) / ((performance.now() - started) / 1000)).toFixed(0)} rows/s\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // CPU seconds of this (single-threaded) process: the per-core figure, even when other work shares the machine.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rowsPerSecond = n / seconds;
  const rowsPerCpuSecond = n / cpuSeconds;
  const summary = {
    rows: n,
    wordsPerRow: Math.round(words),
    passagesPerRow: 20,
    claims,
    flaggedRows: flagged,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: Math.round(rowsPerSecond),
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    rowsPerSecondPerCore: Math.round(rowsPerCpuSecond),
    cores: cpus().length,
    target: 200,
    meetsTarget: rowsPerCpuSecond >= 200,
  };
  process.stderr.write(
    `bench:detect: ${summary.rowsPerSecond} rows/s wall clock, ${summary.rowsPerSecondPerCore} rows per CPU-second (one thread) (${claims} claims, ${flagged} rows flagged) — target ≥ 200 rows/s per core: ${summary.meetsTarget ? 'met' : 'NOT met'}\n`,
  );
  if (!opts.json) process.stdout.write(`${summary.rowsPerSecondPerCore} rows/s per core (${summary.rowsPerSecond} rows/s wall clock)\n`);
  return summary;
});
