/**
 * `npm run bench:capacity -- [--stocks N] [--speed-up S] [--concurrency C] [--tpm T] [--rpm R]
 * [--embed-rpm E] [--json]`: how long the nightly batch takes on AWS for 1,000 stocks at
 * MaxConcurrency 100, and which limit binds.
 *
 * 1. Measure: N stocks go through the real batch (a `npm run batch` process) against the Bedrock
 *    simulator at realistic latency, sped up S times, with the account's tokens-per-minute and
 *    requests-per-minute quotas enforced in simulated minutes. The run yields each stock's demand
 *    (calls, tokens, regenerations, embeddings: from the cost ledger) and a measured simulated wall
 *    time (real wall × S — an upper bound, since this machine's own CPU time is stretched S times
 *    too, where on AWS every Lambda has its own).
 * 2. Model: the capacity model (bench/capacity-model.ts) replays that demand for the
 *    sample (to check it against the measurement) and for 1,000 stocks at MaxConcurrency 100, with
 *    the same latency model, quotas, SDK retries, fallback and Step Functions Retry, and gives each
 *    limit's lower bound. The projection is the modelled wall time; the binding limit is the one
 *    with the largest lower bound.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createDocumentClient } from '../lambdas/adapters/store/dynamo-repositories';
import { DynamoCostLedger } from '../lambdas/adapters/store/cost-ledger-repository';
import { loadModelConfig } from '../lambdas/adapters/llm/model-config';
import { loadPriceTable } from '../lambdas/adapters/price-table-file';
import { simulateCapacity } from './capacity-model';
import type { CallDemand, CapacityInput, CapacityResult, RetryPolicy, StockDemand } from './capacity-model';
import type { Quota } from '../local/bedrock-sim/quota-window';
import type { CostLedgerRun } from '../lambdas/core/model/index';
import { tableNamesFor } from '../lambdas/core/contracts/tables';
import { parseSimulatorConfig, profileFor, simulatorConfigFromEnv } from '../local/bedrock-sim/config';
import type { SimulatorConfig } from '../local/bedrock-sim/config';
import { callTiming } from '../local/bedrock-sim/latency';
import { seededRandom } from '../local/bedrock-sim/random';
import { startBedrockSimulator } from '../local/bedrock-simulator';
import type { SimulatorStats } from '../local/bedrock-simulator';
import { connectOrStartDynalite } from '../local/dynalite';
import type { BatchSummary } from '../local/batch-runner';
import { cli, fail, printJson, runCli } from '../scripts/lib/cli';

const OptionsSchema = z
  .object({
    stocks: z.coerce.number().int().min(10).max(1000).default(300),
    speedUp: z.coerce.number().min(1).max(1000).default(10),
    concurrency: z.coerce.number().int().min(1).max(1000).default(100),
    project: z.coerce.number().int().min(1).max(100_000).default(1000),
    tpm: z.coerce.number().int().positive().optional(),
    rpm: z.coerce.number().int().positive().optional(),
    embedRpm: z.coerce.number().int().positive().optional(),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('bench:capacity', 'Projected AWS wall time of the nightly batch under Bedrock quotas, and which limit binds')
  .option('--stocks <n>', 'stocks in the measured sample (default 300)')
  .option('--speed-up <s>', 'simulated time runs this many times faster (default 10)')
  .option('--concurrency <c>', 'MaxConcurrency of the sample and the projection (default 100)')
  .option('--project <n>', 'stocks to project for (default 1000)')
  .option('--tpm <n>', 'tokens-per-minute quota of the writer models (default: the simulator profiles)')
  .option('--rpm <n>', 'requests-per-minute quota of the writer models (default: the simulator profiles)')
  .option('--embed-rpm <n>', 'requests-per-minute quota of Titan embeddings (default: the simulator profile)');

/** The simulator config of the bench: realistic latency, quotas on, the options' quotas applied. */
function benchConfig(options: z.infer<typeof OptionsSchema>): SimulatorConfig {
  const base = simulatorConfigFromEnv({
    ...process.env,
    FA_SIM_THROTTLE_RATE: '',
    FA_SIM_TIMEOUT_RATE: '',
    FA_SIM_ERROR_RATE: '',
    FA_SIM_MALFORMED_RATE: '',
  });
  const models = base.models.map((m) => {
    if (m.kind === 'titan-embed') return options.embedRpm ? { ...m, quota: { ...m.quota, requestsPerMinute: options.embedRpm } } : m;
    return {
      ...m,
      quota: {
        ...m.quota,
        ...(options.tpm ? { tokensPerMinute: options.tpm } : {}),
        ...(options.rpm ? { requestsPerMinute: options.rpm } : {}),
      },
    };
  });
  return parseSimulatorConfig({ ...base, models, latency: 'realistic', speedUp: options.speedUp, enforceQuotas: true, faults: {} });
}

