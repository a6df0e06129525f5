/**
 * One evaluation: load and check the datasets, run the chosen suites on the embedded runtime in a
 * throwaway data dir (the real batch through the state machine on dynalite, the real query path),
 * judge every metric against evals/thresholds.json and the accepted baseline, and write the
 * reports. Exit codes: 0 pass, 100 a quality gate failed, 1 an infrastructure error (thrown).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../lambdas/core/errors';
import { judgeSuite, parseBaseline, parseThresholds, SUITES } from '../../lambdas/core/evaluation/gate';
import type { Baseline, MetricVerdict, SuiteName } from '../../lambdas/core/evaluation/gate';
import { verifyDraftGrounding } from '../../lambdas/core/grounding';
import { loadDatasets } from './dataset-files';
import type { LoadedDatasets } from './dataset-files';
import { pinnedMaterials } from './materials';
import { runRegressionSuite } from './suites/regression';
import { runAdversarialSuite } from './suites/adversarial';
import { runQuerySuite } from './suites/query';
import { runGoldenChecks } from './suites/golden';
import type { ItemResult, Progress, SuiteRun } from './suites/types';

export type EvalLlm = 'local' | 'sim' | 'bedrock';

export interface EvalOptions {
  suites: readonly SuiteName[];
  llm: EvalLlm;
  /** Evaluate only the first N regression stocks (and the rows and questions over them). */
  limit?: number;
  datasetsDir?: string;
  thresholdsFile?: string;
  /** The accepted baseline; none: no paired comparison. */
  baselineFile?: string;
  concurrency?: number;
  /** `experiment=arm[,…]`: every unit written and answered through that arm (FA_EXPERIMENT_FORCE). */
  arms?: string;
  progress: Progress;
}

export interface SuiteReport {
  n: number;
  metrics: Record<string, MetricVerdict>;
  failing: ItemResult[];
  notes: SuiteRun['notes'];
  /** Every item's verdict and what it contributes to the experiment metrics: `npm run ab -- simulate` pairs arms on these. */
  items: Record<string, { pass: boolean; observations?: Record<string, number>; arm?: string }>;
}

export interface EvalReport {
  pass: boolean;
  suites: Partial<Record<SuiteName, SuiteReport>>;
  datasets: Record<string, string>;
  llm: EvalLlm;
  /** The forced arms, when the suite ran through one arm of an experiment. */
  arms?: string;
  startedAt: string;
  seconds: number;
  baseline?: { file: string; comparable: boolean };
}

