/**
 * The composition root: builds every adapter once per process from the parsed environment, so
 * handlers stay thin and the core stays pure. The same wiring serves AWS and the embedded runtime.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EmbedderPort, EmbeddingHashCache, LlmPort, Sources } from '../core/ports/index';
import type { CacheDegradation } from '../core/ports/index';
import { createDocumentClient, createRepositories } from '../adapters/store/dynamo-repositories';
import type { Repositories } from '../adapters/store/dynamo-repositories';
import { createDemoSources } from '../adapters/sources/demo/index';
import { extractMetrics } from '../adapters/sources/edgar/companyfacts';
import { FileHashCache } from '../adapters/cache/file-hash-cache';
import { LocalEmbedder } from '../adapters/embedder/local-embedder';
import { LocalGroundedLlm } from '../adapters/llm/local-grounded-llm';
import { loadModelConfig, promptCachingFor } from '../adapters/llm/model-config';
import { withFallback } from '../core/routing/routed-llm';
import { ModelRouter } from '../core/routing/model-router';
import { loadPriceTable } from '../adapters/price-table-file';
import type { ProcessStockDeps } from '../core/pipeline/process-stock';
import type { ModelChoice } from '../core/pipeline/write-and-verify';
import type { RouteContext } from '../core/routing/model-router';
import type { CostDeps } from '../core/cost/unit-cost';
import { DynamoCostLedger } from '../adapters/store/cost-ledger-repository';
import { EmfCostLedger } from '../adapters/cost/emf-cost-ledger';
import { meterConsumedCapacity } from '../adapters/cost/dynamo-capacity-meter';
import { loadBudgets } from '../adapters/cost/budgets-file';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { env } from './config';
import type { Env } from './config';
import { logger, metrics, MetricUnit, METRICS_NAMESPACE } from './telemetry';
import { tableNamesFor } from '../core/contracts/tables';

export interface BatchDependencies {
  repositories: Repositories;
  sources: Sources;
  processStock: ProcessStockDeps;
  /** Run `work` with its own count of embedding-cache degradations (exact under concurrency). */
  withDegradationScope<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Per stock: embedding-cache degradations and DynamoDB capacity consumed (exact under concurrency). */
const degradationScope = new AsyncLocalStorage<{ degraded: number; readUnits: number; writeUnits: number }>();

function onCacheDegraded(reason: CacheDegradation, detail: string): void {
  const scope = degradationScope.getStore();
  if (scope) scope.degraded += 1;
  metrics.addMetric('EmbeddingCacheDegraded', MetricUnit.Count, 1);
  // The breaker makes most of these `breaker_open`, which need no log line of their own.
  if (reason !== 'breaker_open') logger.warn('embedding cache degraded; treating as a miss', { reason, detail });
}

/**
 * ElastiCache RBAC credentials live in Secrets Manager as `{username, password}`; they are read
 * once per process. Adapters that only some modes use are imported when used, so the default
 * local start stays quick.
 */
async function redisCredentials(secretArn: string | undefined): Promise<{ username?: string; password?: string }> {
  if (!secretArn) return {};
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const parsed = RedisSecretSchema.safeParse(JSON.parse(secret.SecretString ?? '{}'));
    if (!parsed.success) throw new ConfigError(`the secret ${secretArn} is not {"username", "password"}`);
    return parsed.data;
  } finally {
    client.destroy();
  }
}

const RedisSecretSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

async function createHashCache(config: Env): Promise<EmbeddingHashCache> {
  // The naive cost baseline: every lookup misses, so every chunk is embedded again.
  if (config.FA_EMBEDDING_CACHE === 'off') {
    return { getMany: async (keys) => keys.map(() => null), setMany: async () => {}, close: async () => {} };
  }
  if (config.REDIS_URL) {
    const { RedisHashCache } = await import('../adapters/cache/redis-hash-cache');
    const credentials = await redisCredentials(config.REDIS_SECRET_ARN);
    return new RedisHashCache({ url: config.REDIS_URL, ...credentials, onDegraded: onCacheDegraded });
  }
  return new FileHashCache({ directory: resolve(config.FA_DATA_DIR, 'embedding-cache'), onDegraded: onCacheDegraded });
}

