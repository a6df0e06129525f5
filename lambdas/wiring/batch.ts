/**
 * The batch's dependency set, built once per process from the runtime config, so the handlers stay
 * thin and the core stays pure. The same wiring serves the Lambda functions and the embedded runtime.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import type { Sources } from '../core/ports';
import type { ProcessStockDeps } from '../core/pipeline/process-stock';
import { createRepositories } from '../adapters/store/dynamo-repositories';
import type { Repositories } from '../adapters/store/dynamo-repositories';
import { extractMetrics } from '../adapters/sources/edgar/companyfacts';
import { loadPriceTable } from '../adapters/price-table-file';
import { runtimeConfig } from './config';
import { createHashCache, createRateLimitRedis } from './cache';
import { createCostDependencies } from './cost';
import { createModels } from './models';
import { createSources } from './sources';
import { createStores } from './stores';
import { createExperiments } from './experiments';
import type { Stores } from './stores';
import { currentUnitScope, withUnitScope } from './unit-scope';
import { withInjectedStockFailures } from './faults';

export interface BatchDependencies {
  repositories: Repositories;
  sources: Sources;
  processStock: ProcessStockDeps;
  /** Run one stock's work with its own count of cache degradations and DynamoDB capacity. */
  withUnitScope<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * ProcessStock is idempotent per (runId, ticker) through Powertools Idempotency: its records live
 * in the idempotency table (dynalite locally). A record in progress expires with the invocation's
 * remaining time, so a retry after a timeout or a crash runs again.
 */
export function processStockIdempotency(): { persistenceStore: DynamoDBPersistenceLayer; config: IdempotencyConfig } {
  const { dynamo, names } = batchStores();
  return {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: names.idempotency,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      expiryAttr: 'expiration',
      awsSdkV3Client: dynamo,
    }),
    config: new IdempotencyConfig({
      eventKeyJmesPath: '[runId, ticker]',
      throwOnNoIdempotencyKey: false,
      expiresAfterSeconds: 7 * 24 * 3600,
    }),
  };
}

let stores: Stores | undefined;

/** One DynamoDB connection per process, shared by the repositories and the idempotency layer. */
function batchStores(): Stores {
  stores ??= createStores(runtimeConfig());
  return stores;
}

let cached: Promise<BatchDependencies> | undefined;

/** The batch's dependencies, built on first use and reused by every invocation of the process. */
export function batchDependencies(): Promise<BatchDependencies> {
  cached ??= (async () => {
    const config = runtimeConfig();
    const { doc, names } = batchStores();
    const repositories = createRepositories(doc, names);
    // Every stock processor shares SEC's 10 requests/s through the cache when there is one.
    const edgarRedis = config.FA_SOURCES.filings === 'edgar' ? await createRateLimitRedis(config) : undefined;
    const sources = createSources(config, edgarRedis ? { edgarRedis } : {});
    const cache = await createHashCache(config);
    const { llm, embedder, router } = await createModels(config);
    const cost = createCostDependencies(config, doc);
    const experiments = await createExperiments(doc, names);
    const processStock: ProcessStockDeps = {
      sources,
      extractMetrics,
      summaries: repositories.summaries,
      runs: withInjectedStockFailures(repositories.runs, new Set(config.FA_FAULT_FAIL_TICKERS)),
      chunks: repositories.chunks,
      cache,
      embedder,
      llm,
      chooseModel: (task, context) => router.route(task, context),
      prices: loadPriceTable(config.FA_PRICES_CONFIG),
      experimentVariant: 'control',
      ...(experiments ? { experiments } : {}),
      cacheDegradations: () => currentUnitScope()?.degraded ?? 0,
      now: () => new Date(),
      ...(cost ? { cost } : {}),
      skipUnchanged: config.FA_SKIP_UNCHANGED === 'on',
    };
    return {
      repositories,
      sources,
      processStock,
      withUnitScope,
      close: async () => {
        await cache.close();
        edgarRedis?.close();
        doc.destroy();
      },
    };
  })();
  return cached;
}