async function measuredBatch(
  dataDir: string,
  endpoint: string,
  options: z.infer<typeof OptionsSchema>,
): Promise<{ wallMs: number; summary: BatchSummary }> {
  const started = performance.now();
  const child = spawn(
    join('node_modules', '.bin', 'tsx'),
    [
      'scripts/batch.ts',
      '--limit',
      String(options.stocks),
      '--concurrency',
      String(options.concurrency),
      '--as-of',
      '2026-11-23',
      '--json',
    ],
    {
      env: { ...process.env, FA_DATA_DIR: dataDir, FA_LLM: 'sim', FA_BEDROCK_ENDPOINT: endpoint },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (!last.startsWith('{')) throw new Error(`the measured batch exited ${code} without a summary`);
  return { wallMs, summary: JSON.parse(last) as BatchSummary };
}

async function readLedger(dataDir: string, runId: string): Promise<CostLedgerRun> {
  const dynamo = await connectOrStartDynalite(dataDir);
  const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  try {
    const run = await new DynamoCostLedger({ doc, tableName: tableNamesFor(process.env.FA_TABLE_PREFIX ?? '').costLedger }).readRun(runId);
    if (!run) throw new Error(`run ${runId} has no cost ledger rows`);
    return run;
  } finally {
    doc.destroy();
    await dynamo.close();
  }
}

/** Per-stock demands from the sample's ledger: averages per call, regenerations spread as measured. */
function demandsFrom(run: CostLedgerRun, stocks: number): StockDemand[] {
  const models = loadModelConfig(process.env.FA_MODELS_CONFIG || 'config/models.yaml');
  const prices = loadPriceTable(process.env.FA_PRICES_CONFIG || 'config/prices.yaml');
  const byTask = (task: string) => run.lines.filter((l) => l.task === task);
  const callOf = (task: 'write_summary' | 'regenerate_summary'): { demand: CallDemand; perStock: number } | undefined => {
    const lines = byTask(task);
    const calls = lines.reduce((sum, l) => sum + l.calls, 0);
    if (calls === 0) return undefined;
    const route = models.tasks[task];
    const sum = (pick: (l: (typeof lines)[number]) => number) => lines.reduce((total, l) => total + pick(l), 0);
    return {
      perStock: calls / stocks,
      demand: {
        // The routed model: the capacity model decides itself when the fallback answers instead.
        model: route.modelId,
        inputTokens: Math.round(sum((l) => l.usage.inputTokens + l.usage.cacheWriteInputTokens) / calls),
        outputTokens: Math.round(sum((l) => l.usage.outputTokens) / calls),
        maxTokens: route.maxTokens,
        burndown: 5,
      },
    };
  };
  const write = callOf('write_summary');
  const regenerate = callOf('regenerate_summary');
  const embed = byTask('embed');
  const embedCalls = embed.reduce((sum, l) => sum + l.calls, 0);
  const embedTokens = embed.reduce((sum, l) => sum + l.usage.inputTokens, 0);
  const overheadMs = prices.infrastructure?.assumptions.lambdaOverheadMsPerStock ?? 2_500;
  // 100 demand shapes: regenerations in the measured share of them.
  const regenerating = regenerate ? Math.round(Math.min(1, regenerate.perStock) * 100) : 0;
  return Array.from({ length: 100 }, (_, i) => ({
    embedModel: models.embeddings.modelId,
    embedCalls: Math.round(embedCalls / stocks),
    embedTokensPerCall: embedCalls > 0 ? Math.round(embedTokens / embedCalls) : 0,
    calls: [...(write ? [write.demand] : []), ...(regenerate && i < regenerating ? [regenerate.demand] : [])],
    overheadMs,
  }));
}

const RetrierSchema = z.object({
  ErrorEquals: z.array(z.string()),
  IntervalSeconds: z.number().default(1),
  MaxAttempts: z.number().default(3),
  BackoffRate: z.number().default(2),
  MaxDelaySeconds: z.number().optional(),
});

/** The Retry the deployed state machine gives a throttled stock, read from the ASL so the two cannot drift. */
function throttlingRetrierOfAsl(file: string): z.infer<typeof RetrierSchema> {
  const found: unknown[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Retry' && Array.isArray(value))
          found.push(...value.filter((r) => (r as { ErrorEquals?: string[] }).ErrorEquals?.includes('ModelThrottledError')));
        else walk(value);
      }
    }
  };
  walk(JSON.parse(readFileSync(file, 'utf8')));
  if (found.length !== 1) fail(`${file}: expected one Retry for ModelThrottledError, found ${found.length}`);
  return RetrierSchema.parse(found[0]);
}

