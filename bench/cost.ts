/**
 * `npm run bench:cost -- [--stocks N] [--days D] [--as-of YYYY-MM-DD] [--json]`: what the product's
 * cost levers save. The same stocks go through the Bedrock simulator twice, each on a fresh data
 * dir and for D consecutive business days (a cold first night, then normal nights):
 *
 * - a naive baseline: every task on the strong model, no prompt caching (no cache points sent),
 *   no skip-unchanged (every stock rewritten every night), no embedding cache (every chunk
 *   re-embedded every night);
 * - the product as configured.
 *
 * Each night is a real `npm run batch` process (FA_LLM=sim, simulator without latency waits: the
 * figures are cost, not time). Cost per stock includes infrastructure. Prints
 * `{stocks, baseline {perStockUsd}, product {perStockUsd}, ratio}` plus the nights.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { IsoDateSchema } from '../lambdas/core/contracts/batch-events';
import { ModelConfigFileSchema } from '../lambdas/core/routing/routing-config';
import type { BatchSummary } from '../local/batch-runner';
import { cli, printJson, runCli } from '../scripts/lib/cli';

const OptionsSchema = z
  .object({
    stocks: z.coerce.number().int().positive().max(1000).default(200),
    days: z.coerce.number().int().min(1).max(10).default(2),
    asOf: IsoDateSchema.default('2026-11-23'),
    concurrency: z.coerce.number().int().min(1).max(1000).default(100),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('bench:cost', 'Cost per stock of a naive baseline and of the product, through the Bedrock simulator')
  .option('--stocks <n>', 'stocks per night (default 200)')
  .option('--days <d>', 'consecutive business days, the first one cold (default 2)')
  .option('--as-of <date>', 'first night (default 2026-11-23)')
  .option('--concurrency <c>', 'Map MaxConcurrency (default 100)');

function businessDays(first: string, count: number): string[] {
  const days = [first];
  const d = new Date(`${first}T12:00:00Z`);
  while (days.length < count) {
    do d.setUTCDate(d.getUTCDate() + 1);
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

/** config/models.yaml with every task on the most expensive model and prompt caching off. */
function naiveModelsYaml(source: string): string {
  const file = ModelConfigFileSchema.parse(parseYaml(readFileSync(source, 'utf8')));
  const strongest = Object.entries(file.models).sort((a, b) => b[1].costRank - a[1].costRank)[0]![0];
  const models = Object.fromEntries(Object.entries(file.models).map(([name, spec]) => [name, { ...spec, promptCaching: false }]));
  const tasks = Object.fromEntries(
    Object.entries(file.tasks).map(([task, route]) => {
      // No downgrade and no fallback to a cheaper model either: the strong model, always.
      const { downgradeModel: _downgrade, fallbackModel: _fallback, ...rest } = route!;
      return [task, { ...rest, model: strongest, allowFallback: false }];
    }),
  );
  return stringifyYaml({ ...file, models, tasks });
}

async function night(dataDir: string, asOf: string, options: z.infer<typeof OptionsSchema>, env: NodeJS.ProcessEnv): Promise<BatchSummary> {
  const args = [
    'scripts/batch.ts',
    '--limit',
    String(options.stocks),
    '--concurrency',
    String(options.concurrency),
    '--as-of',
    asOf,
    '--json',
  ];
  const child = spawn(join('node_modules', '.bin', 'tsx'), args, {
    env: { ...process.env, ...env, FA_DATA_DIR: dataDir, FA_LLM: 'sim', FA_SIM_LATENCY: 'none', FA_BEDROCK_ENDPOINT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (!last.startsWith('{')) throw new Error(`batch for ${asOf} exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`);
  return JSON.parse(last) as BatchSummary;
}

interface Figures {
  perStockUsd: number;
  totalUsd: number;
  nights: Array<{
    asOf: string;
    perStockUsd: number;
    totalUsd: number;
    failed: number;
    skippedUnchanged: number;
    embeddingHitRate: number;
    tokens: BatchSummary['tokens'];
  }>;
}

async function configuration(name: string, options: z.infer<typeof OptionsSchema>, env: NodeJS.ProcessEnv): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), `fa-bench-cost-${name}-`));
  try {
    const nights: Figures['nights'] = [];
    for (const asOf of businessDays(options.asOf, options.days)) {
      const s = await night(dataDir, asOf, options, env);
      nights.push({
        asOf,
        perStockUsd: s.cost.perStockUsd,
        totalUsd: s.cost.totalUsd,
        failed: s.failed,
        skippedUnchanged: s.skippedUnchanged,
        embeddingHitRate: s.embeddingCache.hitRate,
        tokens: s.tokens,
      });
      process.stderr.write(
        `  ${name} ${asOf}: $${s.cost.perStockUsd.toFixed(5)} per stock, ${s.skippedUnchanged} unchanged and reused, embedding-cache hit rate ${(s.embeddingCache.hitRate * 100).toFixed(0)}%, ${s.failed} failed\n`,
      );
    }
    const totalUsd = nights.reduce((sum, n) => sum + n.totalUsd, 0);
    return {
      perStockUsd: Math.round((totalUsd / (options.stocks * nights.length)) * 1e6) / 1e6,
      totalUsd: Math.round(totalUsd * 1e6) / 1e6,
      nights,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runCli(program, OptionsSchema, async (options) => {
  const scratch = mkdtempSync(join(tmpdir(), 'fa-bench-cost-'));
  try {
    const naiveModels = join(scratch, 'models-naive.yaml');
    writeFileSync(naiveModels, naiveModelsYaml(process.env.FA_MODELS_CONFIG || 'config/models.yaml'));
    process.stderr.write(
      `bench:cost: ${options.stocks} stocks × ${options.days} nights from ${options.asOf}, through the Bedrock simulator\n`,
    );
    const baseline = await configuration('baseline', options, {
      FA_MODELS_CONFIG: naiveModels,
      FA_SKIP_UNCHANGED: 'off',
      FA_EMBEDDING_CACHE: 'off',
    });
    const product = await configuration('product', options, {});
    const ratio = product.perStockUsd > 0 ? Math.round((baseline.perStockUsd / product.perStockUsd) * 100) / 100 : 0;
    const steady = (f: Figures) =>
      f.nights.length > 1 ? f.nights.slice(1).reduce((sum, n) => sum + n.perStockUsd, 0) / (f.nights.length - 1) : f.nights[0]!.perStockUsd;
    const steadyRatio = steady(product) > 0 ? Math.round((steady(baseline) / steady(product)) * 100) / 100 : 0;
    process.stderr.write(
      [
        `baseline: $${baseline.perStockUsd.toFixed(5)} per stock-night (every task on the strong model, no prompt caching, no skip-unchanged, no embedding cache)`,
        `product:  $${product.perStockUsd.toFixed(5)} per stock-night`,
        `ratio:    ${ratio}× over ${options.days} night(s)${options.days > 1 ? `; ${steadyRatio}× on the nights after the first` : ''} (infrastructure included; target ≤ $0.10 per stock)`,
        '',
      ].join('\n'),
    );
    if (options.json) {
      printJson({
        stocks: options.stocks,
        days: options.days,
        asOf: options.asOf,
        baseline,
        product,
        ratio,
        steadyState: {
          baselinePerStockUsd: Math.round(steady(baseline) * 1e6) / 1e6,
          productPerStockUsd: Math.round(steady(product) * 1e6) / 1e6,
          ratio: steadyRatio,
        },
        targetPerStockUsd: 0.1,
        meetsTarget: product.perStockUsd <= 0.1,
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
