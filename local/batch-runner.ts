/**
 * One batch run on the embedded runtime: the real state machine, the real handlers, dynalite.
 * Shared by `npm run batch`, `npm start` and the benchmark.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { RunTotals } from '../lambdas/core/model/index';
import { startLocalRuntime } from './runtime';
import type { LocalRuntime } from './runtime';
import { runStockBatch } from './state-machine';
import { scoreDetector } from './detector-score';
import type { DetectorScore } from './detector-score';
import { PLANTED_ERRORS_FILE, readPlantedErrors } from '../lambdas/adapters/llm/planted-error-log';
import { InputValidationError } from '../lambdas/core/errors';
import type { UniverseSource } from '../lambdas/core/ports';

export interface BatchOptions {
  limit?: number;
  concurrency: number;
  asOf?: string;
  tickers?: string[];
  /** Show the progress bar on stderr. */
  progress: boolean;
}

export type BatchSummary = { runId: string; asOf: string } & RunTotals & {
    peakRssMb: number;
    dataDir: string;
    /** The run's first stock, for the hints a person sees. */ exampleTicker?: string;
    /** With the local writer: the verifier on the errors it planted. */ detector?: DetectorScore;
  };

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One batch at a time per data dir. A lock left by a killed batch is taken over, and the runs that
 * batch never finalised are marked interrupted (their finished stocks are kept and skipped next time).
 */
async function takeBatchLock(runtime: LocalRuntime): Promise<() => void> {
  const lock = join(runtime.dataDir, 'batch.lock');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (pid !== process.pid && alive(pid)) throw new Error(`another batch (pid ${pid}) is running on ${runtime.dataDir}`);
  }
  writeFileSync(lock, String(process.pid));
  const { batchDependencies } = await import('../lambdas/wiring/batch');
  const { runs } = (await batchDependencies()).repositories;
  for (const run of await runs.runningRuns()) {
    await runs.updateRun({ ...run, status: 'interrupted', finishedAt: new Date().toISOString() });
    process.stderr.write(`note: run ${run.runId} was interrupted before it finished; its completed stocks are kept\n`);
  }
  return () => rmSync(lock, { force: true });
}

/**
 * `--tickers` picks from the universe the batch will read: an unknown ticker stops the run before
 * a run record exists, so nothing stored changes.
 * @throws InputValidationError naming up to five unknown tickers.
 */
