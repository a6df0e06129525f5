/**
 * `npm run bench:batch [-- --stocks N] [--as-of D] [--json]`: the batch as a user runs it, three times
 * on a fresh data dir — first run, unchanged re-run (same as-of), next business day — each a real
 * `npm run batch` process, timed from spawn to exit. Figures against docs/DESIGN.md §9.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { IsoDateSchema } from '../lambdas/core/contracts/batch-events';
import type { BatchSummary } from '../local/batch-runner';
import { cli, printJson, runCli } from '../scripts/lib/cli';

const OptionsSchema = z.object({
  stocks: z.coerce.number().int().positive().max(1000).default(1000),
  asOf: IsoDateSchema.default('2026-11-23'),
  concurrency: z.coerce.number().int().min(1).max(100).default(100),
  json: z.boolean().default(false),
});

function nextBusinessDay(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

async function timedBatch(dataDir: string, args: string[]): Promise<{ wallMs: number; summary: BatchSummary }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/batch.ts', ...args, '--json'], {
    env: { ...process.env, FA_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = Math.round(performance.now() - started);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`batch ${args.join(' ')} exited ${code}`);
  return { wallMs, summary: JSON.parse(last) as BatchSummary };
}

function figures(run: { wallMs: number; summary: BatchSummary }) {
  const s = run.summary;
  return {
    wallMs: run.wallMs,
    batchMs: s.durationMs,
    stocksPerSec: Math.round((s.stocks / (run.wallMs / 1000)) * 10) / 10,
    succeeded: s.succeeded,
    failed: s.failed,
    skippedUnchanged: s.skippedUnchanged,
    regenerated: s.regenerated,
    factsOnly: s.factsOnly,
    embeddingHitRate: s.embeddingCache.hitRate,
    passRate: s.verification.passRate,
    perStockUsd: s.cost.perStockUsd,
    peakRssMb: s.peakRssMb,
  };
}

const program = cli('bench:batch', 'Time the 1,000-stock batch: a first run, an unchanged re-run and the next business day')
  .option('--stocks <n>', 'stocks per run (default 1000)')
  .option('--as-of <date>', 'first as-of date (default 2026-11-23)')
  .option('--concurrency <c>', 'Map MaxConcurrency (default 100)');

runCli(program, OptionsSchema, async (options) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fa-bench-'));
  const common = ['--limit', String(options.stocks), '--concurrency', String(options.concurrency)];
  const nextAsOf = nextBusinessDay(options.asOf);
  try {
    process.stderr.write(`bench: ${options.stocks} stocks on a fresh data dir (${dataDir})\n`);
    const first = figures(await timedBatch(dataDir, [...common, '--as-of', options.asOf]));
    const rerun = figures(await timedBatch(dataDir, [...common, '--as-of', options.asOf]));
    const nextDay = figures(await timedBatch(dataDir, [...common, '--as-of', nextAsOf]));
    const result = {
      stocks: options.stocks,
      asOf: options.asOf,
      nextAsOf,
      firstRun: first,
      unchangedRerun: rerun,
      nextDay,
      targets: { firstRunWallMs: 60_000, unchangedRerunWallMs: 10_000, nextDayHitRate: 0.8 },
      meets: {
        firstRun: first.wallMs <= 60_000,
        unchangedRerun: rerun.wallMs <= 10_000,
        nextDayHitRate: nextDay.embeddingHitRate >= 0.8,
      },
    };
    process.stderr.write(
      [
        `first run        ${(first.wallMs / 1000).toFixed(1)} s wall (${first.stocksPerSec} stocks/s), ${first.failed} failed, peak RSS ${first.peakRssMb} MB   target ≤ 60 s`,
        `unchanged re-run ${(rerun.wallMs / 1000).toFixed(1)} s wall, ${rerun.skippedUnchanged} reused, peak RSS ${rerun.peakRssMb} MB   target ≤ 10 s`,
        `next day         ${(nextDay.wallMs / 1000).toFixed(1)} s wall, embedding-cache hit rate ${(nextDay.embeddingHitRate * 100).toFixed(1)}%, ${nextDay.skippedUnchanged} reused   target ≥ 80 %`,
        '',
      ].join('\n'),
    );
    if (options.json) printJson(result);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