async function createModels(config: Env): Promise<{
  llm: LlmPort;
  embedder: EmbedderPort;
  chooseModel: (task: Parameters<ModelRouter['route']>[0], context?: RouteContext) => ModelChoice;
}> {
  const models = loadModelConfig(config.FA_MODELS_CONFIG);
  const router = new ModelRouter(models);
  const chooseModel = (task: Parameters<ModelRouter['route']>[0], context?: RouteContext): ModelChoice => router.route(task, context);
  // Locally the grounded model stands in for whichever Bedrock model a task is routed to, so the
  // routed ids are kept and local cost estimates price each task as it would be priced on Bedrock.
  if (config.FA_LLM === 'local') {
    return {
      llm: new LocalGroundedLlm({ slipRate: config.FA_LOCAL_SLIP_RATE }),
      embedder: new LocalEmbedder({ dimensions: models.embeddings.dimensions }),
      chooseModel,
    };
  }
  const [{ createBedrockRuntimeClient }, { BedrockConverseLlm }, { TitanEmbedder }] = await Promise.all([
    import('../adapters/llm/bedrock-client'),
    import('../adapters/llm/bedrock-converse'),
    import('../adapters/embedder/titan-embedder'),
  ]);
  const client = createBedrockRuntimeClient({ region: models.region, endpoint: config.FA_BEDROCK_ENDPOINT });
  const bedrock = new BedrockConverseLlm({ client, promptCaching: promptCachingFor(models) });
  return {
    llm: withFallback(bedrock, router, {
      onFallback: () => metrics.addMetric('ModelFallbacks', MetricUnit.Count, 1),
    }),
    embedder: new TitanEmbedder({ client, modelId: models.embeddings.modelId, dimensions: models.embeddings.dimensions }),
    chooseModel,
  };
}

/** EMF lines: to the local EMF file when set (stdout belongs to the CLI), else stdout for CloudWatch. */
function writeEmf(config: Env): (line: string) => void {
  const file = config.FA_EMF_FILE;
  return file ? (line) => appendFileSync(file, `${line}\n`) : (line) => process.stdout.write(`${line}\n`);
}

/**
 * The cost ledger (DynamoDB + EMF) and budgets, with DynamoDB capacity metered per unit scope (run
 * the unit inside `withDegradationScope`). Undefined when FA_COST_LEDGER=off. The query path can
 * use the same: `UnitCostTracker.begin({ ...cost, prices, now }, { runId: 'queries-<date>', kind: 'query', … })`.
 */
export function createCostDependencies(config: Env, doc: DynamoDBDocumentClient): Omit<CostDeps, 'prices' | 'now'> | undefined {
  if (config.FA_COST_LEDGER === 'off') return undefined;
  meterConsumedCapacity(doc, (consumed) => {
    const scope = degradationScope.getStore();
    if (!scope) return;
    scope.readUnits += consumed.readUnits;
    scope.writeUnits += consumed.writeUnits;
  });
  const dynamo = new DynamoCostLedger({
    doc,
    tableName: tableNamesFor(config.FA_TABLE_PREFIX).costLedger,
    onError: (operation, error) => {
      metrics.addMetric('CostLedgerErrors', MetricUnit.Count, 1);
      logger.warn('cost ledger unavailable; the EMF line still carries the cost', { operation, error: error instanceof Error ? error.message : String(error) });
    },
  });
  return {
    ledger: new EmfCostLedger(dynamo, {
      write: writeEmf(config),
      namespace: METRICS_NAMESPACE,
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'fa-advisor-ai',
      stage: config.FA_STAGE,
    }),
    budgets: loadBudgets(config.FA_BUDGETS_CONFIG),
    consumedCapacity: () => {
      const scope = degradationScope.getStore();
      return { readUnits: scope?.readUnits ?? 0, writeUnits: scope?.writeUnits ?? 0 };
    },
  };
}

let cached: Promise<BatchDependencies> | undefined;

/** The batch's dependencies, built on first use and reused by every invocation of the process. */
export function batchDependencies(): Promise<BatchDependencies> {
  cached ??= (async () => {
    const config = env();
    const doc = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
    const repositories = createRepositories(doc, tableNamesFor(config.FA_TABLE_PREFIX));
    const sources = createDemoSources({ seed: config.FA_DEMO_SEED });
    const cache = await createHashCache(config);
    const { llm, embedder, chooseModel } = await createModels(config);
    const cost = createCostDependencies(config, doc);
    const processStock: ProcessStockDeps = {
      sources,
      extractMetrics,
      summaries: repositories.summaries,
      runs: repositories.runs,
      chunks: repositories.chunks,
      cache,
      embedder,
      llm,
      chooseModel,
      prices: loadPriceTable(config.FA_PRICES_CONFIG),
      experimentVariant: 'control',
      cacheDegradations: () => degradationScope.getStore()?.degraded ?? 0,
      now: () => new Date(),
      ...(cost ? { cost } : {}),
      skipUnchanged: config.FA_SKIP_UNCHANGED === 'on',
    };
    return {
      repositories,
      sources,
      processStock,
      withDegradationScope: (work) => degradationScope.run({ degraded: 0, readUnits: 0, writeUnits: 0 }, work),
      close: async () => {
        await cache.close();
        doc.destroy();
      },
    };
  })();
  return cached;
}
