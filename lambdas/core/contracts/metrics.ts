/**
 * The metric contract between the handlers (Powertools EMF) and the dashboards and alarms. Powertools
 * adds a `service` dimension (POWERTOOLS_SERVICE_NAME) and the handlers add `stage`, so every custom
 * metric here is published with dimensions { service, stage }.
 */

/** Powertools Metrics namespace (lambdas/wiring/telemetry.ts uses the same value). */
export const METRICS_NAMESPACE = 'FAAdvisorAI';

/** POWERTOOLS_SERVICE_NAME per workload: one per workload, so dashboards need no per-function dimensions. */
export const SERVICE_NAMES = {
  batch: 'fa-stock-batch',
  query: 'fa-query-api',
  deployment: 'fa-deployment',
  /** A process that runs no function of its own (a test, a one-off script). */
  local: 'fa-advisor-ai',
} as const;

/** Emitted by lambdas/handlers/finalize-batch.ts once per run. */
export const BATCH_METRICS = {
  stocks: 'BatchStocks',
  failures: 'BatchFailures',
  durationMs: 'BatchDurationMs',
  costPerStockUsd: 'CostPerStockUsd',
  verificationPassRate: 'VerificationPassRate',
  embeddingCacheHitRate: 'EmbeddingCacheHitRate',
  completed: 'BatchCompleted',
} as const;

/** Emitted by lambdas/handlers/process-stock.ts once per stock. */
export const STOCK_METRICS = {
  processed: 'StockProcessed',
  failed: 'StockFailed',
  facts_only: 'StockFactsOnly',
  costUsd: 'StockCostUsd',
  durationMs: 'StockDurationMs',
  cacheHits: 'EmbeddingCacheHits',
  cacheMisses: 'EmbeddingCacheMisses',
  cacheDegraded: 'EmbeddingCacheDegraded',
  sourceFailures: 'SourceFailures',
} as const;

/** Emitted by the source adapters' wiring (lambdas/wiring/sources.ts) as things happen. */
export const SOURCE_METRICS = {
  feedLinesMalformed: 'FeedLinesMalformed',
  edgarRetries: 'EdgarRetries',
  edgarLimiterDegraded: 'EdgarLimiterDegraded',
  edgarFilingTextSkipped: 'EdgarFilingTextSkipped',
} as const;

/**
 * Emitted by the query handler (lambdas/handlers/query-api.ts, a later issue) once per query, with
 * dimensions { service, stage } and again with { service, stage, functionVersion } (the value of
 * AWS_LAMBDA_FUNCTION_VERSION) so the canary's rollback alarms can watch the new version alone;
 * latency also with { service, stage, depth } where depth is `simple` or `deep`.
 */
export const QUERY_METRICS = {
  count: 'QueryCount',
  latencyMs: 'QueryLatencyMs',
  costUsd: 'QueryCostUsd',
  guardrailBlocked: 'GuardrailBlocked',
  hallucinationFlagged: 'HallucinationFlagged',
  errors: 'QueryErrors',
} as const;

/** Published by the 08:00 America/New_York deadline check: 1 when no batch finished since 02:00. */
export const DEADLINE_METRIC = 'BatchMissedDeadline';
