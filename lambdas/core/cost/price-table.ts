/**
 * The versioned price table and what a model call costs. Prices come from config/prices.yaml,
 * parsed by the adapter layer; this module only computes.
 */
import { z } from 'zod';
import type { TokenUsage } from '../model';

const ModelPriceSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cacheReadPerMTok: z.number().nonnegative(),
  cacheWritePerMTok: z.number().nonnegative(),
  source: z.string().min(1),
});

export const PriceTableSchema = z.object({
  version: z.string().min(1),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency: z.literal('USD'),
  models: z.record(z.string(), ModelPriceSchema),
  aliases: z.record(z.string(), z.string()).default({}),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** USD for one call. An unknown model is an error: a cost we cannot price must not read as zero. */
export function costOfUsage(table: PriceTable, modelId: string, usage: TokenUsage): number {
  const price = table.models[table.aliases[modelId] ?? modelId];
  if (!price) throw new Error(`no price for model ${modelId} in price table ${table.version}`);
  return (
    (usage.inputTokens * price.inputPerMTok +
      usage.outputTokens * price.outputPerMTok +
      usage.cacheReadInputTokens * price.cacheReadPerMTok +
      usage.cacheWriteInputTokens * price.cacheWritePerMTok) /
    1e6
  );
}
