/**
 * The query path's composition root (the batch has its own, dependencies.ts): builds every adapter
 * once per process from the parsed environment, so the handler stays thin and the core pure. The
 * same wiring serves AWS (Lambda) and the embedded runtime (`npm run serve`).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EmbedderPort, LlmPort } from '../core/ports/index';
import { createDocumentClient, DynamoChunkRepository, DynamoSummaryRepository } from '../adapters/store/dynamo-repositories';
import { BatchedPutWriter, DynamoSessionRepository } from '../adapters/store/session-repository';
import { DynamoAnswerCacheRepository } from '../adapters/store/answer-cache-repository';
import { createDemoSources } from '../adapters/sources/demo/index';
import { LocalEmbedder } from '../adapters/embedder/local-embedder';
import { TitanEmbedder } from '../adapters/embedder/titan-embedder';
import { LocalGroundedLlm } from '../adapters/llm/local-grounded-llm';
import { bedrockLatencyModel, LocalAnswerLlm, LocalModels } from '../adapters/llm/local-answer-llm';
import { BedrockConverseLlm } from '../adapters/llm/bedrock-converse';
import { createBedrockRuntimeClient } from '../adapters/llm/bedrock-client';
import { loadModelConfig, promptCachingFor } from '../adapters/llm/model-config';
import { loadPriceTable } from '../adapters/price-table-file';
import type { PriceTable } from '../core/cost/price-table';
import { withFallback } from '../core/routing/routed-llm';
import { ModelRouter } from '../core/routing/model-router';
import { TickerResolver } from '../core/query/ticker-resolver';
import { layeredAnswerCache, revalidatedBriefs } from '../core/query/ttl-cache';
import { DEFAULT_QUERY_SETTINGS } from '../core/query/query-service';
import type { QueryApiDeps } from '../handlers/query-api';
import { env } from './config';
import type { Env } from './config';
import { ConfigError } from '../core/errors';
import { metrics, MetricUnit } from './telemetry';
import { tableNamesFor } from '../core/contracts/tables';

/** Query-only settings, parsed once (the shared ones live in env.ts). */
export const QueryEnvSchema = z.object({
  /** `realistic`: the local answer model waits like Bedrock would (for load tests); `none`: answers at once. */
  FA_LOCAL_LLM_LATENCY: z.enum(['none', 'realistic']).default('none'),
  /** Prompt variant of the running experiment; recorded on every answer and part of the cache key. */
  FA_PROMPT_VARIANT: z.string().regex(/^[\w.-]{1,40}$/).default('control'),
  /** How long a warm process trusts a stock's brief before checking its fingerprint (a new brief shows within this). */
  FA_BRIEF_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  FA_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((o) => o.trim()).filter(Boolean)),
  AWS_LAMBDA_FUNCTION_VERSION: z.string().optional(),
  /**
   * DynamoDB batch calls of one kind in flight at once; more requests wait and go in the next batch
   * (group commit). A Lambda serves one request at a time, so any value works there; the local
   * server, which serves every FA from one process against a single-threaded dynalite, uses 1.
   */
  FA_STORE_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(4),
  /** How long a DynamoDB batch waits for more requests to join it (ms); 0 for Lambda. */
  FA_STORE_GROUP_MS: z.coerce.number().min(0).max(100).default(0),
});
export type QueryEnv = z.infer<typeof QueryEnvSchema>;