export async function checkTickers(tickers: readonly string[], universe: UniverseSource): Promise<void> {
  const known = new Set((await universe.list()).map((company) => company.ticker));
  const unknown = tickers.filter((ticker) => !known.has(ticker));
  if (unknown.length > 0)
    throw new InputValidationError(
      `--tickers ${unknown.length > 1 ? 'has tickers' : 'has a ticker'} not in the universe: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
    );
}

export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const runtime = await startLocalRuntime();
  let releaseLock: () => void = () => {};
  try {
    releaseLock = await takeBatchLock(runtime);
    // Read (and so validate) the universe before the state machine starts: a bad universe file is
    // then one line naming its line, not a failed execution.
    const { batchDependencies } = await import('../lambdas/wiring/batch');
    await checkTickers(options.tickers ?? [], (await batchDependencies()).sources.universe);
  } catch (error) {
    releaseLock();
    await closeRuntime(runtime);
    throw error;
  }
  const processStock = (await import('../lambdas/handlers/process-stock')).handler;
  // FA_FAULT_TICKERS=A,B makes ProcessStock crash for those stocks, as a Lambda that dies would: the
  // real ASL's Catch then records the failure. How the dashboard and tests see a failed stock.
  const faulty = new Set(
    (process.env.FA_FAULT_TICKERS ?? '')
      .split(',')
      .map((t) => t.trim().toUpperCase())
      .filter(Boolean),
  );
  const handlers = {
    PrepareBatch: (await import('../lambdas/handlers/prepare-batch')).handler,
    ProcessStock:
      faulty.size === 0
        ? processStock
        : (((event: { ticker?: string }, context: unknown) => {
            if (event?.ticker && faulty.has(event.ticker.toUpperCase()))
              return Promise.reject(new Error(`injected fault: FA_FAULT_TICKERS names ${event.ticker}`));
            return (processStock as (e: unknown, c: unknown) => unknown)(event, context);
          }) as typeof processStock),
    RecordFailure: (await import('../lambdas/handlers/record-failure')).handler,
    FinalizeBatch: (await import('../lambdas/handlers/finalize-batch')).handler,
  };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'batch |{bar}| {value}/{total} stocks | {rate}/s | ETA {eta_formatted} | failed {failed}',
      hideCursor: true,
      etaBuffer: 200,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let done = 0;
  let failed = 0;
  let exampleTicker: string | undefined;
  try {
    const input = {
      concurrency: options.concurrency,
      ...(options.asOf ? { asOf: options.asOf } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.tickers ? { tickers: options.tickers } : {}),
    };
    const result = (await runStockBatch(input, handlers, {
      prepared: (run) => {
        exampleTicker = run.tickers[0];
        if (options.progress) bar.start(run.tickers.length, 0, { rate: '0.0', failed: 0 });
      },
      stockDone: ({ failed: isFailure }) => {
        done += 1;
        if (isFailure) failed += 1;
        const rate = (done / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(1);
        if (options.progress) bar.update(done, { rate, failed });
      },
    })) as { runId: string; asOf: string } & RunTotals;
    const detector = await localDetectorScore(runtime.dataDir, result.runId, result.asOf);
    return {
      ...result,
      peakRssMb: peakRssMb(),
      dataDir: runtime.dataDir,
      ...(exampleTicker ? { exampleTicker } : {}),
      ...(detector ? { detector } : {}),
    };
  } finally {
    if (options.progress) bar.stop();
    releaseLock();
    await closeRuntime(runtime);
  }
}

async function closeRuntime(runtime: LocalRuntime): Promise<void> {
  const { batchDependencies } = await import('../lambdas/wiring/batch');
  await (await batchDependencies()).close();
  await runtime.close();
}

/** With the local writer, how the verifier did on the errors it planted in this run's drafts. */
async function localDetectorScore(dataDir: string, runId: string, asOf: string): Promise<DetectorScore | undefined> {
  if ((process.env.FA_LLM || 'local') !== 'local') return undefined;
  const planted = readPlantedErrors(join(dataDir, PLANTED_ERRORS_FILE));
  const { batchDependencies } = await import('../lambdas/wiring/batch');
  const outcomes = await (await batchDependencies()).repositories.runs.listStockOutcomes(runId);
  return scoreDetector(outcomes, planted, asOf);
}

/** The human-readable account of a run, for stderr. */
export function describeRun(summary: BatchSummary): string {
  const t = summary;
  return [
    `run ${t.runId} (as of ${t.asOf}): ${t.stocks} stocks in ${(t.durationMs / 1000).toFixed(1)} s`,
    `  succeeded ${t.succeeded} (verified ${t.verified}, regenerated ${t.regenerated}, facts-only ${t.factsOnly}; unchanged and reused ${t.skippedUnchanged}), failed ${t.failed}`,
    `  embedding cache: ${t.embeddingCache.hits} hits, ${t.embeddingCache.misses} misses, hit rate ${(t.embeddingCache.hitRate * 100).toFixed(1)}%${t.embeddingCache.degraded > 0 ? `, ${t.embeddingCache.degraded} degraded lookups` : ''}`,
    `  verification pass rate ${(t.verification.passRate * 100).toFixed(1)}% over ${t.verification.claimsChecked} checked claims`,
    `  cost $${t.cost.totalUsd.toFixed(4)} total, $${t.cost.perStockUsd.toFixed(5)} per stock${t.cost.estimated ? ' (estimated from local token counts)' : ''}`,
    ...(t.detector && t.detector.planted + t.detector.clean > 0
      ? [
          `  verifier on the local writer's planted errors: caught ${t.detector.caught} of ${t.detector.planted} (recall ${(t.detector.recall * 100).toFixed(1)}%), ` +
            `sent back ${t.detector.falsePositives} of ${t.detector.clean} clean drafts (false positives ${(t.detector.falsePositiveRate * 100).toFixed(1)}%)` +
            (t.detector.planted > t.detector.caught
              ? `; missed: ${Object.entries(t.detector.byKind)
                  .filter(([, k]) => k.caught < k.planted)
                  .map(([kind, k]) => `${kind} ${k.planted - k.caught}`)
                  .join(', ')}`
              : ''),
        ]
      : []),
    `  peak RSS ${t.peakRssMb} MB`,
    ...t.failures.slice(0, 10).map((f) => `  failed ${f.ticker}: ${f.error}`),
    ...(t.embeddingCache.degraded > 0
      ? [
          `warning: the embedding cache was unavailable for ${t.embeddingCache.degraded} lookups; they were treated as misses (details in ${t.dataDir}/logs.jsonl)`,
        ]
      : []),
  ].join('\n');
}
