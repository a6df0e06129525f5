/**
 * The versioned price table and what a model call costs. Prices come from config/prices.yaml,
 * parsed by the adapter layer; this module only computes. Besides Bedrock's per-token prices the
 * table holds the AWS units a run uses (Lambda, Step Functions, DynamoDB, ElastiCache Serverless,
 * CloudWatch, API Gateway, S3), each with its public source and effective date, and the stated
 * assumptions that turn a run's measured counts into billable units (see infrastructure.ts).
 */
import { z } from 'zod';
import type { TokenUsage } from '../model';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

const ModelPriceSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cacheReadPerMTok: z.number().nonnegative(),
  cacheWritePerMTok: z.number().nonnegative(),
  source: z.string().min(1),
  /** When this price took effect (defaults to the table's `effectiveFrom`). */
  effectiveFrom: IsoDate.optional(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** One AWS unit price: USD per `per`, with where it was read and from when it applies. */
const UnitPriceSchema = z.strictObject({
  usd: z.number().nonnegative(),
  per: z.string().min(1),
  source: z.string().min(1),
  effectiveFrom: IsoDate,
  note: z.string().optional(),
});
export type UnitPrice = z.infer<typeof UnitPriceSchema>;

export const InfrastructurePricesSchema = z.strictObject({
  lambdaGbSecond: UnitPriceSchema,
  lambdaRequest: UnitPriceSchema,
  stepFunctionsTransition: UnitPriceSchema,
  s3PutRequest: UnitPriceSchema,
  dynamoDbWriteRequestUnit: UnitPriceSchema,
  dynamoDbReadRequestUnit: UnitPriceSchema,
  elastiCacheEcpu: UnitPriceSchema,
  elastiCacheGbHour: UnitPriceSchema,
  cloudWatchLogsIngestedGb: UnitPriceSchema,
  cloudWatchMetricMonth: UnitPriceSchema,
  apiGatewayRequest: UnitPriceSchema,
});
export type InfrastructurePrices = z.infer<typeof InfrastructurePricesSchema>;

/**
 * How measured counts become billable units. Each is an assumption about the deployment, stated
 * here so a reader can check it and change it in one place.
 */
export const InfrastructureAssumptionsSchema = z.strictObject({
  /** Memory of the stock-processor Lambda (cdk.json prod: 1769 MB, one full vCPU). */
  batchLambdaMemoryMb: z.number().int().min(128).max(10_240),
  /** Memory of the query Lambda. */
  queryLambdaMemoryMb: z.number().int().min(128).max(10_240),
  /**
   * Billed Lambda time besides waiting on model calls: gathering sources, embedding calls, DynamoDB,
   * verification. The local runtime's wall time cannot stand in for it (100 stocks share 2 cores).
   */
  lambdaOverheadMsPerStock: z.number().nonnegative(),
  lambdaOverheadMsPerQuery: z.number().nonnegative(),
  /** Stocks a nightly run covers: fixed daily and monthly costs are shared among them. */
  stocksPerRun: z.number().int().positive(),
  runsPerMonth: z.number().int().positive(),
  /** Queries a month: the query path's share of fixed monthly costs is spread over them. */
  queriesPerMonth: z.number().int().positive(),
  /** ElastiCache Serverless bills at least this much data (Valkey: 100 MB) every hour of the day. */
  cacheBilledGb: z.number().nonnegative(),
  /** Share of the cache's daily storage charged to the nightly batch (the rest to queries). */
  cacheShareOfBatch: z.number().min(0).max(1),
  /** Bytes of a cache entry (key + content hash): ECPUs are billed per KB transferred. */
  cacheEntryBytes: z.number().int().positive(),
  /** CloudWatch Logs bytes per stock and per query (EMF lines, log lines, Lambda START/END/REPORT). */
  logBytesPerStock: z.number().int().nonnegative(),
  logBytesPerQuery: z.number().int().nonnegative(),
  /** Custom metric series (metric × dimension set) the product keeps alive each month, batch and query. */
  batchMetricSeries: z.number().int().nonnegative(),
  queryMetricSeries: z.number().int().nonnegative(),
  /** Parent-workflow transitions per run (start, PrepareBatch, the Map, FinalizeBatch) and S3 puts of the Map's ResultWriter. */
  parentTransitionsPerRun: z.number().int().nonnegative(),
  s3PutsPerRun: z.number().int().nonnegative(),
});
export type InfrastructureAssumptions = z.infer<typeof InfrastructureAssumptionsSchema>;

export const PriceTableSchema = z.object({
  version: z.string().min(1),
  effectiveFrom: IsoDate,
  currency: z.literal('USD'),
  models: z.record(z.string(), ModelPriceSchema),
  aliases: z.record(z.string(), z.string()).default({}),
  /** AWS unit prices and the assumptions that apply them; without it infrastructure costs nothing. */
  infrastructure: z.strictObject({ prices: InfrastructurePricesSchema, assumptions: InfrastructureAssumptionsSchema }).optional(),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** The price of `modelId` (through an alias), or undefined when the table has none. */
export function priceOf(table: PriceTable, modelId: string): ModelPrice | undefined {
  return table.models[table.aliases[modelId] ?? modelId];
}

/** USD for one call. An unknown model is an error: a cost we cannot price must not read as zero. */
export function costOfUsage(table: PriceTable, modelId: string, usage: TokenUsage): number {
  const price = priceOf(table, modelId);
  if (!price) throw new Error(`no price for model ${modelId} in price table ${table.version}`);
  return (
    (usage.inputTokens * price.inputPerMTok +
      usage.outputTokens * price.outputPerMTok +
      usage.cacheReadInputTokens * price.cacheReadPerMTok +
      usage.cacheWriteInputTokens * price.cacheWritePerMTok) /
    1e6
  );
}

/**
 * The most a call can cost: every input token uncached and the full `maxTokens` written. Budgets
 * plan with it, so a call that is let through can never push a unit past its cap.
 */
export function worstCaseCallUsd(table: PriceTable, modelId: string, inputTokens: number, maxTokens: number): number {
  const price = priceOf(table, modelId);
  if (!price) throw new Error(`no price for model ${modelId} in price table ${table.version}`);
  // A cache write costs more than plain input: plan with the dearer of the two.
  const inputRate = Math.max(price.inputPerMTok, price.cacheWritePerMTok);
  return (inputTokens * inputRate + maxTokens * price.outputPerMTok) / 1e6;
}