export function parseQueryEnv(source: NodeJS.ProcessEnv = process.env): QueryEnv {
  const parsed = QueryEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

interface Models {
  llm: LlmPort;
  embedder: EmbedderPort;
  router: ModelRouter;
}

function createModels(config: Env, queryConfig: QueryEnv): Models {
  const models = loadModelConfig(config.FA_MODELS_CONFIG);
  const router = new ModelRouter(models);
  // Locally the grounded models stand in for whichever Bedrock model a task routes to, so routed
  // ids are kept and local cost estimates price each call as Bedrock would.
  if (config.FA_LLM === 'local') {
    // The strong (slower) class is whatever model deep answers route to, unless it is the small one.
    const strongModel = (id: string) => id === models.tasks.answer_deep?.modelId && id !== models.tasks.answer.modelId;
    const answerer = new LocalAnswerLlm(queryConfig.FA_LOCAL_LLM_LATENCY === 'realistic' ? { latency: bedrockLatencyModel({ strongModel }) } : {});
    return {
      llm: new LocalModels(new LocalGroundedLlm({ slipRate: config.FA_LOCAL_SLIP_RATE }), answerer),
      embedder: new LocalEmbedder({ dimensions: models.embeddings.dimensions }),
      router,
    };
  }
  const client = createBedrockRuntimeClient({ region: models.region, endpoint: config.FA_BEDROCK_ENDPOINT });
  const bedrock = new BedrockConverseLlm({ client, promptCaching: promptCachingFor(models) });
  return {
    llm: withFallback(bedrock, router, { onFallback: () => metrics.addMetric('ModelFallbacks', MetricUnit.Count, 1) }),
    embedder: new TitanEmbedder({ client, modelId: models.embeddings.modelId, dimensions: models.embeddings.dimensions }),
    router,
  };
}

/** A cost we cannot price must stop start-up, not read as zero on every answer. */
function assertPriced(prices: PriceTable, modelIds: string[]): void {
  for (const id of modelIds) {
    if (!prices.models[prices.aliases[id] ?? id]) throw new ConfigError(`the price table ${prices.version} has no price for model ${id}, which the query path uses`);
  }
}

export interface QueryDependencies extends QueryApiDeps {
  close(): Promise<void>;
}

let cached: Promise<QueryDependencies> | undefined;

/** The query path's dependencies, built on first use and reused by every invocation of the process. */
export function queryDependencies(): Promise<QueryDependencies> {
  cached ??= (async () => {
    const config = env();
    const queryConfig = parseQueryEnv();
    const doc = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
    const names = tableNamesFor(config.FA_TABLE_PREFIX);
    const { llm, embedder, router } = createModels(config, queryConfig);
    const prices = loadPriceTable(config.FA_PRICES_CONFIG);
    const answerRoutes = [router.route('answer'), router.route('answer_deep')];
    assertPriced(prices, [...answerRoutes.flatMap((r) => [r.modelId, ...(r.fallbackModelId ? [r.fallbackModelId] : [])]), embedder.modelId]);
    const universe = await createDemoSources({ seed: config.FA_DEMO_SEED }).universe.list();
    const grouping = { maxInFlight: queryConfig.FA_STORE_MAX_IN_FLIGHT, lingerMs: queryConfig.FA_STORE_GROUP_MS };
    const writer = new BatchedPutWriter(doc, grouping);
    const briefs = revalidatedBriefs(
      { summaries: new DynamoSummaryRepository(doc, names.summaries), chunks: new DynamoChunkRepository(doc, names.chunks) },
      { ttlMs: queryConfig.FA_BRIEF_CACHE_SECONDS * 1000, maxEntries: 2_000, now: () => Date.now() },
    );
    return {
      resolver: new TickerResolver(universe),
      summaries: briefs.summaries,
      chunks: briefs.chunks,
      embedder,
      llm,
      route: (task, context) => router.route(task, context),
      prices,
      sessions: new DynamoSessionRepository(doc, names.sessions, writer),
      answerCache: layeredAnswerCache(new DynamoAnswerCacheRepository(doc, names.answerCache, writer, grouping), { ttlMs: 5 * 60_000, maxEntries: 5_000, now: () => Date.now() }),
      promptVariant: queryConfig.FA_PROMPT_VARIANT,
      now: () => Date.now(),
      newId: () => randomUUID(),
      settings: DEFAULT_QUERY_SETTINGS,
      stage: config.FA_STAGE,
      functionVersion: queryConfig.AWS_LAMBDA_FUNCTION_VERSION,
      corsOrigins: queryConfig.FA_CORS_ORIGINS,
      emfFile: config.FA_EMF_FILE,
      close: async () => {
        doc.destroy();
      },
    };
  })();
  return cached;
}
