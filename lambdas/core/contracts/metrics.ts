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

/**
 * Emitted by lambdas/handlers/finalize-batch.ts once per run. The run's fact-check pass rate is
 * published twice, with the same value: `FactCheckPassRate` is the seed's name (its validation
 * command reads it back) and what the Batch dashboard and the VerificationPassRateLow alarm read;
 * `VerificationPassRate` is the earlier name, kept so existing queries keep working.
 */
export const BATCH_METRICS = {
  stocks: 'BatchStocks',
  failures: 'BatchFailures',
  durationMs: 'BatchDurationMs',
  costPerStockUsd: 'CostPerStockUsd',
  factCheckPassRate: 'FactCheckPassRate',
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

/** Emitted by the model wiring (lambdas/wiring/models.ts) as calls happen, in the batch and the query path. */
export const MODEL_METRICS = {
  throttled: 'ModelThrottled',
  fallbacks: 'ModelFallbacks',
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

/**
 * A/B tests (lambdas/adapters/experiments/experiment-tracker.ts), with dimensions
 * { service, stage, experiment, arm }: one line per first exposure and one per observation, each
 * observed metric as `Experiment_<metric>` (its mean per arm is what the dashboard and the guardrail
 * alarms read).
 */
export const EXPERIMENT_METRICS = {
  exposures: 'ExperimentExposures',
  observations: 'ExperimentObservations',
  recordErrors: 'ExperimentRecordErrors',
  assignErrors: 'ExperimentAssignErrors',
} as const;

/** The EMF name of an experiment metric: `Experiment_<metric>`, e.g. Experiment_facts_only_rate. */
export const experimentMetricName = (metric: string): string => `Experiment_${metric}`;

/** The metrics the code observes per unit, and the workload that observes each (its `service`). */
export const EXPERIMENT_OBSERVED_METRICS = {
  fact_check_pass_rate: 'batch',
  facts_only_rate: 'batch',
  medium_words: 'batch',
  cost_usd: 'batch',
  answer_flagged_rate: 'query',
  answer_cost_usd: 'query',
} as const satisfies Record<string, keyof typeof SERVICE_NAMES>;
