/**
 * The query path's dependency set, built once per process from the runtime config, so the handler
 * stays thin and the core pure. The same wiring serves the Lambda function and `npm run serve`.
 */
import { randomUUID } from 'node:crypto';
import type { PriceTable } from '../core/cost/price-table';
import { ConfigError } from '../core/errors';
import { TickerResolver } from '../core/query/ticker-resolver';
import { layeredAnswerCache, revalidatedBriefs } from '../core/query/ttl-cache';
import { DEFAULT_QUERY_SETTINGS } from '../core/query/query-service';
import type { QueryDeps } from '../core/query/query-service';
import { DynamoChunkRepository, DynamoSummaryRepository } from '../adapters/store/dynamo-repositories';
import { BatchedPutWriter, DynamoSessionRepository } from '../adapters/store/session-repository';
import { DynamoAnswerCacheRepository } from '../adapters/store/answer-cache-repository';
import { loadPriceTable } from '../adapters/price-table-file';
import { runtimeConfig } from './config';
import { createModels } from './models';
import { createSources } from './sources';
import { createStores } from './stores';
import { createExperiments } from './experiments';
import { createCostDependencies } from './cost';
import { createOperations } from './operations';
import type { OperationsDeps } from '../core/operations/service';

/** What the query handler needs beyond the query core. */
export interface QueryApiDeps extends QueryDeps {
  stage: string;
  /** AWS_LAMBDA_FUNCTION_VERSION: the canary's alarms watch the new version by this dimension. */
  functionVersion?: string;
  /** Origins allowed to call from a browser (FA tools); echoed back when they match. */
  corsOrigins: readonly string[];
  /** The operator routes' reads (absent in tests that do not exercise them: those routes then answer 404). */
  operations?: OperationsDeps;
  /** Filings are real EDGAR filings, so a citation can link to its EDGAR index. */
  filingLinks?: boolean;
}

export interface QueryDependencies extends QueryApiDeps {
  close(): Promise<void>;
}

/** A cost we cannot price must stop start-up, not read as zero on every answer. */
function assertPriced(prices: PriceTable, modelIds: string[]): void {
  for (const id of modelIds) {
    if (!prices.models[prices.aliases[id] ?? id])
      throw new ConfigError(`the price table ${prices.version} has no price for model ${id}, which the query path uses`);
  }
}

let cached: Promise<QueryDependencies> | undefined;

/** The query path's dependencies, built on first use and reused by every invocation of the process. */
export function queryDependencies(): Promise<QueryDependencies> {
  cached ??= (async () => {
    const config = runtimeConfig();
    const { doc, names } = createStores(config);
    const { llm, embedder, router } = await createModels(config);
    const prices = loadPriceTable(config.FA_PRICES_CONFIG);
    const answerRoutes = [router.route('answer'), router.route('answer_deep')];
    assertPriced(prices, [
      ...answerRoutes.flatMap((r) => [r.modelId, ...(r.fallbackModelId ? [r.fallbackModelId] : [])]),
      embedder.modelId,
    ]);
    const universe = await createSources(config).universe.list();
    const experiments = await createExperiments(doc, names);
    const cost = createCostDependencies(config, doc);
    const grouping = { maxInFlight: config.FA_STORE_MAX_IN_FLIGHT, lingerMs: config.FA_STORE_GROUP_MS };
    const writer = new BatchedPutWriter(doc, grouping);
    const briefs = revalidatedBriefs(
      { summaries: new DynamoSummaryRepository(doc, names.summaries), chunks: new DynamoChunkRepository(doc, names.chunks) },
      { ttlMs: config.FA_BRIEF_CACHE_SECONDS * 1000, maxEntries: 2_000, now: () => Date.now() },
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
      answerCache: layeredAnswerCache(new DynamoAnswerCacheRepository(doc, names.answerCache, writer, grouping), {
        ttlMs: 5 * 60_000,
        maxEntries: 5_000,
        now: () => Date.now(),
      }),
      promptVariant: config.FA_PROMPT_VARIANT,
      ...(experiments ? { experiments } : {}),
      ...(cost ? { cost: { ...cost, prices, now: () => new Date() } } : {}),
      now: () => Date.now(),
      newId: () => randomUUID(),
      settings: DEFAULT_QUERY_SETTINGS,
      stage: config.FA_STAGE,
      functionVersion: config.AWS_LAMBDA_FUNCTION_VERSION,
      corsOrigins: config.FA_CORS_ORIGINS,
      operations: createOperations(config, doc, names),
      filingLinks: config.FA_SOURCES.filings === 'edgar',
      close: async () => {
        doc.destroy();
      },
    };
  })();
  return cached;
}