const throttlingRetrier = throttlingRetrierOfAsl('statemachines/stock-batch.asl.json');
/** The SDK's standard retry (3 attempts, 500 ms throttling base) and ProcessStock's Retry for throttling in the ASL. */
const DEPLOYED_RETRY: RetryPolicy = {
  sdkAttempts: 3,
  sdkBaseDelayMs: 500,
  stateMachineRetries: throttlingRetrier.MaxAttempts,
  stateMachineIntervalMs: throttlingRetrier.IntervalSeconds * 1_000,
  stateMachineBackoff: throttlingRetrier.BackoffRate,
  stateMachineMaxDelayMs: (throttlingRetrier.MaxDelaySeconds ?? 3_600) * 1_000,
};
/** The same, but retrying a throttled stock until the quota admits it: what the quota itself allows. */
const TOLERANT_RETRY: RetryPolicy = { ...DEPLOYED_RETRY, stateMachineRetries: 10_000 };

function capacityInput(
  config: SimulatorConfig,
  demands: StockDemand[],
  stocks: number,
  concurrency: number,
  seed: number,
  retry: RetryPolicy = DEPLOYED_RETRY,
): CapacityInput {
  const models = loadModelConfig(process.env.FA_MODELS_CONFIG || 'config/models.yaml');
  const random = seededRandom(seed);
  const quotas: Record<string, Quota> = {};
  const ids = new Set([...demands.flatMap((d) => [d.embedModel, ...d.calls.map((c) => c.model)]), ...Object.keys(models.models)]);
  for (const id of ids) {
    const profile = profileFor(config, id);
    if (profile) quotas[id] = profile.quota;
  }
  return {
    stocks,
    concurrency,
    demands,
    quotas,
    latencyMs: (call, draw) => {
      const profile = profileFor(config, call.model);
      if (!profile) return 1_000;
      return callTiming(profile, { uncachedInputTokens: call.inputTokens, outputTokens: call.outputTokens }, { next: draw }).totalMs;
    },
    embedConcurrency: 8,
    fallback: Object.fromEntries(
      Object.keys(models.models).map((id) => [
        id,
        models.tasks.write_summary.modelId === id ? models.tasks.write_summary.fallbackModelId : undefined,
      ]),
    ),
    retry,
    random: () => random.next(),
  };
}

function minutes(ms: number): number {
  return Math.round((ms / 60_000) * 10) / 10;
}

function describeResult(result: CapacityResult): Record<string, unknown> {
  return {
    stocks: result.stocks,
    concurrency: result.concurrency,
    wallMinutes: minutes(result.wallMs),
    failed: result.failed,
    requests: result.requests,
    throttles: result.throttles,
    fallbacks: result.fallbacks,
    /** Writer calls answered by the fallback model instead of the routed one. */
    fallbackShare: Math.round((result.fallbacks / Math.max(1, result.stocks)) * 1000) / 1000,
    stockRetries: result.stockRetries,
    boundsMinutes: {
      concurrency: minutes(result.bounds.concurrencyMs),
      tokensPerMinute: Object.fromEntries(
        Object.entries(result.bounds.tokensPerMinuteMs)
          .filter(([, ms]) => ms > 0)
          .map(([m, ms]) => [m, minutes(ms)]),
      ),
      requestsPerMinute: Object.fromEntries(
        Object.entries(result.bounds.requestsPerMinuteMs)
          .filter(([, ms]) => ms > 0)
          .map(([m, ms]) => [m, minutes(ms)]),
      ),
    },
    binding: { ...result.binding, boundMinutes: minutes(result.binding.boundMs) },
  };
}