export const DEFAULT_THRESHOLDS = 'evals/thresholds.json';
export const DEFAULT_BASELINE = 'evals/baselines/local.json';

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `${what} ${file} cannot be read as JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
}

/** Questions about the evaluated stocks only (and the refusals about none). */
function sliceQueries(datasets: LoadedDatasets, tickers: Set<string>) {
  return datasets.query.rows.filter((row) => row.about.every((t) => tickers.has(t)));
}

export async function runEvaluation(options: EvalOptions): Promise<EvalReport> {
  const started = Date.now();
  const progress = options.progress;
  const thresholds = parseThresholds(readJson(options.thresholdsFile ?? DEFAULT_THRESHOLDS, 'thresholds'));
  const baseline: Baseline | undefined = options.baselineFile ? parseBaseline(readJson(options.baselineFile, 'baseline')) : undefined;
  const datasets = loadDatasets(options.datasetsDir);
  const hashes = { regression: datasets.regression.hash, adversarial: datasets.adversarial.hash, query: datasets.query.hash };
  const regressionRows = datasets.regression.rows.slice(0, options.limit ?? datasets.regression.rows.length);
  const tickers = new Set(regressionRows.map((r) => r.ticker));
  const allTickers = new Set(datasets.regression.rows.map((r) => r.ticker));
  progress(`eval: ${regressionRows.length} stocks; suites ${options.suites.join(', ')}; model ${options.llm}`);
  const materials = await pinnedMaterials(regressionRows);
  const runs: Partial<Record<SuiteName, SuiteRun>> = {};

  if (options.suites.includes('adversarial')) {
    const bases = new Map(regressionRows.map((row) => [row.id, { row, snapshot: materials.get(row.id)!.snapshot }]));
    runs.adversarial = runAdversarialSuite(datasets.adversarial.rows, bases, verifyDraftGrounding, progress);
  }

  if (options.suites.includes('regression') || options.suites.includes('query')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'fa-eval-'));
    Object.assign(process.env, {
      FA_DATA_DIR: dataDir,
      FA_LLM: options.llm,
      FA_SIM_LATENCY: process.env.FA_SIM_LATENCY || 'none',
      ...(options.arms ? { FA_EXPERIMENT_FORCE: options.arms } : {}),
    });
    const { startLocalRuntime } = await import('../../local/runtime');
    // This runtime owns dynalite for the whole evaluation; the batch's runtime joins it.
    const runtime = await startLocalRuntime('query');
    try {
      const { runBatch } = await import('../../local/batch-runner');
      const asOfs = [...new Set(regressionRows.map((r) => r.asOf))];
      let durationMs = 0;
      let failed = 0;
      for (const asOf of asOfs) {
        const batchTickers = regressionRows.filter((r) => r.asOf === asOf).map((r) => r.ticker);
        progress(`eval: batch of ${batchTickers.length} stocks as of ${asOf} on the embedded runtime`);
        const summary = await runBatch({ tickers: batchTickers, asOf, concurrency: options.concurrency ?? 4, progress: false });
        durationMs += summary.durationMs;
        failed += summary.failed;
      }
      const { queryDependencies } = await import('../../lambdas/wiring/query');
      const deps = await queryDependencies();
      try {
        const readBrief = (ticker: string) => deps.summaries.getLatest(ticker);
        if (options.suites.includes('regression')) {
          runs.regression = await runRegressionSuite(
            regressionRows,
            materials,
            { readBrief, batch: { durationMs, failed, stocks: regressionRows.length } },
            progress,
          );
        }
        if (options.suites.includes('query')) {
          const { answerQuery } = await import('../../lambdas/core/query/query-service');
          const rows = sliceQueries(datasets, tickers);
          const query = await runQuerySuite(
            rows,
            {
              answer: (input) => answerQuery('eval-fa', input, deps),
              readBrief,
              otherTickers: [...allTickers].filter((t) => !tickers.has(t)).concat(['ZZQX', 'QWXZ']),
            },
            progress,
          );
          // The pre-traffic hook's golden subset, through the real handler, on the first regression stock.
          const { createQueryApiHandler } = await import('../../lambdas/handlers/query-api');
          const golden = await runGoldenChecks(
            createQueryApiHandler(async () => deps),
            regressionRows[0]!.ticker,
          );
          query.estimates.golden_checks = golden.estimate;
          query.items.push(...golden.items);
          runs.query = query;
          progress(`query: golden subset ${golden.items.filter((i) => i.pass).length}/${golden.items.length} checks passed`);
        }
      } finally {
        await deps.close();
      }
    } finally {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  const comparable =
    baseline !== undefined && baseline.llm === options.llm && Object.entries(hashes).every(([k, h]) => baseline.datasets[k] === h);
  if (baseline && !comparable) progress('eval: the baseline was measured on other datasets or another model: no paired comparison');
  const suites: EvalReport['suites'] = {};
  for (const name of SUITES) {
    const run = runs[name];
    if (!run) continue;
    // A sliced run is not the baseline's population: compare only full runs.
    const paired = comparable && options.limit === undefined ? baseline!.suites[name] : undefined;
    const metrics = judgeSuite(name, run.estimates, thresholds, paired);
    const items = Object.fromEntries(
      run.items.map((i) => [i.id, { pass: i.pass, ...(i.observations ? { observations: i.observations } : {}) }]),
    );
    suites[name] = { n: run.n, metrics, failing: run.items.filter((i) => !i.pass), notes: run.notes, items };
  }
  const pass = Object.values(suites).every((s) => Object.values(s.metrics).every((m) => m.pass));
  return {
    pass,
    suites,
    datasets: hashes,
    llm: options.llm,
    ...(options.arms ? { arms: options.arms } : {}),
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    ...(options.baselineFile ? { baseline: { file: options.baselineFile, comparable } } : {}),
  };
}

/** 0 when every gate passed, 100 when a quality gate failed (an infrastructure error throws instead: exit 1). */
export const QUALITY_GATE_FAILED = 100;
export function exitCodeOf(report: EvalReport): 0 | 100 {
  return report.pass ? 0 : QUALITY_GATE_FAILED;
}

/** The contract line: {pass, suites: {NAME: {n, metrics: {METRIC: {value, low, high, threshold, pass}}}}, datasets}. */
export function contractLine(report: EvalReport): Record<string, unknown> {
  return {
    pass: report.pass,
    suites: Object.fromEntries(
      Object.entries(report.suites).map(([name, suite]) => [
        name,
        {
          n: suite.n,
          metrics: Object.fromEntries(
            Object.entries(suite.metrics).map(([metric, v]) => [
              metric,
              { value: v.value, low: v.low, high: v.high, threshold: v.threshold, pass: v.pass },
            ]),
          ),
        },
      ]),
    ),
    datasets: report.datasets,
  };
}

/** A baseline document from an accepted report. */
export function baselineOf(report: EvalReport): Baseline {
  return {
    acceptedAt: report.startedAt,
    llm: report.llm,
    datasets: report.datasets,
    suites: Object.fromEntries(
      Object.entries(report.suites).map(([name, s]) => [
        name,
        {
          n: s.n,
          metrics: Object.fromEntries(Object.entries(s.metrics).map(([m, v]) => [m, { value: v.value, low: v.low, high: v.high }])),
        },
      ]),
    ),
  };
}