runCli(program, OptionsSchema, async (options) => {
  const config = benchConfig(options);
  const simulator = await startBedrockSimulator({ config });
  const dataDir = mkdtempSync(join(tmpdir(), 'fa-bench-capacity-'));
  try {
    const quotas = config.models
      .map(
        (m) =>
          `${m.name} ${m.quota.tokensPerMinute ? `${(m.quota.tokensPerMinute / 1e6).toFixed(2)}M TPM` : 'no TPM'}/${m.quota.requestsPerMinute ?? '∞'} RPM`,
      )
      .join(', ');
    process.stderr.write(
      `bench:capacity: ${options.stocks} stocks at MaxConcurrency ${options.concurrency} through the simulator, realistic latency sped up ${options.speedUp}×, quotas ${quotas}\n`,
    );
    const measured = await measuredBatch(dataDir, simulator.endpoint, options);
    const stats: SimulatorStats = simulator.stats();
    await simulator.close();
    const run = await readLedger(dataDir, measured.summary.runId);
    const demands = demandsFrom(run, measured.summary.stocks);
    const sample = simulateCapacity(capacityInput(config, demands, options.stocks, options.concurrency, 1));
    const deployed = simulateCapacity(capacityInput(config, demands, options.project, options.concurrency, 2));
    const tolerant = simulateCapacity(capacityInput(config, demands, options.project, options.concurrency, 2, TOLERANT_RETRY));
    // The fastest MaxConcurrency at which no stock fails with the deployed Retry under these quotas
    // (the projection's seed, so the sweep's row at the projected concurrency is the projection).
    const sweep = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
      .filter((c) => c <= options.concurrency)
      .map((c) => {
        const r = simulateCapacity(capacityInput(config, demands, options.project, c, 2));
        return { concurrency: c, wallMinutes: minutes(r.wallMs), failed: r.failed, fallbacks: r.fallbacks };
      });
    const safe = sweep.filter((r) => r.failed === 0).sort((a, b) => a.wallMinutes - b.wallMinutes)[0];
    const measuredSimulatedMs = measured.wallMs * options.speedUp;
    const targetMinutes = 20;
    const demand = demands[0]!;
    const headline = deployed.failed === 0 ? deployed : tolerant;
    const result = {
      speedUp: options.speedUp,
      quotas: Object.fromEntries(config.models.map((m) => [m.name, m.quota])),
      demandPerStock: {
        embedCalls: demand.embedCalls,
        embedTokensPerCall: demand.embedTokensPerCall,
        writerCall: demand.calls[0],
        regenerationShare: demands.filter((d) => d.calls.length > 1).length / demands.length,
        lambdaOverheadMs: demand.overheadMs,
      },
      measured: {
        stocks: measured.summary.stocks,
        failed: measured.summary.failed,
        realWallMs: Math.round(measured.wallMs),
        simulatedWallMinutes: minutes(measuredSimulatedMs),
        throttles: Object.fromEntries(
          Object.entries(stats.models).map(([name, st]) => [name, st.throttledByTokens + st.throttledByRequests]),
        ),
        requests: Object.fromEntries(Object.entries(stats.models).map(([name, st]) => [name, st.requests])),
      },
      modelledSample: describeResult(sample),
      projection: {
        stocks: options.project,
        concurrency: options.concurrency,
        wallMinutes: minutes(headline.wallMs),
        binding: { ...headline.binding, boundMinutes: minutes(headline.binding.boundMs) },
        deployedRetry: describeResult(deployed),
        throttleTolerantRetry: describeResult(tolerant),
        concurrencySweep: sweep,
        fastestLosslessConcurrency: safe ?? null,
      },
      targetMinutes,
      meetsTarget: minutes(headline.wallMs) < targetMinutes,
    };
    const b = headline.binding;
    const bounds = headline.bounds;
    process.stderr.write(
      [
        `measured: ${measured.summary.stocks} stocks in ${(measured.wallMs / 1000).toFixed(1)} s real = ${minutes(measuredSimulatedMs)} simulated minutes (an upper bound: this machine's CPU time is stretched ${options.speedUp}× too), ${measured.summary.failed} failed`,
        `modelled: the same sample in ${minutes(sample.wallMs)} minutes, ${sample.failed} failed`,
        `projection for ${options.project} stocks at MaxConcurrency ${options.concurrency} on AWS: ${minutes(headline.wallMs)} minutes (target < ${targetMinutes})`,
        `  binding limit: ${b.limit}${b.model ? ` of ${b.model}` : ''} (alone it would need ${minutes(b.boundMs)} min${headline.fallbacks > 0 ? `; the fallback model's own quota takes the overflow: ${headline.fallbacks} writer calls` : ''})`,
        `  bounds if every call stayed on its planned model: concurrency ${minutes(bounds.concurrencyMs)} min; ` +
          [
            ...Object.entries(bounds.tokensPerMinuteMs)
              .filter(([, ms]) => ms > 0)
              .map(([m, ms]) => `${m} TPM ${minutes(ms)} min`),
            ...Object.entries(bounds.requestsPerMinuteMs)
              .filter(([, ms]) => ms > 0)
              .map(([m, ms]) => `${m} RPM ${minutes(ms)} min`),
          ].join(', '),
        `  with the deployed Retry (${DEPLOYED_RETRY.stateMachineRetries} retries, ≤ ${(DEPLOYED_RETRY.stateMachineMaxDelayMs ?? 0) / 1000} s): ${minutes(deployed.wallMs)} min, ${deployed.failed} stocks failed (recorded, finished by a re-run), ${deployed.fallbacks} fallbacks to the small model`,
        `  retrying throttled stocks until admitted: ${minutes(tolerant.wallMs)} min, ${tolerant.failed} failed`,
        safe
          ? `  fastest MaxConcurrency at which no stock fails with the deployed Retry: ${safe.concurrency} (${safe.wallMinutes} min)`
          : '  at every MaxConcurrency tried some stock fails with the deployed Retry',
        '',
      ].join('\n'),
    );
    if (options.json) printJson(result);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
